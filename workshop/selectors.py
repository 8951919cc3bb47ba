"""Reads for workshops. Figures come from reports.aggregation only.

For the dashboard and the PDF (see docs/decisions/0081):

- ``agreed_views_for_round(round_)``: {precondition code: AgreedView}, 1 query;
- ``agreed_view_rows(round_)``: [(precondition, AgreedView or None)] in order, 2 queries;
- ``actions_for_round(round_)``: actions agreed at that round's workshop, 2 queries;
- ``actions_carried_into(round_)``: actions agreed at earlier rounds of the same place, with
  their current status, 2 queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from assessments.models import Round, RoundState
from places.access import object_of_place
from places.models import Place
from preconditions.models import Precondition
from reports.aggregation import (
    EvidenceNote,
    PreconditionSummary,
    RoundSummary,
    evidence_notes,
    round_summary,
)
from workshop.models import Action, ActionStatus, AgreedView
from workshop.prompts import prompts_for

EVIDENCE_SHOWN = 3


# --------------------------------------------------------------------------------------------
# Workshop
# --------------------------------------------------------------------------------------------


def workshop_round(place: Place, round_id: int) -> Round:
    """A round of ``place`` that has started (open or closed); anything else is a 404."""
    return object_of_place(
        Round.objects.select_related("framework").exclude(state=RoundState.DRAFT),
        place,
        pk=round_id,
    )


def round_preconditions(round_: Round) -> list[Precondition]:
    """The round's items in framework order (1 query)."""
    return list(
        Precondition.objects.filter(framework_id=round_.framework_id)
        .select_related("group")
        .order_by("group__order", "order", "code")
    )


def agreed_views_for_round(round_: Round) -> dict[str, AgreedView]:
    """The agreed views recorded at the round's workshop, by precondition code (1 query)."""
    return {
        view.precondition.code: view
        for view in AgreedView.objects.filter(round=round_).select_related("precondition")
    }


def agreed_view_rows(round_: Round) -> list[tuple[Precondition, AgreedView | None]]:
    """Every precondition of the round with its agreed view or None, in order (2 queries).

    The shape ``templates/workshop/_agreed_views.html`` expects as ``views``.
    """
    views = agreed_views_for_round(round_)
    return [(item, views.get(item.code)) for item in round_preconditions(round_)]


def _actions() -> QuerySet[Action]:
    return (
        Action.objects.select_related("owner", "round")
        .prefetch_related("preconditions")
        .order_by("due_on", "pk")
    )


def actions_for_round(round_: Round) -> list[Action]:
    """Actions agreed at this round's workshop (2 queries)."""
    return list(_actions().filter(round=round_))


def actions_carried_into(round_: Round) -> list[Action]:
    """Actions agreed at workshops of the place's earlier rounds, with their status (2 queries).

    "Earlier" means a round that opened before this one (ties broken by creation order), so a
    round's own actions are never carried into itself. Open and in-progress actions come first.
    """
    earlier = Q(round__opens_on__lt=round_.opens_on) | Q(
        round__opens_on=round_.opens_on, round__pk__lt=round_.pk
    )
    actions = list(_actions().filter(place_id=round_.place_id).filter(earlier))
    finished = {ActionStatus.DONE, ActionStatus.DROPPED}
    actions.sort(key=lambda a: (a.status in finished, a.due_on, a.pk))
    return actions


@dataclass(frozen=True)
class AnonymousNote:
    """An evidence note with nothing about who wrote it but the level they chose."""

    score: int | None
    text: str


def pick_notes(notes: list[EvidenceNote], n: int = EVIDENCE_SHOWN) -> list[AnonymousNote]:
    """Up to ``n`` notes spread across the levels: the lowest, the highest, then the middle."""
    if len(notes) <= n:
        chosen = notes
    else:
        ordered = sorted(notes, key=lambda e: e.score or 0)
        indexes = [0, len(ordered) - 1, len(ordered) // 2]
        chosen = [ordered[i] for i in sorted(set(indexes[:n]))]
    return [AnonymousNote(score=note.score, text=note.text) for note in chosen]


@dataclass(frozen=True)
class WorkshopStep:
    index: int  # 1-based position in the sequence
    total: int
    precondition: Precondition
    figures: PreconditionSummary
    scale: dict[int, str]
    previous_round_name: str | None
    notes: list[AnonymousNote]
    prompts: list[str]
    previous_code: str | None
    next_code: str | None

    @property
    def distribution_rows(self) -> list[tuple[int, str, int, int]]:
        """(level, label, respondents, largest count) for each level, for the bars."""
        largest = max(self.figures.distribution.values(), default=0) or 1
        return [
            (level, self.scale.get(level, ""), count, largest)
            for level, count in sorted(self.figures.distribution.items())
        ]


def workshop_step(round_: Round, code: str, *, summary: RoundSummary | None = None) -> WorkshopStep:
    """Everything one screen of the sequence shows; 404 for a code the round does not have.

    Costs round_summary's fixed queries plus 2.
    """
    items = round_preconditions(round_)
    codes = [item.code for item in items]
    if code not in codes:
        raise Http404("No such precondition in this round.")
    position = codes.index(code)
    summary = summary or round_summary(round_, breakdowns=False)
    return WorkshopStep(
        index=position + 1,
        total=len(codes),
        precondition=items[position],
        figures=summary.precondition(code),
        scale=summary.scale,
        previous_round_name=summary.previous_round_name,
        notes=pick_notes(evidence_notes(round_, code=code)),
        prompts=prompts_for(code, items[position].name),
        previous_code=codes[position - 1] if position > 0 else None,
        next_code=codes[position + 1] if position + 1 < len(codes) else None,
    )


# --------------------------------------------------------------------------------------------
# For the round's report pages (handed to reports.extras in WorkshopConfig.ready)
# --------------------------------------------------------------------------------------------


def dashboard_context(round_: Round) -> dict:
    """What earlier workshops agreed, and what the room agreed about this round (4 queries)."""
    views = agreed_view_rows(round_)
    return {
        "carried_actions": actions_carried_into(round_),
        "agreed_views": views,
        "has_agreed_views": any(view for _item, view in views),
    }


def pdf_context(round_: Round) -> dict:
    """What the round's workshop agreed, and actions carried in from earlier ones (6 queries)."""
    views = agreed_view_rows(round_)
    actions = actions_for_round(round_)
    carried = actions_carried_into(round_)
    return {
        "agreed_views": views,
        "has_agreed_views": any(view for _item, view in views),
        "round_actions": actions,
        "carried_actions": carried,
        "has_workshop": bool(actions or carried or any(view for _item, view in views)),
    }
