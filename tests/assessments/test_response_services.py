from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import EVIDENCE_MAX_LENGTH, Rating, Response, ResponseStatus, RoundState
from assessments.services.responses import (
    DONT_KNOW,
    Answer,
    RoundNotOpen,
    StaleResponse,
    invitation_mark_opened,
    response_save,
    round_accepts_answers,
    round_not_open_yet,
)
from tests.assessments.conftest import CODES
from tests.factories import InvitationFactory, RatingFactory, RoundFactory

pytestmark = pytest.mark.django_db


def everything(choice: str = "3") -> dict[str, Answer]:
    return {code: Answer(choice=choice) for code in CODES}


def stored(response: Response) -> dict[str, tuple[int | None, str, bool]]:
    return {
        r.precondition.code: (r.score, r.evidence, r.answered)
        for r in Rating.objects.filter(response=response).select_related("precondition")
    }


def test_first_save_creates_one_draft_with_the_given_answers(invitation):
    response = response_save(
        invitation=invitation,
        answers={"A": Answer("4", "Seen at the board"), "B": Answer(DONT_KNOW)},
        version=0,
    )
    assert response.status == ResponseStatus.DRAFT
    assert response.submitted_at is None
    assert response.version == 2
    assert stored(response) == {"A": (4, "Seen at the board", True), "B": (None, "", True)}


def test_a_note_without_a_choice_is_kept_and_is_not_dont_know(invitation):
    response = response_save(
        invitation=invitation, answers={"C": Answer("", "Still thinking")}, version=0
    )
    assert stored(response) == {"C": (None, "Still thinking", False)}


def test_clearing_an_answer_removes_its_rating(invitation):
    response = response_save(invitation=invitation, answers={"A": Answer("2", "x")}, version=0)
    response = response_save(invitation=invitation, answers={"A": Answer()}, version=2)
    assert stored(response) == {}


def test_repeating_the_same_save_changes_nothing(invitation):
    first = response_save(invitation=invitation, answers={"A": Answer("2")}, version=0)
    again = response_save(invitation=invitation, answers={"A": Answer("2")}, version=0)
    assert again.pk == first.pk
    assert again.version == first.version == 2
    assert Response.objects.count() == 1
    assert Rating.objects.count() == 1


def test_an_older_version_with_different_answers_is_stale_and_changes_nothing(invitation):
    response_save(invitation=invitation, answers={"A": Answer("2", "first tab")}, version=0)
    with pytest.raises(StaleResponse) as caught:
        response_save(invitation=invitation, answers={"A": Answer("5", "second tab")}, version=0)
    assert caught.value.saved["A"] == Answer("2", "first tab")
    assert caught.value.version == 2
    response = Response.objects.get()
    assert response.version == 2
    assert stored(response) == {"A": (2, "first tab", True)}


def test_posting_with_the_current_version_overwrites_knowingly(invitation):
    response_save(invitation=invitation, answers={"A": Answer("2")}, version=0)
    response = response_save(invitation=invitation, answers={"A": Answer("5")}, version=2)
    assert stored(response) == {"A": (5, "", True)}
    assert response.version == 3


def test_submit_needs_a_choice_for_each_of_the_nine(invitation):
    answers = everything() | {"E": Answer("", "a note only")}
    with pytest.raises(ValidationError) as caught:
        response_save(invitation=invitation, answers=answers, version=0, submit=True)
    assert set(caught.value.message_dict) == {"E-choice"}
    assert not Response.objects.exists()


def test_submit_with_all_nine_records_the_time_and_counts_dont_know_as_no_score(invitation):
    answers = everything() | {"I": Answer(DONT_KNOW)}
    response = response_save(invitation=invitation, answers=answers, version=0, submit=True)
    assert response.status == ResponseStatus.SUBMITTED
    assert response.submitted_at is not None
    assert stored(response)["I"] == (None, "", True)
    assert len(stored(response)) == 9


