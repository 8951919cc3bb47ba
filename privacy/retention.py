"""Respondents' names and email addresses are kept only for a while after a round closes.

Each place says for how many months (``Place.retention_months``; the deployment's default is
``NINEFOLD_RETENTION_MONTHS``). Past that point ``apply_retention`` empties the name and
email address of every invitation of the round, answered or not, voids its personal links
and takes the names and addresses out of the place's activity log. What the figures are
made of stays: partner, perspective, the answers and their evidence notes. Nothing any report
shows changes (tests/privacy/test_retention.py compares them before and after).

Colleague invitations that were never accepted (withdrawn or expired) are deleted once the
same number of months has passed since they stopped working.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments.models import Invitation, OutboxEmail, Round, RoundState
from places.models import Place, PlaceInvitation
from places.services import activity_record
from privacy.scrub import scrub_activity, void_links


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def round_closed_at(round_: Round) -> dt.datetime:
    """When the round closed: its closing time, or the end of its closing day for a round
    closed before that time was recorded."""
    if round_.closed_at is not None:
        return round_.closed_at
    end = dt.datetime.combine(round_.closes_on, dt.time.max)
    return timezone.make_aware(end)


def personal_data_removal_due(round_: Round, place: Place) -> dt.datetime | None:
    """When the round's respondents' details are (or were) due to go; None while it is not
    closed."""
    if round_.state != RoundState.CLOSED:
        return None
    return add_months(round_closed_at(round_), place.retention_months)


@dataclass
class RetentionResult:
    rounds: int = 0
    invitations: int = 0
    activity_entries: int = 0
    colleague_invitations: int = 0


def rounds_due(now: dt.datetime) -> list[Round]:
    """Closed rounds past their place's retention point that still hold someone's details."""
    candidates = (
        Round.objects.filter(state=RoundState.CLOSED)
        .filter(invitations__personal_data_removed_at__isnull=True)
        .select_related("place")
        .distinct()
        .order_by("pk")
    )
    return [r for r in candidates if personal_data_removal_due(r, r.place) <= now]


def remove_round_personal_data(round_: Round, *, now: dt.datetime) -> tuple[int, int]:
    """Empty the names and emails of the round's invitations; returns (invitations, log
    entries changed). One transaction."""
    with transaction.atomic():
        rows = list(
            Invitation.objects.select_for_update()
            .filter(round=round_, personal_data_removed_at__isnull=True)
            .values_list("pk", "name", "email")
        )
        if not rows:
            return 0, 0
        ids = [pk for pk, _, _ in rows]
        words = [w for _, name, email in rows for w in (name, email)]
        scrubbed = scrub_activity([round_.place_id], words)
        invitations = void_links(ids)
        for invitation in invitations:
            invitation.name = ""
            invitation.email = ""
            invitation.personal_data_removed_at = now
        Invitation.objects.bulk_update(
            invitations,
            ["name", "email", "token_hash", "personal_data_removed_at"],
            batch_size=500,
        )
        # The outbox keeps each email's address and any error (which may quote it).
        OutboxEmail.objects.filter(invitation_id__in=ids).update(recipient="", error="")
        # No figure changes, but the identity exports of cached pages must not outlive it.
        Place.objects.filter(pk=round_.place_id).bump_data_version()
        activity_record(
            place=round_.place,
            actor=None,
            verb="retention-applied",
            description=(
                f"Removed the names and email addresses of {len(ids)} respondents of the round "
                f"“{round_.name}”, {round_.place.retention_months} months after it closed. "
                "Their answers are kept."
            ),
        )
    return len(ids), scrubbed


def colleague_invitations_due(now: dt.datetime):
    """Colleague invitations never accepted, stopped (withdrawn or expired) long enough ago."""
    stale = []
    pending = PlaceInvitation.objects.filter(accepted_at__isnull=True).select_related("place")
    for invitation in pending.filter(Q(revoked_at__isnull=False) | Q(expires_at__lt=now)):
        stopped = invitation.revoked_at or invitation.expires_at
        if add_months(stopped, invitation.place.retention_months) <= now:
            stale.append(invitation.pk)
    return stale


def apply_retention(*, now: dt.datetime | None = None) -> RetentionResult:
    """Everything past its retention point, now. Safe to run again: it finds nothing new."""
    now = now or timezone.now()
    result = RetentionResult()
    for round_ in rounds_due(now):
        invitations, entries = remove_round_personal_data(round_, now=now)
        if invitations:
            result.rounds += 1
            result.invitations += invitations
            result.activity_entries += entries
    stale = colleague_invitations_due(now)
    if stale:
        result.colleague_invitations, _ = PlaceInvitation.objects.filter(pk__in=stale).delete()
    return result
