import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import ResponseStatus, Round, RoundState
from assessments.services.rounds import round_close, round_create, round_extend, round_open
from places.models import ActivityLog
from tests.factories import (
    InvitationFactory,
    ResponseFactory,
    RoundFactory,
    default_framework,
)
from tests.helpers import date_fields

pytestmark = pytest.mark.django_db


def _url(name: str, round_: Round, *extra) -> str:
    return reverse(f"assessments:{name}", args=[round_.place.slug, round_.pk, *extra])


def test_lead_creates_a_round_as_draft_with_the_default_framework(lead_client: Client, place):
    form_page = lead_client.get(reverse("assessments:round_create", args=[place.slug]))
    assert f'value="{default_framework().pk}" selected' in form_page.content.decode()

    response = lead_client.post(
        reverse("assessments:round_create", args=[place.slug]),
        {
            "name": "Spring listening",
            "purpose": "Before the March board away-day.",
            **date_fields("opens_on", "2026-03-01"),
            **date_fields("closes_on", "2026-03-31"),
            "framework": default_framework().pk,
        },
    )

    round_ = Round.objects.get(place=place, name="Spring listening")
    assert response.status_code == 302
    assert response["Location"] == _url("round_detail", round_)
    assert round_.state == RoundState.DRAFT
    assert round_.framework == default_framework()
    assert ActivityLog.objects.filter(place=place, verb="round-created").count() == 1


def test_round_form_rejects_closing_before_opening_and_keeps_what_was_typed(
    lead_client: Client, place
):
    response = lead_client.post(
        reverse("assessments:round_create", args=[place.slug]),
        {
            "name": "Backwards round",
            "purpose": "Kept text",
            **date_fields("opens_on", "2026-03-31"),
            **date_fields("closes_on", "2026-03-01"),
            "framework": default_framework().pk,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The closing date must be after the opening date" in html
    assert (
        '<fieldset class="form-field mb-3 form-field-error" aria-describedby="id_closes_on_helptext id_closes_on_error">'
        in html
    )
    assert "Backwards round" in html and "Kept text" in html
    assert not Round.objects.filter(place=place).exists()


def test_duplicate_round_name_in_a_place_is_refused_with_a_message(lead_client: Client, place):
    RoundFactory(place=place, name="Autumn")
    response = lead_client.post(
        reverse("assessments:round_create", args=[place.slug]),
        {
            "name": "autumn",
            **date_fields("opens_on", "2026-03-01"),
            **date_fields("closes_on", "2026-03-31"),
            "framework": default_framework().pk,
        },
    )
    assert "already has a round with that name" in response.content.decode()
    assert Round.objects.filter(place=place).count() == 1


def test_open_extend_close_are_recorded_in_the_activity_log(lead, place):
    round_ = round_create(
        place=place,
        actor=lead,
        name="R",
        purpose="",
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate() + dt.timedelta(days=10),
        framework=default_framework(),
    )
    round_open(round=round_, actor=lead)
    round_extend(round=round_, actor=lead, closes_on=timezone.localdate() + dt.timedelta(days=20))
    round_close(round=round_, actor=lead)

    round_.refresh_from_db()
    assert round_.state == RoundState.CLOSED and round_.closed_at is not None
    verbs = list(ActivityLog.objects.filter(place=place).values_list("verb", flat=True))
    assert sorted(verbs) == sorted(
        ["round-created", "round-opened", "round-extended", "round-closed"]
    )
    assert all(entry.actor == lead for entry in ActivityLog.objects.filter(place=place))


def test_extend_must_move_the_closing_date_later(lead, place):
    round_ = RoundFactory(place=place)
    with pytest.raises(ValidationError, match="after the current closing date"):
        round_extend(round=round_, actor=lead, closes_on=round_.closes_on)
    round_.refresh_from_db()
    assert round_.closes_on == RoundFactory._meta.model.objects.get(pk=round_.pk).closes_on


def test_closed_round_cannot_be_extended_reopened_or_closed_again(lead, place):
    round_ = RoundFactory(place=place, state=RoundState.CLOSED, closed_at=timezone.now())
    with pytest.raises(ValidationError):
        round_extend(round=round_, actor=lead, closes_on=round_.closes_on + dt.timedelta(days=5))
    with pytest.raises(ValidationError):
        round_open(round=round_, actor=lead)
    with pytest.raises(ValidationError):
        round_close(round=round_, actor=lead)


def test_opening_a_round_whose_closing_date_passed_is_refused(lead, place):
    round_ = RoundFactory(
        place=place,
        state=RoundState.DRAFT,
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2026, 1, 31),
    )
    with (
        time_machine.travel(dt.datetime(2026, 2, 5, 12, tzinfo=dt.UTC)),
        pytest.raises(ValidationError, match="closing date has already passed"),
    ):
        round_open(round=round_, actor=lead)
    round_.refresh_from_db()
    assert round_.state == RoundState.DRAFT


def test_closing_freezes_and_tells_the_lead_how_many_drafts_were_left_out(
    lead_client: Client, place
):
    round_ = RoundFactory(place=place)
    ResponseFactory(invitation=InvitationFactory(round=round_))
    ResponseFactory(invitation=InvitationFactory(round=round_))
    ResponseFactory(
        invitation=InvitationFactory(round=round_),
        status=ResponseStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )

    confirm = lead_client.get(_url("round_close", round_))
    assert "2 drafts" in confirm.content.decode()

    closed = lead_client.post(_url("round_close", round_), follow=True)
    round_.refresh_from_db()
    html = closed.content.decode()
    assert round_.state == RoundState.CLOSED
    assert "2 drafts" in html and "left out of every figure" in html
    assert "2 unsubmitted drafts" in ActivityLog.objects.get(verb="round-closed").description


def test_extend_page_shows_an_error_for_an_earlier_date_and_changes_nothing(
    lead_client: Client, place
):
    round_ = RoundFactory(place=place)
    before = round_.closes_on
    response = lead_client.post(
        _url("round_extend", round_),
        {**date_fields("closes_on", (before - dt.timedelta(days=1)).isoformat())},
    )
    assert response.status_code == 200
    assert "after the current closing date" in response.content.decode()
    round_.refresh_from_db()
    assert round_.closes_on == before


def test_extend_page_moves_the_date(lead_client: Client, place):
    round_ = RoundFactory(place=place)
    new = round_.closes_on + dt.timedelta(days=14)
    response = lead_client.post(
        _url("round_extend", round_), {**date_fields("closes_on", new.isoformat())}
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.closes_on == new


def test_round_list_shows_each_rounds_state_and_submissions(client: Client, place):
    from places.models import Role
    from tests.factories import MembershipFactory

    board = MembershipFactory(place=place, role=Role.BOARD).user
    RoundFactory(place=place, name="Open one")
    RoundFactory(place=place, name="Draft one", state=RoundState.DRAFT)
    client.force_login(board)
    html = client.get(reverse("assessments:round_list", args=[place.slug])).content.decode()
    assert "Open one" in html and "Draft one" in html
    assert ">Open<" in html and ">Draft<" in html
    assert "Create a round" not in html  # leads only