def test_amending_keeps_the_first_submission_time(invitation):
    first = response_save(invitation=invitation, answers=everything(), version=0, submit=True)
    submitted_at = first.submitted_at
    later = response_save(
        invitation=invitation, answers=everything("4"), version=first.version, submit=True
    )
    assert later.submitted_at == submitted_at
    assert stored(later)["A"] == (4, "", True)


def test_a_submitted_response_cannot_be_changed_by_a_draft_save(invitation):
    first = response_save(invitation=invitation, answers=everything(), version=0, submit=True)
    with pytest.raises(ValidationError):
        response_save(invitation=invitation, answers={"A": Answer()}, version=first.version)
    assert stored(Response.objects.get())["A"] == (3, "", True)


@pytest.mark.parametrize("choice", ["0", "6", "abc", "-1", "3.5"])
def test_a_choice_outside_the_scale_is_refused(invitation, choice):
    with pytest.raises(ValidationError) as caught:
        response_save(invitation=invitation, answers={"A": Answer(choice)}, version=0)
    assert "A-choice" in caught.value.message_dict
    assert not Response.objects.exists()


def test_an_over_long_note_is_refused(invitation):
    with pytest.raises(ValidationError) as caught:
        response_save(
            invitation=invitation,
            answers={"A": Answer("3", "x" * (EVIDENCE_MAX_LENGTH + 1))},
            version=0,
        )
    assert "A-evidence" in caught.value.message_dict
    assert not Response.objects.exists()


def test_a_note_of_exactly_the_limit_is_accepted(invitation):
    response = response_save(
        invitation=invitation, answers={"A": Answer("3", "x" * EVIDENCE_MAX_LENGTH)}, version=0
    )
    assert len(stored(response)["A"][1]) == EVIDENCE_MAX_LENGTH


def test_a_precondition_outside_the_round_is_refused(invitation):
    with pytest.raises(ValidationError):
        response_save(invitation=invitation, answers={"Z": Answer("3")}, version=0)
    assert not Response.objects.exists()


def test_nothing_is_saved_once_the_round_is_closed():
    invitation = InvitationFactory(round=RoundFactory(state=RoundState.CLOSED))
    with pytest.raises(RoundNotOpen):
        response_save(invitation=invitation, answers={"A": Answer("3")}, version=0)
    assert not Response.objects.exists()


def test_nothing_is_saved_through_a_revoked_invitation(invitation):
    invitation.revoked_at = timezone.now()
    invitation.save()
    with pytest.raises(RoundNotOpen):
        response_save(invitation=invitation, answers={"A": Answer("3")}, version=0)


def test_the_database_refuses_a_score_on_an_unanswered_rating():
    rating = RatingFactory()
    rating.answered = False
    with pytest.raises(IntegrityError), transaction.atomic():
        rating.save()


def test_full_clean_refuses_a_score_on_an_unanswered_rating():
    rating = RatingFactory.build(response=RatingFactory().response, score=3, answered=False)
    with pytest.raises(ValidationError):
        rating.full_clean()


def test_round_dates_decide_whether_answers_are_taken():
    today = timezone.localdate()
    open_round = RoundFactory.build(opens_on=today, closes_on=today + dt.timedelta(days=1))
    assert round_accepts_answers(open_round)
    last_day = RoundFactory.build(opens_on=today - dt.timedelta(days=3), closes_on=today)
    assert round_accepts_answers(last_day)
    past = RoundFactory.build(
        opens_on=today - dt.timedelta(days=3), closes_on=today - dt.timedelta(days=1)
    )
    assert not round_accepts_answers(past)
    assert not round_not_open_yet(past)
    future = RoundFactory.build(
        opens_on=today + dt.timedelta(days=1), closes_on=today + dt.timedelta(days=9)
    )
    assert not round_accepts_answers(future)
    assert round_not_open_yet(future)
    draft = RoundFactory.build(state=RoundState.DRAFT)
    assert round_not_open_yet(draft)
    assert not round_accepts_answers(draft)


def test_first_opening_is_recorded_once(invitation):
    invitation_mark_opened(invitation=invitation)
    invitation.refresh_from_db()
    first = invitation.first_opened_at
    assert first is not None
    invitation_mark_opened(invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.first_opened_at == first
