"""Every link emailed for an invitation keeps working until revoked (decision 0031)."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.models import Response, RoundState
from assessments.services.invitations import (
    invitation_revoke,
    invitations_remind,
    invitations_send_unsent,
)
from tests.assessments.conftest import form_data
from tests.factories import InvitationFactory, RoundFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver/r/([A-Za-z0-9_-]+)/")


def _tokens() -> list[str]:
    return [LINK.search(m.body).group(1) for m in mail.outbox]


@pytest.fixture
def two_links(lead):
    """An invitation emailed twice: the invitation, then a reminder."""
    round_ = RoundFactory()
    invitation = InvitationFactory(round=round_)
    invitations_send_unsent(round=round_, actor=lead)
    invitations_remind(round=round_, actor=lead)
    first, second = _tokens()
    assert first != second
    return invitation, first, second


def test_both_links_of_one_invitation_open_the_same_form(client, two_links):
    invitation, first, second = two_links
    for token in (first, second):
        page = client.get(f"/r/{token}/")
        assert page.status_code == 200
        assert page.context["invitation"].pk == invitation.pk


def test_both_links_are_refused_after_revoking(client, lead, two_links):
    invitation, first, second = two_links
    invitation_revoke(invitation=invitation, actor=lead)
    for token in (first, second):
        assert client.get(f"/r/{token}/").status_code == 404
    assert not invitation.links.exists()


def test_an_open_form_keeps_saving_across_a_reminder(client, lead):
    round_ = RoundFactory()
    invitation = InvitationFactory(round=round_)
    invitations_send_unsent(round=round_, actor=lead)
    [first] = _tokens()
    assert client.get(f"/r/{first}/").status_code == 200  # the form is open in a tab

    invitations_remind(round=round_, actor=lead)  # a reminder goes out meanwhile
    second = _tokens()[1]

    saved = client.post(f"/r/{first}/autosave/", form_data(A_choice="4", A_evidence="Typed"))
    assert saved.status_code == 200 and saved.json()["status"] == "saved"
    version = saved.json()["version"]
    button = client.post(f"/r/{first}/", form_data(version=version, A_choice="4", B_choice="2"))
    assert button.status_code == 302
    response = Response.objects.get(invitation=invitation)
    assert response.version == version + 1
    # The newer link shows the same answers.
    page = client.get(f"/r/{second}/")
    assert page.context["form"].initial["B-choice"] == "2"


def test_a_link_made_before_links_were_kept_survives_a_reminder(client, lead):
    """The demo's links, and any emailed before the links table, live on the row only."""
    round_ = RoundFactory()
    invitation = InvitationFactory(round=round_, sent_at=timezone.now())
    assert not invitation.links.exists()

    invitations_remind(round=round_, actor=lead)

    assert client.get(f"/r/{invitation.token}/").status_code == 200
    assert client.get(f"/r/{_tokens()[0]}/").status_code == 200


def test_after_the_round_closes_every_link_shows_the_answers_read_only(client, two_links):
    invitation, first, second = two_links
    round_ = invitation.round
    round_.state = RoundState.CLOSED
    round_.closed_at = timezone.now()
    round_.save()
    for token in (first, second):
        page = client.get(f"/r/{token}/")
        assert page.status_code == 200
        assert "assessments/respond/closed.html" in [t.name for t in page.templates]


def test_the_newest_link_costs_one_query_and_an_earlier_one_two(
    two_links, django_assert_num_queries
):
    from assessments.selectors.responses import invitation_for_token

    invitation, first, second = two_links
    with django_assert_num_queries(1):
        assert invitation_for_token(second).pk == invitation.pk
    with django_assert_num_queries(2):
        assert invitation_for_token(first).pk == invitation.pk


def test_the_lead_is_told_that_earlier_links_keep_working(lead_client, place):
    round_ = RoundFactory(place=place)
    InvitationFactory(round=round_, sent_at=timezone.now())
    page = lead_client.post(
        reverse("assessments:invitations_remind", args=[place.slug, round_.pk]), follow=True
    )
    assert "Links sent earlier keep working." in page.content.decode()
    assert "Any link we sent you before still works too" in mail.outbox[0].body
