"""Reads for networks comparing places. Figures come from reports.aggregation only.

Consent and anonymity rules: decision 0082.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from django.http import Http404

from assessments.models import Round, RoundState
from networks.models import Network, NetworkPlace
from places.models import Place
from reports.aggregation import ResponseRate, cached_round_summary


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
