"""The progress page a lead checks every morning."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import ResponseStatus, SendState
from tests.factories import InvitationFactory, PartnerFactory, ResponseFactory, RoundFactory
from tests.helpers import load_demo

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

    from accounts.models import User
    from assessments.models import Round

    load_demo()
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


# --- One definition of progress, one rule for "not yet sent" ------------------------------


def _submitted(invitation):
    return ResponseFactory(
        invitation=invitation, status=ResponseStatus.SUBMITTED, submitted_at=timezone.now()
    )


def test_send_button_counts_exactly_the_invitations_it_sends(lead_client: Client, place):
    from django.core import mail

    from assessments.models import EmailKind

    round_ = RoundFactory(place=place)
    never_sent = InvitationFactory(round=round_, name="Never Sent")
    failed_invitation = InvitationFactory(
        round=round_,
        name="Failed Invitation",
        send_state=SendState.FAILED,
        send_kind=EmailKind.INVITATION,
    )
    # Neither a failed reminder (retried by "Remind"), nor someone who submitted through a
    # link passed on by hand, nor a revoked invitation is sent an invitation by this button.
    InvitationFactory(
        round=round_,
        send_state=SendState.FAILED,
        send_kind=EmailKind.REMINDER,
        sent_at=timezone.now(),
    )
    _submitted(InvitationFactory(round=round_))
    InvitationFactory(round=round_, revoked_at=timezone.now())
    InvitationFactory(round=round_, send_state=SendState.SENT, sent_at=timezone.now())
    url = reverse("assessments:round_detail", args=[place.slug, round_.pk])

    html = lead_client.get(url).content.decode()
    assert "Send 2 invitations not yet sent" in html

    lead_client.post(reverse("assessments:invitations_send", args=[place.slug, round_.pk]))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [never_sent.email, failed_invitation.email]
    )
    assert "not yet sent" not in lead_client.get(url).content.decode()


def test_place_page_rounds_list_round_page_and_report_agree_on_progress(lead_client: Client, place):
    from reports.aggregation import round_summary

    round_ = RoundFactory(place=place, name="Spring listening")
    _submitted(InvitationFactory(round=round_))
    ResponseFactory(invitation=InvitationFactory(round=round_))  # a draft: invited, not counted
    InvitationFactory(round=round_, revoked_at=timezone.now())  # in no figure

    place_page = lead_client.get(reverse("places:detail", args=[place.slug]))
    rounds_list = lead_client.get(reverse("assessments:round_list", args=[place.slug]))
    round_page = lead_client.get(reverse("assessments:round_detail", args=[place.slug, round_.pk]))

    assert "1 of 2 invited" in place_page.content.decode()
    assert "1 of 2 invited" in rounds_list.content.decode()
    assert "Submitted: 1 of 2 invited" in round_page.content.decode()
    rate = round_summary(round_).response_rate
    assert (rate.people_submitted, rate.people_invited, rate.people_draft) == (1, 2, 1)


def test_progress_figures_are_not_multiplied_by_other_rounds_or_partners(lead_client, place):
    """Two rounds sharing partners: each round's figures are its own."""
    first, second = RoundFactory(place=place), RoundFactory(place=place)
    partner = PartnerFactory(place=place)
    for _ in range(3):
        _submitted(InvitationFactory(round=first, partner=partner))
    InvitationFactory(round=second, partner=partner)
    html = lead_client.get(reverse("assessments:round_list", args=[place.slug])).content.decode()
    assert "3 of 3 invited" in html and "0 of 1 invited" in html


def test_rounds_list_costs_the_same_queries_however_many_rounds(
    lead_client: Client, place, django_assert_num_queries
):
    url = reverse("assessments:round_list", args=[place.slug])
    partner = PartnerFactory(place=place)

    def add_round(people: int) -> None:
        round_ = RoundFactory(place=place)
        for n in range(people):
            invitation = InvitationFactory(round=round_, partner=partner)
            if n % 2:
                _submitted(invitation)

    add_round(2)
    # session, user, membership with place, rounds with their counts
    with django_assert_num_queries(4):
        lead_client.get(url)
    for _ in range(5):
        add_round(6)
    with django_assert_num_queries(4):
        response = lead_client.get(url)
    assert len(response.context["rounds"]) == 6


@pytest.mark.parametrize("drafts", [0, 5])
def test_close_confirmation_costs_a_fixed_number_of_queries(
    lead_client: Client, place, drafts, django_assert_num_queries
):
    round_ = RoundFactory(place=place)
    for _ in range(drafts):
        ResponseFactory(invitation=InvitationFactory(round=round_))
    url = reverse("assessments:round_close", args=[place.slug, round_.pk])
    # session, user, membership with place, round, the count of drafts
    with django_assert_num_queries(5):
        response = lead_client.get(url)
    assert response.context["drafts"] == drafts
