"""A round's progress, defined once: who counts as invited, as submitted, as awaiting an email.

Every page that says "X of Y invited have submitted" (the place page, the rounds list, the
round page) and the reports' response rate read these rules, so the figures agree; the
round page's "Send N not yet sent" button counts and sends with the same rule
(docs/decisions/0033-one-definition-of-round-progress.md). Everything is counted in the
database: a fixed number of queries whatever the size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.models import (
    INVITATION_KINDS,
    EmailKind,
    Invitation,
    OutboxEmail,
    ResponseStatus,
    Round,
    SendState,
)
from assessments.tasks import SEND_CLAIM_EXPIRES, STOPPED_WORKER_ERROR

# The rules, as conditions on Invitation. A revoked invitation is in no figure but "revoked".
LIVE = Q(revoked_at__isnull=True)
REVOKED = Q(revoked_at__isnull=False)
SUBMITTED = Q(response__status=ResponseStatus.SUBMITTED)
DRAFT = Q(response__status=ResponseStatus.DRAFT)
NOT_SUBMITTED = Q(response__isnull=True) | DRAFT


# Where an invitation's email stands is its newest outbox row (assessments.models.OutboxEmail),
# read here, at read time: nothing about email is stored on the invitation, and no page
# writes to show it. A claim older than SEND_CLAIM_EXPIRES means its worker stopped: the row
# reads as failed, and the services that send mark it failed before picking rows
# (decision 0030), so every page counts exactly the rows a button will pick. The conditions
# below are on the names ``with_email`` annotates: a query using them starts there.
def stale_claim(now: dt.datetime) -> Q:
    """On an outbox row: claimed by a worker that has had longer than SEND_CLAIM_EXPIRES."""
    return Q(status=SendState.SENDING, claimed_at__lt=now - SEND_CLAIM_EXPIRES)


def _emails() -> QuerySet[OutboxEmail]:
    return OutboxEmail.objects.filter(invitation=OuterRef("pk")).order_by()


def _newest(field: str, *, when_stale: str | None = None, now: dt.datetime) -> Subquery:
    """``field`` of the invitation's newest outbox row; ``when_stale`` instead if that row is
    a stale claim (as the sweep will write it)."""
    newest = _emails().order_by("-pk")
    if when_stale is not None:
        newest = newest.annotate(
            shown=Case(
                When(stale_claim(now), then=Value(when_stale)),
                default=field,
                output_field=CharField(),
            )
        )
        field = "shown"
    return Subquery(newest.values(field)[:1])


def with_email(invitations: QuerySet[Invitation], now: dt.datetime) -> QuerySet[Invitation]:
    """``invitations`` annotated from their outbox rows, one correlated subquery each.

    Of the newest row: ``email_state`` (not_sent when there is none; queued, sending, sent or
    failed, a stale claim reading failed), ``email_kind`` and ``email_error``. Over the sent
    rows: ``invited_at`` (the last invitation email), ``last_reminded_at`` and
    ``reminder_count``.
    """
    sent = _emails().filter(status=SendState.SENT).values("invitation")
    reminders = sent.filter(kind=EmailKind.REMINDER)
    return invitations.annotate(
        email_state=Coalesce(
            _newest("status", when_stale=SendState.FAILED.value, now=now),
            Value(SendState.NOT_SENT.value),
        ),
        email_kind=_newest("kind", now=now),
        email_error=Coalesce(_newest("error", when_stale=STOPPED_WORKER_ERROR, now=now), Value("")),
        invited_at=Subquery(
            sent.filter(kind__in=INVITATION_KINDS).annotate(at=Max("sent_at")).values("at"),
            output_field=DateTimeField(),
        ),
        last_reminded_at=Subquery(
            reminders.annotate(at=Max("sent_at")).values("at"), output_field=DateTimeField()
        ),
        reminder_count=Coalesce(
            Subquery(reminders.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            0,
        ),
    )


NOT_SENT = Q(email_state=SendState.NOT_SENT)
SENT = Q(email_state=SendState.SENT)
IN_FLIGHT = Q(email_state__in=[SendState.QUEUED, SendState.SENDING])
EMAIL_FAILED = Q(email_state=SendState.FAILED)
# Who "Send N invitations not yet sent" emails: live, not submitted (an invitation email
# would replace a submitted respondent's link for nothing), and either never sent or whose
# invitation email failed. A failed reminder is retried by "Remind", not by this button.
AWAITING_INVITATION = (
    LIVE & NOT_SUBMITTED & (NOT_SENT | (EMAIL_FAILED & Q(email_kind__in=INVITATION_KINDS)))
)
# Whom "Remind the N people who have not submitted" emails: live, not submitted, and no email
# already on its way. Those never sent (or whose invitation failed) get the invitation,
# everyone else a reminder (assessments.services.invitations).
TO_CHASE = LIVE & NOT_SUBMITTED & ~IN_FLIGHT
# Who a reminder goes to: sent an invitation (or a reminder, which failed).
REMINDABLE = LIVE & NOT_SUBMITTED & (SENT | (EMAIL_FAILED & Q(email_kind=EmailKind.REMINDER)))


def progress_counts() -> dict[str, Count]:
    """The round's figures as aggregates over its invitations (for aggregate or annotate)."""
    return {
        "invited": Count("pk", filter=LIVE),
        "submitted": Count("pk", filter=LIVE & SUBMITTED),
        "draft": Count("pk", filter=LIVE & DRAFT),
        "revoked": Count("pk", filter=REVOKED),
    }


