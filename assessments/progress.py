"""A round's progress, defined once: who counts as invited, as submitted, as awaiting an email.

Every page that says "X of Y invited have submitted" (the place page, the rounds list, the
round page) and the reports' response rate read these rules, so the figures agree; the
round page's "Send N not yet sent" button counts and sends with the same rule
(docs/decisions/0033-one-definition-of-round-progress.md). Everything is counted in the
database: a fixed number of queries whatever the size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from assessments.models import EmailKind, Invitation, ResponseStatus, Round, SendState

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


@dataclass
class Tally:
    """Where the live (not revoked) invitations of a group stand; the four stages add up."""

    label: str
    invited: int = 0
    emailed: int = 0
    not_opened: int = 0
    opened: int = 0
    draft: int = 0
    submitted: int = 0
    awaiting_invitation: int = 0

    def add(self, other: Tally) -> None:
        for name in (
            "invited",
            "emailed",
            "not_opened",
            "opened",
            "draft",
            "submitted",
            "awaiting_invitation",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class RoundProgress:
    overall: Tally
    partners: list[Tally] = field(default_factory=list)
    revoked: int = 0


def round_progress(*, round: Round) -> RoundProgress:
    """Counts per partner and overall, aggregated in the database (one query)."""
    rows = (
        Invitation.objects.filter(round=round)
        .values("partner_id", "partner__name")
        .annotate(
            **progress_counts(),
            emailed=Count("pk", filter=LIVE & Q(sent_at__isnull=False)),
            opened=Count(
                "pk", filter=LIVE & Q(first_opened_at__isnull=False, response__isnull=True)
            ),
            awaiting_invitation=Count("pk", filter=AWAITING_INVITATION),
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
            invited=row["invited"],
            emailed=row["emailed"],
            opened=row["opened"],
            draft=row["draft"],
            submitted=row["submitted"],
            not_opened=row["invited"] - row["opened"] - row["draft"] - row["submitted"],
            awaiting_invitation=row["awaiting_invitation"],
        )
        progress.partners.append(tally)
        progress.overall.add(tally)
    return progress


def round_invitations(*, round: Round) -> QuerySet[Invitation]:
    """Every invitation of the round with partner and response (one query)."""
    return (
        Invitation.objects.filter(round=round)
        .select_related("partner", "response")
        .order_by("partner__name", "name", "pk")
    )
