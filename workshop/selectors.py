"""Reads for workshops and network comparisons. Figures come from reports.aggregation only.

For the dashboard and the PDF (see docs/decisions/0081):

- ``agreed_views_for_round(round_)``: {precondition code: AgreedView}, 1 query;
- ``agreed_view_rows(round_)``: [(precondition, AgreedView or None)] in order, 2 queries;
- ``actions_for_round(round_)``: actions agreed at that round's workshop, 2 queries;
- ``actions_carried_into(round_)``: actions agreed at earlier rounds of the same place, with
  their current status, 2 queries.
"""

from __future__ import annotations

import string
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
    ResponseRate,
    RoundSummary,
    cached_round_summary,
    evidence_notes,
    round_summary,
)
from workshop.models import Action, ActionStatus, AgreedView, Network, NetworkPlace
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
# Networks
# --------------------------------------------------------------------------------------------


def networks_for_viewer(user) -> list[Network]:
    if not user.is_authenticated:
        return []
    return list(Network.objects.filter(members=user).order_by("name"))


def network_for_viewer(user, slug: str) -> Network:
    """The network with ``slug`` if the user is one of its viewers; otherwise a 404 (1 query)."""
    if not user.is_authenticated:
        raise Http404("No such network.")
    network = Network.objects.filter(slug=slug, members=user).first()
    if network is None:
        raise Http404("No such network.")
    return network


def network_requests_for_place(place: Place) -> list[NetworkPlace]:
    """The networks a place is asked to join, with what its leads agreed (1 query)."""
    return list(
        NetworkPlace.objects.filter(place=place)
        .select_related("network", "consented_by")
        .order_by("network__name")
    )


@dataclass(frozen=True)
class ComparedFigure:
    score: float | None
    spread: float | None
    min_score: float | None
    max_score: float | None
    partners_scored: int


@dataclass(frozen=True)
class ComparedPlace:
    """One shared place, reduced to what a network may see: no partner or person names."""

    label: str
    named: bool
    round_label: str | None  # None when the place has no round beyond a draft yet
    response_rate: ResponseRate | None
    figures: dict[str, ComparedFigure]


@dataclass(frozen=True)
class Comparison:
    codes: list[str]
    names: dict[str, str]
    places: list[ComparedPlace]


def _letter(n: int) -> str:
    letters = string.ascii_uppercase
    return letters[n] if n < len(letters) else letters[n // 26 - 1] + letters[n % 26]


def _anonymous_round_label(round_: Round) -> str:
    # The round's own name could identify the place, so only its dates are shown.
    state = "closed" if round_.state == RoundState.CLOSED else "open"
    return f"Round opened {round_.opens_on:%B %Y} ({state})"


def network_comparison(network: Network) -> Comparison:
    """Places side by side, only those whose leads agreed to share.

    A place that has not agreed is filtered out in the first query and never counted.
    Anonymous places are lettered in the order of their random ``opaque_key``.
    Query cost: 2, plus round_summary without breakdowns for each shared place whose cached
    summary is missing or stale.
    """
    shared = list(
        NetworkPlace.objects.filter(network=network, consent_share=True)
        .select_related("place")
        .order_by("opaque_key", "pk")
    )
    latest: dict[int, Round] = {}
    for round_ in (
        Round.objects.filter(place_id__in=[np.place_id for np in shared])
        .exclude(state=RoundState.DRAFT)
        .select_related("place", "framework")
        .order_by("place_id", "-opens_on", "-pk")
    ):
        latest.setdefault(round_.place_id, round_)

    codes: list[str] = []
    names: dict[str, str] = {}
    places: list[ComparedPlace] = []
    anonymous = 0
    for membership in shared:
        if membership.consent_named:
            label = membership.place.name
        else:
            label = f"Place {_letter(anonymous)}"
            anonymous += 1
        round_ = latest.get(membership.place_id)
        if round_ is None:
            places.append(ComparedPlace(label, membership.consent_named, None, None, {}))
            continue
        # The summary the place's own report pages cache, keyed on the data version of the
        # place row loaded above: a repeat comparison reads no answer table.
        summary = cached_round_summary(round_, breakdowns=False, place=round_.place)
        figures = {}
        for item in summary.preconditions:
            if item.code not in names:
                codes.append(item.code)
                names[item.code] = item.name
            figures[item.code] = ComparedFigure(
                score=item.place_score,
                spread=item.spread,
                min_score=item.min_score,
                max_score=item.max_score,
                partners_scored=item.partners_scored,
            )
        places.append(
            ComparedPlace(
                label=label,
                named=membership.consent_named,
                round_label=(
                    f"{round_.name} ({round_.get_state_display().lower()})"
                    if membership.consent_named
                    else _anonymous_round_label(round_)
                ),
                response_rate=summary.response_rate,
                figures=figures,
            )
        )
    return Comparison(codes=codes, names=names, places=places)


def comparison_rows(comparison: Comparison) -> list[dict]:
    """One row per precondition with a cell per place, in the places' order (for templates)."""
    return [
        {
            "code": code,
            "name": comparison.names[code],
            "cells": [place.figures.get(code) for place in comparison.places],
        }
        for code in comparison.codes
    ]