def rounds_with_progress(rounds: QuerySet[Round]) -> QuerySet[Round]:
    """``rounds`` annotated with ``invited`` and ``submitted`` (one correlated count each).

    Subqueries rather than joins, so that further annotations cannot multiply the counts.
    """
    per_round = Invitation.objects.filter(round=OuterRef("pk")).order_by().values("round")
    counts = progress_counts()
    return rounds.annotate(
        **{
            name: Coalesce(
                Subquery(per_round.annotate(n=counts[name]).values("n")),
                0,
                output_field=IntegerField(),
            )
            for name in ("invited", "submitted")
        }
    )


def round_counts(*, round: Round) -> dict[str, int]:
    """The round's invited, submitted, draft and revoked figures (one query)."""
    return Invitation.objects.filter(round=round).order_by().aggregate(**progress_counts())


def awaiting_invitation(*, round: Round, now: dt.datetime | None = None) -> QuerySet[Invitation]:
    """The invitations "Send N invitations not yet sent" emails."""
    return with_email(Invitation.objects.filter(round=round), now or timezone.now()).filter(
        AWAITING_INVITATION
    )


def remindable(*, round: Round, now: dt.datetime | None = None) -> QuerySet[Invitation]:
    """The invitations a reminder goes to (REMINDABLE)."""
    return with_email(Invitation.objects.filter(round=round), now or timezone.now()).filter(
        REMINDABLE
    )


TALLY_FIGURES = (
    "invited",
    "not_sent",
    "sending",
    "sent",
    "failed",
    "not_opened",
    "opened",
    "draft",
    "submitted",
    "awaiting_invitation",
    "to_chase",
)


@dataclass
class Tally:
    """Where the live (not revoked) invitations of a group stand.

    Two sums each give ``invited``: by email (not sent + sending + sent + failed) and by
    answers (not opened + started + submitted, where started = opened + draft).
    """

    label: str
    invited: int = 0
    not_sent: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    not_opened: int = 0
    opened: int = 0
    draft: int = 0
    submitted: int = 0
    awaiting_invitation: int = 0
    to_chase: int = 0

    @property
    def started(self) -> int:
        return self.opened + self.draft

    @property
    def not_submitted(self) -> int:
        return self.invited - self.submitted

    def add(self, other: Tally) -> None:
        for name in TALLY_FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class RoundProgress:
    overall: Tally
    partners: list[Tally] = field(default_factory=list)
    revoked: int = 0


def round_progress(*, round: Round, now: dt.datetime | None = None) -> RoundProgress:
    """Counts per partner and overall, aggregated in the database (one query, no write)."""
    now = now or timezone.now()
    rows = (
        with_email(Invitation.objects.filter(round=round), now)
        .values("partner_id", "partner__name")
        .annotate(
            **progress_counts(),
            not_sent=Count("pk", filter=LIVE & NOT_SENT),
            sending=Count("pk", filter=LIVE & IN_FLIGHT),
            sent=Count("pk", filter=LIVE & SENT),
            failed=Count("pk", filter=LIVE & EMAIL_FAILED),
            opened=Count(
                "pk", filter=LIVE & Q(first_opened_at__isnull=False, response__isnull=True)
            ),
            # A stale claim reads as failed, as the buttons' sweep will make it, so these
            # are the rows the buttons will pick.
            awaiting_invitation=Count("pk", filter=AWAITING_INVITATION),
            to_chase=Count("pk", filter=TO_CHASE),
        )
        .order_by("partner__name", "partner_id")
    )
    progress = RoundProgress(overall=Tally(label="All partners"))
    for row in rows:
        progress.revoked += row["revoked"]
        if not row["invited"]:
            continue
        tally = Tally(
            label=row["partner__name"],
            not_opened=row["invited"] - row["opened"] - row["draft"] - row["submitted"],
            **{name: row[name] for name in TALLY_FIGURES if name != "not_opened"},
        )
        progress.partners.append(tally)
        progress.overall.add(tally)
    return progress


# The round page's filters (?show=...): each a condition on live invitations; the counts
# beside them come from the round's Tally, so a filter's number is its list's length.
SHOW_ALL = "all"
SHOW_FILTERS = {
    "not-submitted": ("Not submitted", LIVE & NOT_SUBMITTED),
    "failed": ("Email failed", LIVE & EMAIL_FAILED),
    "submitted": ("Submitted", LIVE & SUBMITTED),
    SHOW_ALL: ("All", LIVE),
}


def round_invitations(
    *, round: Round, show: str = SHOW_ALL, now: dt.datetime | None = None
) -> QuerySet[Invitation]:
    """The round's live invitations under one filter, with partner, response and where their
    email stands (``with_email``), in one query. Revoked invitations are listed apart."""
    _, condition = SHOW_FILTERS.get(show, SHOW_FILTERS[SHOW_ALL])
    return (
        with_email(Invitation.objects.filter(round=round), now or timezone.now())
        .filter(condition)
        .select_related("partner", "response")
        .order_by("partner__name", "name", "pk")
    )


def revoked_invitations(*, round: Round) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(REVOKED, round=round)
        .select_related("partner")
        .order_by("partner__name", "name", "pk")
    )
