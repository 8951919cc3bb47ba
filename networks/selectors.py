"""Reads for networks comparing places. Figures come from reports.aggregation only.

Consent and anonymity rules: decision 0082.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from django.http import Http404

from assessments.models import Round, RoundState
from networks.models import Network, NetworkPlace
from ninefold import figures
from places.access import places_for_user
from places.models import Place
from reports.aggregation import (
    PlaceTrend,
    ResponseRate,
    cached_place_trend,
    cached_round_summary,
)


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
    own: bool = False  # the viewer is a member of this place
    trend: PlaceTrend | None = None


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


def network_comparison(network: Network, viewer=None) -> Comparison:
    """Places side by side, only those whose leads agreed to share.

    A place that has not agreed is filtered out in the first query and never counted.
    Anonymous places are lettered in the order of their random ``opaque_key``. With a
    ``viewer``, the places they are a member of are marked ``own`` (one query more).
    Query cost: 2 (3 with a viewer), plus round_summary without breakdowns and place_trend
    for each shared place whose cached summary or trend is missing or stale.
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

    own_ids = (
        set(places_for_user(viewer).values_list("place_id", flat=True))
        if viewer is not None and viewer.is_authenticated and shared
        else set()
    )
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
            places.append(
                ComparedPlace(
                    label,
                    membership.consent_named,
                    None,
                    None,
                    {},
                    own=membership.place_id in own_ids,
                )
            )
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
                own=membership.place_id in own_ids,
                trend=cached_place_trend(round_.place),
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


# --------------------------------------------------------------------------------------------
# The comparison chart and the trends (decision 0084): positions only, every figure is one
# network_comparison took from reports.aggregation.
# --------------------------------------------------------------------------------------------

# A chart of one place compares nothing, and a lone dot beside "your place" is the one other
# place that shares: below this many places with a score the chart and trends are not drawn.
MIN_PLACES_FOR_CHART = 2

# The dot strip of one precondition is drawn in a 0 0 CHART_WIDTH STRIP_HEIGHT box.
CHART_WIDTH = 600
STRIP_HEIGHT = 112
_LEFT, _RIGHT = 24, 24
MID = 48  # baseline of the dots and the scale line
_STACK = 12  # how far dots at the same score stand apart, alternately above and below
_LABEL_ABOVE, _LABEL_BELOW = 22, 84  # where a dot's place label sits, alternately
TICK_LABEL_Y = 108


def scale_x(score: float) -> float:
    """x of a score on the 1–5 scale in a strip ``CHART_WIDTH`` wide."""
    return round(_LEFT + (score - 1) / 4 * (CHART_WIDTH - _LEFT - _RIGHT), 1)


@dataclass(frozen=True)
class Dot:
    label: str
    score: float
    own: bool
    x: float
    y: float

    label_y: float = _LABEL_ABOVE

    @property
    def top(self) -> float:
        """The top corner of the diamond that marks the viewer's own place."""
        return self.y - 10

    @property
    def label_anchor(self) -> str:
        """Labels near either end of the scale run inwards, so they are never cut off."""
        if self.x < CHART_WIDTH / 5:
            return "start"
        return "end" if self.x > CHART_WIDTH * 4 / 5 else "middle"


@dataclass(frozen=True)
class DotRow:
    code: str
    name: str
    dots: list[Dot]  # lowest score first; the viewer's own place last, so it is drawn on top

    @property
    def description(self) -> str:
        """What the strip shows, in words, for a screen reader."""
        parts = [
            f"{d.label}{' (your place)' if d.own else ''} {figures.fmt(d.score)}"
            for d in sorted(self.dots, key=lambda d: (d.score, d.label))
        ]
        return "; ".join(parts) if parts else "no place has a score"


@dataclass(frozen=True)
class TrendRow:
    code: str
    name: str
    scores: list[float | None]  # one per round, oldest first
    points: str  # the sparkline's polyline points, in a 0 0 SPARK_WIDTH SPARK_HEIGHT box


@dataclass(frozen=True)
class PlaceTrendTable:
    label: str
    own: bool
    rounds: list[str]  # "March 2026": months only, never a round's name (decision 0082)
    rows: list[TrendRow]


SPARK_WIDTH, SPARK_HEIGHT = 120, 32


def _ticks_y(score: float) -> float:
    return round(SPARK_HEIGHT - 4 - (score - 1) / 4 * (SPARK_HEIGHT - 8), 1)


def chart_places(comparison: Comparison) -> list[ComparedPlace]:
    """The places with at least one score; empty when fewer than MIN_PLACES_FOR_CHART."""
    scored = [p for p in comparison.places if any(f.score is not None for f in p.figures.values())]
    return scored if len(scored) >= MIN_PLACES_FOR_CHART else []


def comparison_chart(comparison: Comparison) -> list[DotRow]:
    """One strip per precondition, a dot per sharing place with a score (none when too few)."""
    places = chart_places(comparison)
    if not places:
        return []
    rows = []
    for code in comparison.codes:
        scored = [
            (p, p.figures[code].score)
            for p in places
            if code in p.figures and p.figures[code].score is not None
        ]
        scored.sort(key=lambda item: (item[0].own, item[1], item[0].label))
        seen: dict[float, int] = {}
        # Labels alternate above and below the line in score order, so neighbours' labels
        # do not run into each other.
        label_rows = {
            id(place): (_LABEL_ABOVE if i % 2 == 0 else _LABEL_BELOW)
            for i, (place, _score) in enumerate(sorted(scored, key=lambda item: item[1]))
        }
        dots = []
        for place, score in scored:
            n = seen.get(round(score, 1), 0)
            seen[round(score, 1)] = n + 1
            offset = ((n + 1) // 2) * _STACK * (1 if n % 2 else -1)
            dots.append(
                Dot(
                    place.label,
                    score,
                    place.own,
                    scale_x(score),
                    MID + offset,
                    label_rows[id(place)],
                )
            )
        rows.append(DotRow(code, comparison.names[code], dots))
    return rows


def comparison_trends(comparison: Comparison) -> list[PlaceTrendTable]:
    """Each charted place's place scores across its rounds, oldest first (none when too few)."""
    tables = []
    for place in chart_places(comparison):
        trend = place.trend
        if trend is None or not trend.points:
            continue
        count = len(trend.points)
        rows = []
        for code in comparison.codes:
            scores = [point.scores.get(code) for point in trend.points]
            step = (SPARK_WIDTH - 8) / max(count - 1, 1)
            points = " ".join(
                f"{round(4 + i * step, 1)},{_ticks_y(score)}"
                for i, score in enumerate(scores)
                if score is not None
            )
            rows.append(TrendRow(code, comparison.names[code], scores, points))
        tables.append(
            PlaceTrendTable(
                label=place.label,
                own=place.own,
                rounds=[f"{point.opens_on:%B %Y}" for point in trend.points],
                rows=rows,
            )
        )
    return tables
