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
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.models import EmailKind, Invitation, ResponseStatus, Round, SendState
from assessments.tasks import SEND_CLAIM_EXPIRES

# The rules, as conditions on Invitation. A revoked invitation is in no figure but "revoked".
LIVE = Q(revoked_at__isnull=True)
REVOKED = Q(revoked_at__isnull=False)
SUBMITTED = Q(response__status=ResponseStatus.SUBMITTED)
DRAFT = Q(response__status=ResponseStatus.DRAFT)
NOT_SUBMITTED = Q(response__isnull=True) | DRAFT
# Who "Send N invitations not yet sent" emails: live, not submitted (an invitation email
# would replace a submitted respondent's link for nothing), and either never sent or whose
# invitation email failed. A failed reminder is retried by "Remind", not by this button.
AWAITING_INVITATION = (
    LIVE
    & NOT_SUBMITTED
    & (
        Q(send_state=SendState.NOT_SENT)
        | Q(send_state=SendState.FAILED, send_kind=EmailKind.INVITATION)
    )
)


# Where a live invitation's latest email stands, as the round page shows it. A claim older
# than SEND_CLAIM_EXPIRES means its worker stopped: it reads as failed here, at read time,
# and the services that send mark it failed before picking rows (decision 0030), so the
# page never writes on GET and still counts exactly the rows a button will pick.
NOT_SENT = Q(send_state=SendState.NOT_SENT)
SENT = Q(send_state=SendState.SENT)


def stale_claim(now: dt.datetime) -> Q:
    return Q(send_state=SendState.SENDING, send_claimed_at__lt=now - SEND_CLAIM_EXPIRES)


def in_flight(now: dt.datetime) -> Q:
    """Queued, or claimed by a worker that is still within its time: already on its way."""
    return Q(send_state=SendState.QUEUED) | (Q(send_state=SendState.SENDING) & ~stale_claim(now))


def email_failed(now: dt.datetime) -> Q:
    return Q(send_state=SendState.FAILED) | stale_claim(now)


def to_chase(now: dt.datetime) -> Q:
    """Whom "Remind the N people who have not submitted" emails: live, not submitted, and
    no email already on its way. Those never sent (or whose invitation failed) get the
    invitation, everyone else a reminder (assessments.services.invitations)."""
    return LIVE & NOT_SUBMITTED & ~in_flight(now)


def email_state(now: dt.datetime) -> Case:
    """The send state as the page shows it: a stale claim reads as failed."""
    return Case(
        When(stale_claim(now), then=Value(SendState.FAILED)),
        default="send_state",
        output_field=CharField(),
    )


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


def awaiting_invitation(*, round: Round) -> QuerySet[Invitation]:
    """The invitations "Send N invitations not yet sent" emails."""
    return Invitation.objects.filter(AWAITING_INVITATION, round=round)


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
        Invitation.objects.filter(round=round)
        .values("partner_id", "partner__name")
        .annotate(
            **progress_counts(),
            not_sent=Count("pk", filter=LIVE & NOT_SENT),
            sending=Count("pk", filter=LIVE & in_flight(now)),
            sent=Count("pk", filter=LIVE & SENT),
            failed=Count("pk", filter=LIVE & email_failed(now)),
            opened=Count(
                "pk", filter=LIVE & Q(first_opened_at__isnull=False, response__isnull=True)
            ),
            # A stale claim on an invitation email is awaiting it again, as the send
            # button's sweep will make it (AWAITING_INVITATION after the sweep).
            awaiting_invitation=Count(
                "pk",
                filter=AWAITING_INVITATION
                | (LIVE & NOT_SUBMITTED & stale_claim(now) & Q(send_kind=EmailKind.INVITATION)),
            ),
            to_chase=Count("pk", filter=to_chase(now)),
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
    "not-submitted": ("Not submitted", lambda now: LIVE & NOT_SUBMITTED),
    "failed": ("Email failed", lambda now: LIVE & email_failed(now)),
    "submitted": ("Submitted", lambda now: LIVE & SUBMITTED),
    SHOW_ALL: ("All", lambda now: LIVE),
}


def round_invitations(
    *, round: Round, show: str = SHOW_ALL, now: dt.datetime | None = None
) -> QuerySet[Invitation]:
    """The round's live invitations under one filter, with partner, response and the shown
    ``email_state`` (one query). Revoked invitations are listed apart (revoked_invitations)."""
    now = now or timezone.now()
    _, condition = SHOW_FILTERS.get(show, SHOW_FILTERS[SHOW_ALL])
    return (
        Invitation.objects.filter(condition(now), round=round)
        .select_related("partner", "response")
        .annotate(email_state=email_state(now))
        .order_by("partner__name", "name", "pk")
    )


def revoked_invitations(*, round: Round) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(REVOKED, round=round)
        .select_related("partner")
        .order_by("partner__name", "name", "pk")
    )
