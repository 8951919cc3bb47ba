"""Every write a report can show moves the place's data version on (reports.freshness).

The report caches key on ``Place.data_version`` (decision 0053); a write path that forgot
to bump it would serve stale figures until the entry expired. Each test goes through the
service or view a person would use and checks the version of the place concerned, and
that other places are left alone.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Invitation, Perspective, Rating, Response, RoundState
from assessments.services import invitations as invitation_services
from assessments.services import rounds as round_services
from assessments.services.invitations import RespondentRow
from assessments.services.responses import Answer, response_save
from places import services as place_services
from places.models import Place, Role
from places.partner_import import PartnerRow
from preconditions.models import Precondition
from reports.cache import current_version
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    PartnerFactory,
    RatingFactory,
    ResponseFactory,
    RoundFactory,
    UserFactory,
)
from tests.helpers import load_demo
from workshop import services as workshop_services
from workshop.models import Action

pytestmark = pytest.mark.django_db


@contextmanager
def bumps(place: Place, *, by_at_least: int = 1):
    before = current_version(place.pk)
    yield
    assert current_version(place.pk) >= before + by_at_least


@contextmanager
def leaves_alone(place: Place):
    before = current_version(place.pk)
    yield
    assert current_version(place.pk) == before


@pytest.fixture
def invitation():
    return InvitationFactory()


@pytest.fixture
def elsewhere():
    """Another place with a round: no write in these tests may touch its version."""
    return RoundFactory().place


def answers(choice: str) -> dict[str, Answer]:
    """The same answer to every item of the default framework."""
    codes = Precondition.objects.filter(framework__is_default=True).values_list("code", flat=True)
    return {code: Answer(choice=choice) for code in codes}


# --- Respondents -------------------------------------------------------------------------------


def test_a_first_draft_a_later_draft_and_a_submission_each_move_the_version(invitation, elsewhere):
    place = invitation.round.place
    with bumps(place), leaves_alone(elsewhere):
        response = response_save(invitation=invitation, answers={"A": Answer("3")}, version=0)
    with bumps(place), leaves_alone(elsewhere):
        response = response_save(
            invitation=invitation, answers={"B": Answer("2")}, version=response.version
        )
    with bumps(place), leaves_alone(elsewhere):
        response_save(
            invitation=invitation, answers=answers("4"), version=response.version, submit=True
        )


def test_a_save_that_changes_nothing_leaves_the_version(invitation):
    response = response_save(invitation=invitation, answers={"A": Answer("3")}, version=0)
    with leaves_alone(invitation.round.place):
        response_save(invitation=invitation, answers={"A": Answer("3")}, version=response.version)


def test_the_respondent_page_moves_the_version(client, invitation):
    url = f"/r/{invitation.token}/"
    client.get(url)
    with bumps(invitation.round.place):
        page = client.post(url, {"version": "0", "action": "save", "A-choice": "2"})
    assert page.status_code == 302
    assert Response.objects.filter(invitation=invitation).exists()


# --- Leads: invitations, rounds, partners, the place ---------------------------------------------


def test_adding_revoking_and_listing_invitations_move_the_version(invitation, elsewhere):
    round_ = invitation.round
    place = round_.place
    lead = UserFactory()
    partner = PartnerFactory(place=place)
    with bumps(place), leaves_alone(elsewhere):
        invitation_services.invitation_create(
            round=round_,
            actor=lead,
            name="Ada",
            email="ada@example.org",
            partner=partner,
            perspective=Perspective.MANAGER,
        )
    with bumps(place), leaves_alone(elsewhere):
        invitation_services.invitations_create_bulk(
            round=round_,
            actor=lead,
            rows=[
                RespondentRow(
                    name="Bo",
                    email="bo@example.org",
                    partner=partner,
                    perspective=Perspective.FRONTLINE,
                )
            ],
        )
    with bumps(place), leaves_alone(elsewhere):
        invitation_services.invitation_revoke(invitation=invitation, actor=lead)


def test_the_email_worker_storing_a_fresh_token_leaves_the_version(invitation):
    with leaves_alone(invitation.round.place):
        invitation.set_new_token()
        invitation.save(update_fields=["token_hash"])
    with bumps(invitation.round.place):  # a save of every field may change anything
        invitation.save()


def test_round_life_cycle_moves_the_version(elsewhere):
    place = RoundFactory(state=RoundState.DRAFT).place
    round_ = place.rounds.get()
    lead = UserFactory()
    with bumps(place), leaves_alone(elsewhere):
        round_ = round_services.round_open(round=round_, actor=lead)
    with bumps(place):
        round_ = round_services.round_extend(
            round=round_, actor=lead, closes_on=round_.closes_on + dt.timedelta(days=7)
        )
    with bumps(place):
        round_services.round_close(round=round_, actor=lead)


def test_partner_changes_move_the_version(elsewhere):
    partner = PartnerFactory()
    place = partner.place
    lead = UserFactory()
    with bumps(place), leaves_alone(elsewhere):
        partner = place_services.partner_update(
            partner=partner, actor=lead, name="Renamed partner", sector=partner.sector
        )
    with bumps(place):
        partner = place_services.partner_archive(partner=partner, actor=lead)
    with bumps(place):
        place_services.partner_restore(partner=partner, actor=lead)
    with bumps(place), leaves_alone(elsewhere):
        place_services.partners_bulk_create(
            place=place, actor=lead, rows=[PartnerRow(row=2, name="Listed", sector="nhs")]
        )


def test_renaming_the_place_moves_the_version_and_an_old_copy_never_winds_it_back():
    place = PartnerFactory().place
    stale_copy = Place.objects.get(pk=place.pk)
    with bumps(place):
        place_services.place_update(
            place=place, actor=UserFactory(), name="New name", description=""
        )
    Place.objects.filter(pk=place.pk).bump_data_version()
    reached = current_version(place.pk)
    stale_copy.description = "Edited from an instance loaded earlier."
    stale_copy.save()
    assert current_version(place.pk) > reached  # moved on, never back to the copy's value
    assert Place.objects.get(pk=place.pk).description.startswith("Edited")


# --- Workshops ------------------------------------------------------------------------------------


def test_agreed_views_and_actions_move_the_version(invitation, elsewhere):
    round_ = invitation.round
    place = round_.place
    user = UserFactory()
    item = Precondition.objects.get(framework=round_.framework, code="A")
    with bumps(place), leaves_alone(elsewhere):
        workshop_services.agreed_view_record(
            round_=round_, precondition=item, level=3, disagree=False, reasons="", user=user
        )
    with bumps(place), leaves_alone(elsewhere):
        action = workshop_services.action_create(
            round_=round_,
            what="Meet the housing team",
            owner=invitation.partner,
            due_on=timezone.localdate() + dt.timedelta(days=30),
            preconditions=[item],
            user=user,
        )
    with bumps(place):
        workshop_services.action_set_status(action=action, status="done", note="", user=user)
    with bumps(place):
        action.preconditions.clear()
    with bumps(place):
        Action.objects.get(pk=action.pk).delete()


# --- The admin and other ORM writes ----------------------------------------------------------------


def test_orm_saves_and_deletes_of_answers_move_the_version(elsewhere):
    rating = RatingFactory()
    place = rating.response.invitation.round.place
    with bumps(place), leaves_alone(elsewhere):
        rating.score = 1
        rating.save()
    response = rating.response
    with bumps(place), leaves_alone(elsewhere):
        response.delete()  # its ratings go with it
    assert not Rating.objects.filter(pk=rating.pk).exists()


def test_editing_framework_wording_moves_every_place_using_it():
    place = RoundFactory().place
    unused = Place.objects.create(name="No rounds yet", slug="no-rounds-yet")
    item = Precondition.objects.filter(framework__is_default=True).first()
    with bumps(place), leaves_alone(unused):
        item.summary = item.summary + " "
        item.save()


def test_the_demo_commands_move_the_versions_of_their_places():
    load_demo()
    place = Place.objects.get(slug="harrowdene")
    with bumps(place):
        load_demo(extras=True)


# --- End to end: what a board member sees -------------------------------------------------------


def test_the_dashboard_shows_a_submission_made_after_it_was_cached(
    client, django_assert_num_queries
):
    round_ = RoundFactory()
    place = round_.place
    board = MembershipFactory(place=place, role=Role.BOARD).user
    client.force_login(board)
    url = reverse("reports:dashboard", args=[place.slug, round_.pk])
    invited = [InvitationFactory(round=round_) for _ in range(2)]
    assert "0 of 2" in client.get(url).content.decode()  # cached now
    response_save(invitation=invited[0], answers=answers("4"), version=0, submit=True)
    html = client.get(url).content.decode()
    assert "1 of 2" in html
    with django_assert_num_queries(3):  # cached again: session, user, membership
        assert "1 of 2" in client.get(url).content.decode()


def test_a_draft_does_not_change_the_figures_but_the_page_is_rebuilt(client):
    round_ = RoundFactory()
    place = round_.place
    client.force_login(MembershipFactory(place=place, role=Role.BOARD).user)
    url = reverse("reports:summary_json", args=[place.slug, round_.pk])
    invited = InvitationFactory(round=round_)
    before = client.get(url).json()
    response_save(invitation=invited, answers={"A": Answer("5")}, version=0)
    after = client.get(url).json()
    assert after["response_rate"]["people_draft"] == before["response_rate"]["people_draft"] + 1


def test_invitation_fields_not_shown_are_real_fields():
    """The fields that may be saved without moving the version must exist on the model."""
    from reports.freshness import _INVITATION_FIELDS_NOT_SHOWN

    names = {f.name for f in Invitation._meta.get_fields()}
    assert names >= _INVITATION_FIELDS_NOT_SHOWN
    # And none of them is something a report shows.
    assert not {"round", "partner", "perspective", "revoked_at"} & _INVITATION_FIELDS_NOT_SHOWN


def test_emails_queued_sent_failed_and_retried_leave_the_version(mailoutbox):
    """No report shows emails (decision 0054's list): the whole pipeline, from queuing to
    a retry after a failure, leaves cached reports as they are."""
    from unittest import mock

    from assessments.models import OutboxEmail, SendState

    round_ = RoundFactory(state=RoundState.OPEN)
    InvitationFactory(round=round_)
    with leaves_alone(round_.place):
        with mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=OSError("down"),
        ):
            invitation_services.invitations_send_unsent(round=round_, actor=None)
        assert OutboxEmail.objects.get().status == SendState.FAILED
        invitation_services.invitations_send_unsent(round=round_, actor=None)
        invitation_services.invitations_remind(round=round_, actor=None)
    assert len(mailoutbox) == 2 and OutboxEmail.objects.count() == 2


def test_response_factory_response_moves_the_version():
    round_ = RoundFactory()
    with bumps(round_.place):
        ResponseFactory(invitation=InvitationFactory(round=round_))
