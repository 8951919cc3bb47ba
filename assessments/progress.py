"""Reads for a round's progress page: a fixed number of queries whatever its size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from assessments.models import Invitation, ResponseStatus, Round


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

    def add(self, other: Tally) -> None:
        for name in ("invited", "emailed", "not_opened", "opened", "draft", "submitted"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class RoundProgress:
    overall: Tally
    partners: list[Tally] = field(default_factory=list)
    revoked: int = 0


def round_progress(*, round: Round) -> RoundProgress:
    """Counts per partner and overall, aggregated in the database (one query)."""
    submitted = Q(invitations__response__status=ResponseStatus.SUBMITTED)
    draft = Q(invitations__response__status=ResponseStatus.DRAFT)
    live = Q(invitations__round=round, invitations__revoked_at__isnull=True)
    opened_only = Q(invitations__first_opened_at__isnull=False, invitations__response__isnull=True)
    rows = (
        round.place.partners.annotate(
            invited=Count("invitations", filter=live),
            emailed=Count("invitations", filter=live & Q(invitations__sent_at__isnull=False)),
            opened=Count("invitations", filter=live & opened_only),
            draft=Count("invitations", filter=live & draft),
            submitted=Count("invitations", filter=live & submitted),
            revoked=Count(
                "invitations",
                filter=Q(invitations__round=round, invitations__revoked_at__isnull=False),
            ),
        )
        .filter(Q(invited__gt=0) | Q(revoked__gt=0))
        .order_by("name")
        .values("name", "invited", "emailed", "opened", "draft", "submitted", "revoked")
    )
    progress = RoundProgress(overall=Tally(label="All partners"))
    for row in rows:
        progress.revoked += row["revoked"]
        if not row["invited"]:
            continue
        tally = Tally(
            label=row["name"],
            invited=row["invited"],
            emailed=row["emailed"],
            opened=row["opened"],
            draft=row["draft"],
            submitted=row["submitted"],
            not_opened=row["invited"] - row["opened"] - row["draft"] - row["submitted"],
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
