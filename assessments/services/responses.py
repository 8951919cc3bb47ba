"""Writes for the respondent's journey: opening a personal link and saving answers.

``response_save`` is the one way answers reach the database. It is safe against a
double click, a re-posted form and a second tab holding an older copy of the form:

* the response row is locked (``select_for_update``) and its ``version`` compared
  with the version the form was rendered from;
* a stale version whose answers equal what is saved is a harmless repeat and
  succeeds without changing anything;
* a stale version with different answers raises ``StaleResponse`` carrying the
  saved answers, so that the page can show what changed and let the person choose;
* the version is then moved on with a conditional ``UPDATE … WHERE version = n``,
  which also protects SQLite, where ``select_for_update`` does nothing.

Ratings are written with one upsert and one delete whatever the number of answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import (
    EVIDENCE_MAX_LENGTH,
    Invitation,
    Rating,
    Response,
    ResponseStatus,
    Round,
    RoundState,
)
from places.models import Place
from preconditions.models import Precondition, ScaleLevel

DONT_KNOW = "dk"
MISSING_BEFORE_SUBMIT = "Choose a level, or Don't know, before you submit."


@dataclass(frozen=True)
class Answer:
    """One precondition's answer as a form holds it.

    ``choice`` is "" (nothing chosen yet), ``"dk"`` (don't know) or a scale value as text.
    """

    choice: str = ""
    evidence: str = ""

    @property
    def answered(self) -> bool:
        return self.choice != ""

    @property
    def score(self) -> int | None:
        return int(self.choice) if self.choice not in ("", DONT_KNOW) else None

    @property
    def is_empty(self) -> bool:
        return not self.answered and not self.evidence

    @classmethod
    def from_rating(cls, rating: Rating | None) -> Answer:
        if rating is None:
            return cls()
        if not rating.answered:
            choice = ""
        elif rating.score is None:
            choice = DONT_KNOW
        else:
            choice = str(rating.score)
        return cls(choice=choice, evidence=rating.evidence)


class RoundNotOpen(Exception):
    """The round is not taking answers (not open yet, or closed)."""


class StaleResponse(Exception):
    """The form was filled in from an older copy and differs from what is saved now.

    ``saved`` maps each precondition code to the answer saved now; ``version`` is the
    version to post to overwrite it knowingly.
    """

    def __init__(self, *, response: Response, saved: dict[str, Answer]):
        super().__init__("These answers were changed elsewhere since this page was opened.")
        self.response = response
        self.saved = saved
        self.version = response.version


def round_accepts_answers(rnd: Round, *, today=None) -> bool:
    """Open state, and today within the round's dates (the closing date is the last day)."""
    today = today or timezone.localdate()
    return rnd.state == RoundState.OPEN and rnd.opens_on <= today <= rnd.closes_on


def round_not_open_yet(rnd: Round, *, today=None) -> bool:
    today = today or timezone.localdate()
    return rnd.state == RoundState.DRAFT or (rnd.state == RoundState.OPEN and today < rnd.opens_on)


def invitation_mark_opened(*, invitation: Invitation) -> Invitation:
    """Record the first time the personal link was opened (one UPDATE, only the first time)."""
    if invitation.first_opened_at is None:
        now = timezone.now()
        Invitation.objects.filter(pk=invitation.pk, first_opened_at__isnull=True).update(
            first_opened_at=now
        )
        invitation.first_opened_at = now
    return invitation


def _validate(answers: Mapping[str, Answer], codes: set[str], values: set[int], *, submit: bool):
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(answers) - codes)
    if unknown:
        raise ValidationError(
            "The form named preconditions that are not part of this round: "
            + ", ".join(repr(code) for code in unknown)
            + ". Nothing was saved.",
            code="unknown_precondition",
        )
    allowed = {"", DONT_KNOW} | {str(v) for v in values}
    for code, answer in answers.items():
        if answer.choice not in allowed:
            errors[f"{code}-choice"] = [
                "Choose one of the levels shown, or Don't know.",
            ]
        if len(answer.evidence) > EVIDENCE_MAX_LENGTH:
            errors[f"{code}-evidence"] = [
                f"Keep this note to {EVIDENCE_MAX_LENGTH} characters or fewer "
                f"(it has {len(answer.evidence)}).",
            ]
    if submit:
        for code in sorted(codes):
            if not answers.get(code, Answer()).answered and f"{code}-choice" not in errors:
                errors[f"{code}-choice"] = [MISSING_BEFORE_SUBMIT]
    if errors:
        raise ValidationError(errors)


