"""The progress page a lead checks every morning."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import ResponseStatus, SendState
from tests.factories import InvitationFactory, PartnerFactory, ResponseFactory, RoundFactory

pytestmark = pytest.mark.django_db


def _fill(round_, partners: int, per_partner: int) -> None:
    for p in range(partners):
        partner = PartnerFactory(place=round_.place, name=f"Partner {p:02d}")
        for n in range(per_partner):
            invitation = InvitationFactory(
                round=round_, partner=partner, send_state=SendState.SENT, sent_at=timezone.now()
            )
            if n % 3 == 1:
                ResponseFactory(invitation=invitation)
            elif n % 3 == 2:
                ResponseFactory(
                    invitation=invitation,
                    status=ResponseStatus.SUBMITTED,
                    submitted_at=timezone.now(),
                )


def test_progress_counts_each_stage_per_partner_and_overall(lead_client: Client, place):
    round_ = RoundFactory(place=place)
    council = PartnerFactory(place=place, name="Council")
    housing = PartnerFactory(place=place, name="Housing")
    PartnerFactory(place=place, name="Not invited at all")
    InvitationFactory(round=round_, partner=council)  # not opened
    InvitationFactory(round=round_, partner=council, first_opened_at=timezone.now())  # opened
    ResponseFactory(invitation=InvitationFactory(round=round_, partner=council))  # draft
    ResponseFactory(
        invitation=InvitationFactory(round=round_, partner=housing),
        status=ResponseStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    InvitationFactory(round=round_, partner=housing, revoked_at=timezone.now())

    response = lead_client.get(reverse("assessments:round_detail", args=[place.slug, round_.pk]))

    progress = response.context["progress"]
    council_tally, housing_tally = progress.partners
    assert (council_tally.label, council_tally.invited) == ("Council", 3)
    assert (council_tally.not_opened, council_tally.opened, council_tally.draft) == (1, 1, 1)
    assert (housing_tally.invited, housing_tally.submitted) == (1, 1)
    assert (progress.overall.invited, progress.overall.submitted) == (4, 1)
    assert progress.revoked == 1
    html = response.content.decode()
    assert '<progress id="progress-overall" class="progress-bar-native" max="4" value="1">' in html
    assert 'aria-label="Council: 0 of 3 submitted"' in html
    assert "Not invited at all" not in html
    assert "style=" not in html


@pytest.mark.parametrize("size", [(2, 2), (12, 9)])
def test_progress_page_costs_a_fixed_number_of_queries(
    lead_client: Client, place, size, django_assert_num_queries
):
    round_ = RoundFactory(place=place)
    _fill(round_, *size)
    url = reverse("assessments:round_detail", args=[place.slug, round_.pk])
    # session, user, membership+place, round, the UPDATE failing stale email claims (7th,
    # added with decision 0030's claim expiry), per-partner tallies, invitations
    with django_assert_num_queries(7):
        response = lead_client.get(url)
    assert len(response.context["invitations"]) == size[0] * size[1]


def test_every_demo_round_page_renders_for_the_demo_lead(client: Client):
    from django.core.management import call_command

    from accounts.models import User
    from assessments.models import Round

    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(User.objects.get(email="lead@example.org"))
    rounds = list(Round.objects.select_related("place"))
    assert rounds
    for round_ in rounds:
        response = client.get(
            reverse("assessments:round_detail", args=[round_.place.slug, round_.pk])
        )
        assert response.status_code == 200
        # Demo invitations were sent long ago: nothing is offered for sending again.
        assert "not yet sent" not in response.content.decode()
