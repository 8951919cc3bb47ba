"""Writes on rounds: create, open, extend, close. Each records itself in the place's activity log."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import (
    Confidentiality,
    OutboxEmail,
    Response,
    Round,
    RoundState,
    SendState,
)
from assessments.progress import round_counts
from places.models import Place
from places.services import activity_record
from preconditions.models import Framework


@transaction.atomic
def round_create(
    *,
    place: Place,
    actor,
    name: str,
    purpose: str,
    opens_on: dt.date,
    closes_on: dt.date,
    framework: Framework,
    confidentiality: str = Confidentiality.CONFIDENTIAL,
) -> Round:
    round_ = Round(
        place=place,
        framework=framework,
        name=name.strip(),
        purpose=purpose.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        state=RoundState.DRAFT,
        confidentiality=confidentiality,
    )
    round_.full_clean()
    round_.save()
    activity_record(
        place=place,
        actor=actor,
        verb="round-created",
        description=(
            f"Created the round “{round_.name}” ({opens_on:%d %b %Y} to {closes_on:%d %b %Y}); "
            f"results: {round_.get_confidentiality_display().lower()}."
        ),
    )
    return round_


def round_has_answers(*, round: Round) -> bool:
    """True once anyone has started answering (a draft counts): from then on the round's
    confidentiality may only be tightened (1 query)."""
    return Response.objects.filter(invitation__round=round).exists()


@transaction.atomic
def round_set_confidentiality(*, round: Round, actor, confidentiality: str) -> Round:
    """Change what the round's reports may show about small groups (docs/confidentiality.md).

    Named to confidential is always allowed. Confidential to named only while nobody has
    answered: everyone who answered did so under the promise they were shown.
    """
    round_ = _locked(round)
    if confidentiality not in Confidentiality.values:
        raise ValidationError("Choose how the round's results are shown.")
    if confidentiality == round_.confidentiality:
        return round_
    if confidentiality == Confidentiality.NAMED and round_has_answers(round=round_):
        raise ValidationError(
            "People have already answered this round as confidential, so it stays "
            "confidential: they answered under that promise."
        )
    before = round_.get_confidentiality_display().lower()
    round_.confidentiality = confidentiality
    round_.save(update_fields=["confidentiality"])
    activity_record(
        place=round_.place,
        actor=actor,
        verb="round-confidentiality",
        description=(
            f"Changed the results of “{round_.name}” from {before} to "
            f"{round_.get_confidentiality_display().lower()}."
        ),
    )
    return round_


def _locked(round_: Round) -> Round:
    """Re-read the round under a row lock so two leads' clicks cannot interleave."""
    return Round.objects.select_for_update().get(pk=round_.pk)


@transaction.atomic
def round_open(*, round: Round, actor) -> Round:
    round_ = _locked(round)
    if round_.state != RoundState.DRAFT:
        raise ValidationError("Only a draft round can be opened.")
    if round_.closes_on < timezone.localdate():
        raise ValidationError(
            "The closing date has already passed: extend it before opening the round."
        )
    round_.state = RoundState.OPEN
    round_.save(update_fields=["state"])
    activity_record(
        place=round_.place,
        actor=actor,
        verb="round-opened",
        description=f"Opened the round “{round_.name}”.",
    )
    return round_


@transaction.atomic
def round_extend(*, round: Round, actor, closes_on: dt.date) -> Round:
    round_ = _locked(round)
    if round_.state == RoundState.CLOSED:
        raise ValidationError("A closed round cannot be extended: its answers are final.")
    if closes_on <= round_.closes_on:
        raise ValidationError(
            {
                "closes_on": f"Choose a date after the current closing date, {round_.closes_on:%d %B %Y}."
            }
        )
    if closes_on < timezone.localdate():
        raise ValidationError({"closes_on": "Choose a date that is not in the past."})
    previous = round_.closes_on
    round_.closes_on = closes_on
    round_.full_clean()
    round_.save(update_fields=["closes_on"])
    activity_record(
        place=round_.place,
        actor=actor,
        verb="round-extended",
        description=f"Extended the round “{round_.name}” from {previous:%d %b %Y} to {closes_on:%d %b %Y}.",
    )
    return round_


def round_draft_count(*, round: Round) -> int:
    """How many responses were started but not submitted (one query). They never count.

    The round page's "drafts" figure, from the same definition (assessments.progress).
    """
    return round_counts(round=round)["draft"]


@transaction.atomic
def round_close(*, round: Round, actor) -> Round:
    """Close the round: its answers are frozen and unsubmitted drafts stay out of every figure."""
    round_ = _locked(round)
    if round_.state == RoundState.CLOSED:
        raise ValidationError("This round is already closed.")
    drafts = round_draft_count(round=round_)
    round_.state = RoundState.CLOSED
    round_.closed_at = timezone.now()
    round_.save(update_fields=["state", "closed_at"])
    # Emails still waiting in the queue would invite people into a closed round: they were
    # never sent, so they go (a failed one queued for a retry keeps its failure).
    OutboxEmail.objects.filter(
        invitation__round=round_, status=SendState.QUEUED, attempts=0
    ).delete()
    OutboxEmail.objects.filter(invitation__round=round_, status=SendState.QUEUED).update(
        status=SendState.FAILED, error="The round closed before this email went out."
    )
    activity_record(
        place=round_.place,
        actor=actor,
        verb="round-closed",
        description=(
            f"Closed the round “{round_.name}”; {drafts} unsubmitted "
            f"draft{'s' if drafts != 1 else ''} left out of the figures."
        ),
    )
    return round_