def response_save(
    *,
    invitation: Invitation,
    answers: Mapping[str, Answer],
    version: int,
    submit: bool = False,
    preconditions: Sequence[Precondition] | None = None,
    scale: Sequence[ScaleLevel] | None = None,
) -> Response:
    """Save a respondent's answers, as a draft or as a submission.

    ``answers`` maps precondition codes of the round's framework to answers; codes left
    out are kept as they are saved. ``version`` is the response version the form was
    rendered from (0 when there was no response yet). ``preconditions`` and ``scale``
    may pass the round framework's items when the caller has them already.

    Raises ``RoundNotOpen``, ``ValidationError`` (keys ``<code>-choice`` and
    ``<code>-evidence``) or ``StaleResponse``; in each case nothing is written.
    Costs a fixed number of queries (at most eight, plus two when the items are not
    passed) whatever the number of answers.
    """
    rnd = invitation.round
    if invitation.is_revoked or not round_accepts_answers(rnd):
        raise RoundNotOpen("This round is not taking answers.")
    if preconditions is None:
        preconditions = list(rnd.framework.preconditions.all())
    if scale is None:
        scale = list(rnd.framework.scale.all())
    items = {p.code: p.pk for p in preconditions if p.framework_id == rnd.framework_id}
    values = {level.value for level in scale if level.framework_id == rnd.framework_id}
    _validate(answers, set(items), values, submit=False)

    with transaction.atomic():
        response, created = Response.objects.select_for_update().get_or_create(
            invitation=invitation
        )
        saved_ratings = {
            r.precondition.code: r for r in response.ratings.select_related("precondition")
        }
        saved = {code: Answer.from_rating(saved_ratings.get(code)) for code in items}
        changed = {
            code: answer for code, answer in answers.items() if answer != saved.get(code, Answer())
        }
        if not created and version != response.version and changed:
            raise StaleResponse(response=response, saved=saved)

        if response.status == ResponseStatus.SUBMITTED and not submit and changed:
            # Submitted answers count in the round's figures: they change only by
            # submitting again, which checks that all of them are still answered.
            raise ValidationError(
                "These answers are already submitted. Submit them again to change them.",
                code="already_submitted",
            )
        final = {**saved, **answers}
        if submit:
            _validate(final, set(items), values, submit=True)
        becomes_submitted = submit and response.status != ResponseStatus.SUBMITTED
        if not changed and not becomes_submitted:
            return response

        now = timezone.now()
        update = {"version": response.version + 1, "updated_at": now}
        if becomes_submitted:
            update.update(status=ResponseStatus.SUBMITTED, submitted_at=now)
        # The conditional update is the real guard where row locks do not exist (SQLite).
        if not Response.objects.filter(pk=response.pk, version=response.version).update(**update):
            response.refresh_from_db()
            raise StaleResponse(response=response, saved=saved)
        for field, value in update.items():
            setattr(response, field, value)
        if not created:  # a new response bumped its place when it was created (a signal)
            # The conditional update above sends no signal: tell the report caches here.
            Place.objects.filter(pk=rnd.place_id).bump_data_version()

        keep = []
        drop = []
        for code, answer in changed.items():
            if answer.is_empty:
                drop.append(items[code])
                continue
            rating = Rating(
                response=response,
                precondition_id=items[code],
                score=answer.score,
                evidence=answer.evidence,
                answered=answer.answered,
            )
            # Field checks only: the foreign keys are known good and the database
            # constraints back this up without a query per rating.
            rating.full_clean(
                exclude={"response", "precondition"},
                validate_unique=False,
                validate_constraints=False,
            )
            keep.append(rating)
        if keep:
            Rating.objects.bulk_create(
                keep,
                update_conflicts=True,
                unique_fields=["response", "precondition"],
                update_fields=["score", "evidence", "answered", "updated_at"],
            )
        if drop:
            Rating.objects.filter(response=response, precondition_id__in=drop).delete()
    return response
