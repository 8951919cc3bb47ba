"""Every figure Ninefold shows about a round, computed in one place.

The dashboard, the PDF report, the exports and the JSON summary all call these
functions and never compute figures of their own. The rules (docs/aggregation.md):

- only submitted responses count; drafts never do;
- partner score: mean of that partner's respondents' scores, "don't know" excluded;
- place score: mean of the partner scores, so every partner weighs the same;
- spread: population standard deviation and min–max of the partner scores;
- group score (Vision, Behaviours): mean of its preconditions' place scores;
- change: place score minus the same precondition's place score (matched by code)
  in the previous closed round of the same place;
- confidentiality (docs/confidentiality.md, decision 0100): every function here returns
  figures that are already safe for the audience it is given. Unless the round names
  partners or the viewer is one of its leads, partners with fewer than
  ``settings.NINEFOLD_MIN_GROUP_SIZE`` respondents are pooled into one "Other partners" row,
  never named (not as highest or lowest either), and notes are attributed only to groups of
  at least that size. Breakdowns by sector or perspective show only groups of at least that
  size; smaller groups are pooled, and a pool still under the minimum takes in the smallest
  shown groups, so that no hidden group can be worked out from the others and the total.
  Callers never filter anything themselves: the default audience is the safe one.

The database does the per-rating work (averages and counts grouped by partner
and precondition); Python only ever sees one row per partner and precondition
(or per partner, precondition and breakdown group), never one per rating.
``round_summary`` costs a fixed number of queries whatever the size of the round.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Avg, BooleanField, Case, Count, Q, Sum, Value, When

from assessments.models import (
    Confidentiality,
    Invitation,
    Perspective,
    Rating,
    Response,
    ResponseStatus,
    Round,
    RoundState,
)
from assessments.progress import LIVE, round_counts
from ninefold.figures import fmt  # noqa: F401 - callers read fmt from here too
from places.models import Partner, Place, Role, Sector
from preconditions.models import Precondition
from reports import cache as report_cache

SUBMITTED = ResponseStatus.SUBMITTED

# Who a result is for (docs/confidentiality.md). LEAD: a partnership lead on screen, who
# runs the round and sees partners by name whatever the round's mode. SHARED: everyone
# else, and every document that can be passed on (PDF, workshop screens, exports).
LEAD = "lead"
SHARED = "shared"
ANOTHER_PARTNER = "another partner"
# A plain dict: get_sector_display() per partner score costs more than the rest of the loop.
SECTOR_LABELS = dict(Sector.choices)


# --------------------------------------------------------------------------------------------
# The structure every consumer reads
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerScore:
    partner_id: int | None  # None for the pooled "Other partners" entry
    name: str
    sector: str
    sector_label: str
    archived: bool
    score: float | None  # None when every respondent said "don't know", or when hidden
    respondents: int  # respondents of this partner who gave a score
    dont_know: int
    pooled: bool = False  # the "Other partners" entry (docs/confidentiality.md)
    hidden: bool = False  # a pool under the minimum group size: no score shown


@dataclass(frozen=True)
class PreconditionSummary:
    code: str
    name: str
    summary: str
    group_code: str
    group_name: str
    place_score: float | None
    spread: float | None  # population standard deviation of partner scores
    min_score: float | None
    max_score: float | None
    lowest_partners: list[str]
    highest_partners: list[str]
    partners_scored: int
    respondents: int  # respondents who gave a score (don't know excluded)
    dont_know: int  # respondents who said "don't know"
    distribution: dict[int, int]  # level -> number of respondents choosing it
    previous_score: float | None
    change: float | None
    partner_scores: list[PartnerScore]

    @property
    def range(self) -> float | None:
        if self.min_score is None or self.max_score is None:
            return None
        return self.max_score - self.min_score


@dataclass(frozen=True)
class GroupSummary:
    code: str
    name: str
    codes: list[str]
    score: float | None
    previous_score: float | None
    change: float | None


@dataclass(frozen=True)
class ResponseRate:
    people_invited: int  # invitations not revoked
    people_submitted: int
    people_draft: int  # started but not submitted: never counted in any figure
    partners_invited: int
    partners_submitted: int  # partners with at least one submitted response

    @property
    def people_ratio(self) -> float | None:
        return self.people_submitted / self.people_invited if self.people_invited else None

    @property
    def partners_ratio(self) -> float | None:
        if not self.partners_invited:
            return None
        return self.partners_submitted / self.partners_invited


@dataclass(frozen=True)
class BreakdownGroup:
    key: str
    label: str
    respondents: int
    hidden: bool  # fewer respondents than the minimum group size: no scores shown
    scores: dict[str, float | None]  # precondition code -> score (empty when hidden)
    pooled: bool = False  # the "Other …" row that holds the groups not shown on their own


@dataclass(frozen=True)
class Breakdown:
    dimension: str  # "sector" or "perspective"
    min_group_size: int
    groups: list[BreakdownGroup]
    pooled_count: int = 0  # groups not shown on their own, only inside the "Other …" row

    @property
    def hidden_count(self) -> int:
        return self.pooled_count


@dataclass(frozen=True)
class PartnerRow:
    """One row of the partners × preconditions heatmap."""

    partner_id: int | None  # None for the pooled "Other partners" row
    name: str
    sector_label: str
    archived: bool
    respondents: int  # submitted responses from this partner
    scores: dict[str, float | None]
    mean: float | None  # used only to order rows so patterns show; never shown as a verdict
    pooled: bool = False
    hidden: bool = False  # a pool under the minimum group size: no scores shown
    # precondition code -> this row's score minus the place score (None where either is
    # missing): what the heatmap shades, so that a partner's view reads against the place's.
    differences: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class RoundSummary:
    round_id: int
    round_name: str
    place_name: str
    place_slug: str
    state: str
    opens_on: date
    closes_on: date
    previous_round_id: int | None
    previous_round_name: str | None
    scale: dict[int, str]  # level -> label
    response_rate: ResponseRate
    preconditions: list[PreconditionSummary]
    groups: list[GroupSummary]
    partners: list[PartnerRow]
    breakdowns: list[Breakdown] = field(default_factory=list)
    # What this summary may show (docs/confidentiality.md): False when partners under the
    # minimum group size are pooled for this audience.
    names_partners: bool = True
    confidentiality: str = "confidential"  # the round's mode, for the page's explanation
    min_group_size: int = 3
    pooled_partners: int = 0  # partners inside the "Other partners" row
    # The lived-experience gap (``lived_experience_gap``), built with the breakdowns so that
    # one cached object serves the dashboard, the JSON summary and the PDF; None without
    # breakdowns. Not in ``as_dict``: the JSON summary carries it under its own name.
    gap: Gap | None = None

    def precondition(self, code: str) -> PreconditionSummary:
        for item in self.preconditions:
            if item.code == code:
                return item
        raise KeyError(code)

    @property
    def has_answers(self) -> bool:
        return self.response_rate.people_submitted > 0

    def most_disputed(self, n: int = 3) -> list[PreconditionSummary]:
        """Preconditions where partners' views differ most (largest spread)."""
        scored = [p for p in self.preconditions if p.spread is not None and p.partners_scored > 1]
        return sorted(scored, key=lambda p: (-p.spread, p.code))[:n]

    def most_agreed(self, n: int = 3) -> list[PreconditionSummary]:
        """Preconditions where partners' views are closest (smallest spread)."""
        scored = [p for p in self.preconditions if p.spread is not None and p.partners_scored > 1]
        return sorted(scored, key=lambda p: (p.spread, p.code))[:n]

    def largest_changes(self, n: int = 3) -> list[PreconditionSummary]:
        moved = [p for p in self.preconditions if p.change is not None]
        return sorted(moved, key=lambda p: (-abs(p.change), p.code))[:n]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form (dates as ISO strings, level keys as strings), without the gap."""
        data = _jsonable(asdict(self))
        del data["gap"]
        return data


# --------------------------------------------------------------------------------------------
# Small numeric helpers
# --------------------------------------------------------------------------------------------


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def place_score_of(partner_scores: Iterable[float | Decimal | None]) -> float | None:
    """The place score, defined once: the mean of the partner scores, so every partner weighs
    the same however many people it sent. A partner whose people all said "don't know" has
    no score and is left out; no partner score at all gives no place score (None). The
    round's figures, the previous round's (for the change) and the trend all use this."""
    return mean([float(score) for score in partner_scores if score is not None])


def population_sd(values: list[float]) -> float | None:
    if not values:
        return None
    m = sum(values) / len(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / len(values))


def _diff(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    return value


# --------------------------------------------------------------------------------------------
# Queries
# --------------------------------------------------------------------------------------------


def _submitted_ratings(round_ids: list[int]):
    return Rating.objects.filter(
        response__status=SUBMITTED, response__invitation__round_id__in=round_ids
    )


def _partner_rows(round_id: int) -> list[dict[str, Any]]:
    """One row per partner and precondition: mean score, scored and don't-know counts (1 query)."""
    return list(
        _submitted_ratings([round_id])
        .values("response__invitation__partner_id", "precondition__code")
        .annotate(
            avg=Avg("score"),
            scored=Count("pk", filter=Q(score__isnull=False)),
            dont_know=Count("pk", filter=Q(score__isnull=True, answered=True)),
        )
        .order_by()
    )


def _place_scores(rows: list[dict[str, Any]]) -> dict[str, float | None]:
    """Place score per precondition code from ``_partner_rows``."""
    by_code: dict[str, list[float | None]] = defaultdict(list)
    for row in rows:
        by_code[row["precondition__code"]].append(row["avg"])
    return {code: place_score_of(averages) for code, averages in by_code.items()}


def previous_closed_round(round_: Round) -> Round | None:
    """The latest closed round of the same place that opened before this one (1 query)."""
    return (
        Round.objects.filter(
            place_id=round_.place_id, state=RoundState.CLOSED, opens_on__lt=round_.opens_on
        )
        .exclude(pk=round_.pk)
        .order_by("-opens_on", "-pk")
        .first()
    )


def names_partners_for(round_: Round, audience: str) -> bool:
    """True when partner results may carry partners' names at any size for this audience:
    the round names partners, or a lead is looking (docs/confidentiality.md)."""
    return round_.confidentiality == Confidentiality.NAMED or audience == LEAD


def audience_for(role: str | None) -> str:
    """The audience of a member with ``role``: only leads see partners by name on screen."""
    return LEAD if role == Role.LEAD else SHARED


def pooled_partner_ids(
    respondents: dict[int, int], names: dict[int, str], minimum: int
) -> set[int]:
    """The partners shown only inside "Other partners" (docs/confidentiality.md).

    Every partner with fewer than ``minimum`` respondents. If together they are still fewer
    than ``minimum``, the smallest named partners join them until the pool reaches it (or
    everyone is in it): otherwise the pool's figure could be worked out from the place score
    and the named rows.
    """
    pooled = {p for p, n in respondents.items() if 0 < n < minimum}
    if not pooled:
        return pooled
    total = sum(respondents[p] for p in pooled)
    rest = sorted(
        (p for p, n in respondents.items() if n and p not in pooled),
        key=lambda p: (respondents[p], names.get(p, "").casefold(), p),
    )
    while total < minimum and rest:
        partner_id = rest.pop(0)
        pooled.add(partner_id)
        total += respondents[partner_id]
    return pooled


def pool_label(people: int, organisations: int) -> str:
    return (
        f"Other partners ({people} {'person' if people == 1 else 'people'} from "
        f"{organisations} organisation{'' if organisations == 1 else 's'})"
    )


def round_summary(
    round_: Round, *, breakdowns: bool = True, audience: str = SHARED
) -> RoundSummary:
    """All figures for one round, safe for ``audience`` (``SHARED`` unless a lead is looking
    at a screen). Costs a fixed number of queries (about a dozen)."""
    place = round_.place
    minimum = settings.NINEFOLD_MIN_GROUP_SIZE
    named = names_partners_for(round_, audience)
    items = list(
        Precondition.objects.filter(framework_id=round_.framework_id)
        .select_related("group")
        .order_by("group__order", "order", "code")
    )
    scale = dict(round_.framework.scale.values_list("value", "label"))

    rows = _partner_rows(round_.pk)
    partner_ids = {row["response__invitation__partner_id"] for row in rows}
    invited_partner_ids = set(
        Invitation.objects.filter(LIVE, round=round_)
        .values_list("partner_id", flat=True)
        .distinct()
        .order_by()  # without the model's ordering, which would join round and place
    )
    partners = {
        p.pk: p
        for p in Partner.objects.filter(pk__in=partner_ids | invited_partner_ids).order_by("name")
    }

    # Respondents per partner and the distribution of levels per precondition.
    submitted_per_partner = _respondents_by(round_, "invitation__partner_id")
    pooled = (
        set()
        if named
        else pooled_partner_ids(
            submitted_per_partner, {pk: p.name for pk, p in partners.items()}, minimum
        )
    )
    pool_people = sum(submitted_per_partner.get(p, 0) for p in pooled)
    pool_hidden = bool(pooled) and pool_people < minimum
    distribution: dict[str, dict[int, int]] = defaultdict(dict)
    for code, score, n in (
        _submitted_ratings([round_.pk])
        .filter(score__isnull=False)
        .values("precondition__code", "score")
        .annotate(n=Count("pk"))
        .values_list("precondition__code", "score", "n")
        .order_by()
    ):
        distribution[code][score] = n

    previous = previous_closed_round(round_)
    previous_scores = _place_scores(_partner_rows(previous.pk)) if previous else {}

    # Assemble per precondition from the partner-level rows.
    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_code[row["precondition__code"]].append(row)

    summaries: list[PreconditionSummary] = []
    for item in items:
        every: list[PartnerScore] = []  # every partner, named: for the place figures only
        for row in sorted(
            by_code.get(item.code, []),
            key=lambda r: partners[r["response__invitation__partner_id"]].name,
        ):
            partner = partners[row["response__invitation__partner_id"]]
            every.append(
                PartnerScore(
                    partner_id=partner.pk,
                    name=partner.name,
                    sector=partner.sector,
                    sector_label=SECTOR_LABELS.get(partner.sector, partner.sector),
                    archived=partner.is_archived,
                    score=float(row["avg"]) if row["avg"] is not None else None,
                    respondents=row["scored"],
                    dont_know=row["dont_know"],
                )
            )
        # Place score, spread and range include every partner: an unnamed value names no one.
        values = [p.score for p in every if p.score is not None]
        low = min(values) if values else None
        high = max(values) if values else None
        place_score = place_score_of(values)
        previous_score = previous_scores.get(item.code)
        shown = [p for p in every if p.partner_id not in pooled]
        in_pool = [p for p in every if p.partner_id in pooled]
        if in_pool:
            shown.append(
                PartnerScore(
                    partner_id=None,
                    name=pool_label(pool_people, len(pooled)),
                    sector="",
                    sector_label="",
                    archived=False,
                    score=None
                    if pool_hidden
                    else mean([p.score for p in in_pool if p.score is not None]),
                    respondents=sum(p.respondents for p in in_pool),
                    dont_know=sum(p.dont_know for p in in_pool),
                    pooled=True,
                    hidden=pool_hidden,
                )
            )
        summaries.append(
            PreconditionSummary(
                code=item.code,
                name=item.name,
                summary=item.summary,
                group_code=item.group.code,
                group_name=item.group.name,
                place_score=place_score,
                spread=population_sd(values),
                min_score=low,
                max_score=high,
                lowest_partners=_extreme_names(every, low, pooled) if values else [],
                highest_partners=_extreme_names(every, high, pooled) if values else [],
                partners_scored=len(values),
                respondents=sum(p.respondents for p in every),
                dont_know=sum(p.dont_know for p in every),
                distribution={level: distribution[item.code].get(level, 0) for level in scale},
                previous_score=previous_score,
                change=_diff(place_score, previous_score),
                partner_scores=shown,
            )
        )

    groups = _groups(items, summaries, previous_scores)
    heatmap = _heatmap(
        partners,
        by_code,
        items,
        submitted_per_partner,
        pooled,
        minimum,
        {s.code: s.place_score for s in summaries},
    )
    rate = _response_rate(round_, invited_partner_ids, submitted_per_partner)

    return RoundSummary(
        round_id=round_.pk,
        round_name=round_.name,
        place_name=place.name,
        place_slug=place.slug,
        state=round_.state,
        opens_on=round_.opens_on,
        closes_on=round_.closes_on,
        previous_round_id=previous.pk if previous else None,
        previous_round_name=previous.name if previous else None,
        scale=scale,
        response_rate=rate,
        preconditions=summaries,
        groups=groups,
        partners=heatmap,
        breakdowns=(
            [
                _breakdown_by_sector(round_, partners, rows, pooled),
                _breakdown_by_perspective(round_),
            ]
            if breakdowns
            else []
        ),
        gap=lived_experience_gap(round_) if breakdowns else None,
        names_partners=named,
        confidentiality=round_.confidentiality,
        min_group_size=minimum,
        pooled_partners=len(pooled),
    )


def _extreme_names(every: list[PartnerScore], value: float, pooled: set[int]) -> list[str]:
    """Partners at the lowest or highest score: by name, except that a pooled partner is only
    ever "another partner" (never named as highest or lowest)."""
    at = [p for p in every if p.score == value]
    names = [p.name for p in at if p.partner_id not in pooled]
    if any(p.partner_id in pooled for p in at):
        names.append(ANOTHER_PARTNER)
    return names


def _groups(items, summaries, previous_scores) -> list[GroupSummary]:
    seen: dict[str, tuple[str, list[str]]] = {}
    for item in items:
        seen.setdefault(item.group.code, (item.group.name, []))[1].append(item.code)
    by_code = {s.code: s for s in summaries}
    result = []
    for code, (name, codes) in seen.items():
        score = mean([by_code[c].place_score for c in codes if by_code[c].place_score is not None])
        before = mean([previous_scores[c] for c in codes if previous_scores.get(c) is not None])
        result.append(
            GroupSummary(
                code=code,
                name=name,
                codes=codes,
                score=score,
                previous_score=before,
                change=_diff(score, before),
            )
        )
    return result


def _heatmap(
    partners, by_code, items, submitted_per_partner, pooled, minimum, place_scores
) -> list[PartnerRow]:
    scores: dict[int, dict[str, float | None]] = defaultdict(dict)
    for code, rows in by_code.items():
        for row in rows:
            avg = row["avg"]
            scores[row["response__invitation__partner_id"]][code] = (
                float(avg) if avg is not None else None
            )
    result = []
    for partner_id, by_precondition in scores.items():
        if partner_id in pooled:
            continue
        partner = partners[partner_id]
        full = {item.code: by_precondition.get(item.code) for item in items}
        result.append(
            PartnerRow(
                partner_id=partner_id,
                name=partner.name,
                sector_label=SECTOR_LABELS.get(partner.sector, partner.sector),
                archived=partner.is_archived,
                respondents=submitted_per_partner.get(partner_id, 0),
                scores=full,
                mean=mean([v for v in full.values() if v is not None]),
                differences={c: _diff(v, place_scores.get(c)) for c, v in full.items()},
            )
        )
    # Highest overall first, so bands of agreement and disagreement line up.
    result.sort(key=lambda r: (-(r.mean if r.mean is not None else -1), r.name))
    if pooled:
        people = sum(submitted_per_partner.get(p, 0) for p in pooled)
        hidden = people < minimum
        pool_scores = {
            item.code: None
            if hidden
            else mean(
                [scores[p][item.code] for p in pooled if scores[p].get(item.code) is not None]
            )
            for item in items
        }
        # Last, whatever its scores: it is not one partner, so it is not ranked among them.
        result.append(
            PartnerRow(
                partner_id=None,
                name=pool_label(people, len(pooled)),
                sector_label="",
                archived=False,
                respondents=people,
                scores=pool_scores,
                mean=None,
                pooled=True,
                hidden=hidden,
                differences={c: _diff(v, place_scores.get(c)) for c, v in pool_scores.items()},
            )
        )
    return result


def _response_rate(round_, invited_partner_ids, submitted_per_partner) -> ResponseRate:
    counts = round_counts(round=round_)
    return ResponseRate(
        people_invited=counts["invited"],
        people_submitted=counts["submitted"],
        people_draft=counts["draft"],
        partners_invited=len(invited_partner_ids),
        partners_submitted=sum(1 for n in submitted_per_partner.values() if n),
    )


def _respondents_by(round_, field_path: str) -> dict[str, int]:
    """Submitted responses of the round counted per value of ``field_path`` (1 query)."""
    return dict(
        Response.objects.filter(invitation__round=round_, status=SUBMITTED)
        .values(field_path)
        .annotate(n=Count("pk"))
        .values_list(field_path, "n")
        .order_by()
    )


POOL_NAMES = {"sector": ("sectors", "sector"), "perspective": ("perspectives", "perspective")}


def _breakdown(dimension, choices, respondents, score_of, minimum, blocked=()) -> Breakdown:
    """Groups in the order of ``choices``, made safe (docs/confidentiality.md).

    A group is shown on its own when it has at least ``minimum`` respondents and is not in
    ``blocked``. The others are pooled into one "Other …" row; if the pool is under the
    minimum, the smallest shown groups join it until it is not (or everything is in it), so
    that no hidden group can be worked out from the others. A pool under the minimum shows
    no scores. ``score_of(keys)`` gives the scores of the union of groups ``keys``.
    """
    present = [c for c in choices if respondents.get(c.value, 0)]
    pooled = [c for c in present if respondents[c.value] < minimum or c.value in blocked]
    if pooled:
        total = sum(respondents[c.value] for c in pooled)
        rest = sorted(
            (c for c in present if c not in pooled),
            key=lambda c: (respondents[c.value], str(c.label)),
        )
        while total < minimum and rest:
            choice = rest.pop(0)
            pooled.append(choice)
            total += respondents[choice.value]
    groups = [
        BreakdownGroup(
            key=c.value,
            label=c.label,
            respondents=respondents[c.value],
            hidden=False,
            scores=score_of([c.value]),
        )
        for c in present
        if c not in pooled
    ]
    if pooled:
        people = sum(respondents[c.value] for c in pooled)
        plural, singular = POOL_NAMES.get(dimension, (f"{dimension}s", dimension))
        hidden = people < minimum
        groups.append(
            BreakdownGroup(
                key="other",
                label=(
                    f"Other {plural} ({people} {'person' if people == 1 else 'people'} "
                    f"from {len(pooled)} {singular if len(pooled) == 1 else plural})"
                ),
                respondents=people,
                hidden=hidden,
                scores={} if hidden else score_of([c.value for c in pooled]),
                pooled=True,
            )
        )
    return Breakdown(
        dimension=dimension, min_group_size=minimum, groups=groups, pooled_count=len(pooled)
    )


def _breakdown_by_sector(round_, partners, rows, pooled) -> Breakdown:
    """Sector score: mean of that sector's partner scores (partner rows already fetched).

    A sector holding a pooled partner is not shown on its own: with the named partners'
    rows beside it, its figure would give the pooled partner's away. Together such sectors
    hold whole pooled and named partners only, so the "Other sectors" row can be shown.
    """
    values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row["avg"] is not None:
            sector = partners[row["response__invitation__partner_id"]].sector
            values[sector][row["precondition__code"]].append(float(row["avg"]))
    respondents = _respondents_by(round_, "invitation__partner__sector")
    blocked = {partners[p].sector for p in pooled if p in partners}

    def score_of(keys):
        codes = {code for key in keys for code in values[key]}
        return {
            code: mean([v for key in keys for v in values[key].get(code, [])]) for code in codes
        }

    return _breakdown(
        "sector", Sector, respondents, score_of, settings.NINEFOLD_MIN_GROUP_SIZE, blocked
    )


def _breakdown_by_perspective(round_) -> Breakdown:
    """Perspective score: per partner the mean of its respondents of that perspective, then
    the mean across partners, so that partners weigh the same here too (2 queries). A pool
    of perspectives is weighted the same way: per partner the mean of its respondents in
    the pool, then the mean across partners."""
    minimum = settings.NINEFOLD_MIN_GROUP_SIZE
    respondents = _respondents_by(round_, "invitation__perspective")
    # (perspective, partner, code) -> (sum of scores, number of scores)
    cells: dict[tuple[str, int, str], tuple[float, int]] = {}
    if sum(respondents.values()) >= minimum:
        for perspective, partner, code, total, n in (
            _submitted_ratings([round_.pk])
            .filter(score__isnull=False)
            .values(
                "response__invitation__perspective",
                "response__invitation__partner_id",
                "precondition__code",
            )
            .annotate(total=Sum("score"), n=Count("pk"))
            .values_list(
                "response__invitation__perspective",
                "response__invitation__partner_id",
                "precondition__code",
                "total",
                "n",
            )
            .order_by()
        ):
            cells[(perspective, partner, code)] = (float(total), n)

    def score_of(keys):
        per_partner: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
        for (perspective, partner, code), (total, n) in cells.items():
            if perspective in keys:
                sums = per_partner[code][partner]
                if not sums:
                    sums.extend([0.0, 0.0])
                sums[0] += total
                sums[1] += n
        return {
            code: mean([t / n for t, n in by_partner.values() if n])
            for code, by_partner in per_partner.items()
        }

    return _breakdown("perspective", Perspective, respondents, score_of, minimum)


# --------------------------------------------------------------------------------------------
# Evidence and trends
# --------------------------------------------------------------------------------------------


REDACTED_NOTE = "[A partnership lead removed the text of this note.]"


@dataclass(frozen=True)
class EvidenceNote:
    precondition_code: str
    score: int | None
    text: str
    partner: str  # empty when the partner may not be named (docs/confidentiality.md)
    sector_label: str  # empty when the sector is too small to name
    perspective_label: str  # empty when the perspective would single someone out
    submitted_at: datetime | None
    rating_id: int | None = None  # for a lead's "remove this note's text" (privacy.notes)
    redacted: bool = False

    @property
    def source(self) -> str:
        """Who the note is attributed to, as far as is safe: never a person."""
        if self.partner:
            return f"{self.partner} ({self.sector_label})" if self.sector_label else self.partner
        if self.sector_label:
            return f"A partner organisation ({self.sector_label})"
        return "A partner organisation"


@dataclass(frozen=True)
class _Attribution:
    """What a note from one (partner, perspective) may be attributed to."""

    partner: str
    sector_label: str
    perspective_label: str


def _attributions(round_: Round, audience: str) -> dict[tuple[int, str], _Attribution]:
    """Per (partner, perspective) of the round's respondents, the safe attribution (1 query).

    Leads see partner, sector and perspective. Otherwise a note names its partner only if
    the partner is named in the round's results (named round, or a partner of at least the
    minimum group size), else its sector if that sector has at least the minimum, else
    nobody; and its perspective only if the group it is attributed to has at least the
    minimum of people with that perspective (docs/confidentiality.md).
    """
    minimum = settings.NINEFOLD_MIN_GROUP_SIZE
    rows = list(
        Response.objects.filter(invitation__round=round_, status=SUBMITTED)
        .values(
            "invitation__partner_id",
            "invitation__partner__name",
            "invitation__partner__sector",
            "invitation__perspective",
        )
        .annotate(n=Count("pk"))
        .values_list(
            "invitation__partner_id",
            "invitation__partner__name",
            "invitation__partner__sector",
            "invitation__perspective",
            "n",
        )
        .order_by()
    )
    per_partner: dict[int, int] = defaultdict(int)
    per_sector: dict[str, int] = defaultdict(int)
    per_perspective: dict[str, int] = defaultdict(int)
    per_pair: dict[tuple[Any, str], int] = defaultdict(int)
    names: dict[int, str] = {}
    for partner_id, name, sector, perspective, n in rows:
        names[partner_id] = name
        per_partner[partner_id] += n
        per_sector[sector] += n
        per_perspective[perspective] += n
        per_pair[(("partner", partner_id), perspective)] += n
        per_pair[(("sector", sector), perspective)] += n
    lead = audience == LEAD
    named_round = round_.confidentiality == Confidentiality.NAMED
    pooled = set() if named_round or lead else pooled_partner_ids(per_partner, names, minimum)
    labels = dict(Perspective.choices)
    result = {}
    for partner_id, name, sector, perspective, _n in rows:
        sector_label = SECTOR_LABELS.get(sector, sector)
        if lead:
            result[(partner_id, perspective)] = _Attribution(
                name, sector_label, labels.get(perspective, "")
            )
            continue
        if partner_id not in pooled:
            scope, shown = ("partner", partner_id), (name, sector_label)
        elif per_sector[sector] >= minimum:
            scope, shown = ("sector", sector), ("", sector_label)
        else:
            scope, shown = None, ("", "")
        group = per_pair[(scope, perspective)] if scope else per_perspective[perspective]
        result[(partner_id, perspective)] = _Attribution(
            *shown, labels.get(perspective, "") if group >= minimum else ""
        )
    return result


def _notes_queryset(
    round_: Round,
    attributions: dict[tuple[int, str], _Attribution],
    *,
    code: str | None,
    score: int | None | str,
    partner_id: int | None,
    audience: str,
):
    """The round's submitted notes in the order they are shown, or None when the filter
    may give none (a partner that may not be named). No query of its own."""
    qs = (
        _submitted_ratings([round_.pk])
        # A note whose text a lead removed stays, saying so (privacy.notes).
        .exclude(evidence="", evidence_redacted_at__isnull=True)
        .select_related("precondition", "response__invitation")
    )
    if names_partners_for(round_, audience):
        qs = qs.order_by(
            "precondition__order", "-score", "response__invitation__partner__name", "pk"
        )
    else:
        # Not by partner: neighbouring notes would tell that they come from one partner.
        qs = qs.order_by("precondition__order", "-score", "evidence", "pk")
    if code is not None:
        qs = qs.filter(precondition__code=code)
    if score != "any":
        qs = qs.filter(score__isnull=True) if score is None else qs.filter(score=score)
    if partner_id is not None:
        if not any(p == partner_id and a.partner for (p, _), a in attributions.items()):
            return None
        qs = qs.filter(response__invitation__partner_id=partner_id)
    return qs


def _note_of(r, attributions: dict[tuple[int, str], _Attribution]) -> EvidenceNote:
    invitation = r.response.invitation
    shown = attributions.get((invitation.partner_id, invitation.perspective))
    return EvidenceNote(
        precondition_code=r.precondition.code,
        score=r.score,
        text=REDACTED_NOTE if r.evidence_redacted_at else r.evidence,
        partner=shown.partner if shown else "",
        sector_label=shown.sector_label if shown else "",
        perspective_label=shown.perspective_label if shown else "",
        submitted_at=r.response.submitted_at,
        rating_id=r.pk,
        redacted=r.evidence_redacted_at is not None,
    )


def evidence_notes(
    round_: Round,
    *,
    code: str | None = None,
    score: int | None | str = "any",
    partner_id: int | None = None,
    limit: int | None = None,
    audience: str = SHARED,
) -> list[EvidenceNote]:
    """Submitted evidence notes, attributed only as far as is safe for ``audience`` (see
    ``_attributions``), never to a person.

    ``score="any"`` for every level, ``None`` for "don't know" only. Filtering by a partner
    that may not be named gives no notes: the filter would attribute them. Two queries.
    """
    attributions = _attributions(round_, audience)
    qs = _notes_queryset(
        round_, attributions, code=code, score=score, partner_id=partner_id, audience=audience
    )
    if qs is None:
        return []
    if limit is not None:
        qs = qs[:limit]
    return [_note_of(r, attributions) for r in qs]


# Notes on one page of the precondition page. A note holds up to 2,000 characters, so even
# a page of the longest notes stays under 100 KB of HTML, whatever the size of the round
# (decision 0057).
NOTES_PER_PAGE = 25


@dataclass(frozen=True)
class NotesPage:
    """One page of a precondition's evidence notes, and where it sits among them."""

    notes: list[EvidenceNote]
    number: int  # 1-based
    per_page: int
    total: int  # notes matching the filter, on every page

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """Position of the first note on this page among all matching ones (1-based)."""
        return (self.number - 1) * self.per_page + 1 if self.notes else 0

    @property
    def last(self) -> int:
        return self.first + len(self.notes) - 1 if self.notes else 0


def evidence_notes_page(
    round_: Round,
    *,
    code: str,
    number: int,
    score: int | None | str = "any",
    partner_id: int | None = None,
    audience: str = SHARED,
    per_page: int | None = None,
) -> NotesPage | None:
    """Page ``number`` of the notes ``evidence_notes`` would give, in the same order and
    with the same attribution; None when there is no such page (past the last one).

    Three queries whatever the size of the round: who may be credited, the count, the page.
    """
    per_page = per_page or NOTES_PER_PAGE
    attributions = _attributions(round_, audience)
    qs = _notes_queryset(
        round_, attributions, code=code, score=score, partner_id=partner_id, audience=audience
    )
    total = qs.count() if qs is not None else 0
    if number < 1 or (number - 1) * per_page >= max(total, 1):
        return None
    start = (number - 1) * per_page
    rows = qs[start : start + per_page] if qs is not None else []
    return NotesPage(
        notes=[_note_of(r, attributions) for r in rows],
        number=number,
        per_page=per_page,
        total=total,
    )


@dataclass(frozen=True)
class TrendPoint:
    round_id: int
    round_name: str
    opens_on: date
    state: str
    scores: dict[str, float | None]  # precondition code -> place score
    groups: dict[str, float | None]  # group code -> group score
    # precondition code -> place score minus the one in the round before it on this list
    changes: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class PlaceTrend:
    codes: list[str]
    names: dict[str, str]
    group_names: dict[str, str]
    points: list[TrendPoint]


def place_trend(place_id: int) -> PlaceTrend:
    """Place and group scores of every non-draft round of a place, oldest first (3 queries)."""
    rounds = list(
        Round.objects.filter(place_id=place_id)
        .exclude(state=RoundState.DRAFT)
        .select_related("framework")
        .order_by("opens_on", "pk")
    )
    if not rounds:
        return PlaceTrend(codes=[], names={}, group_names={}, points=[])
    latest = rounds[-1]
    items = list(
        Precondition.objects.filter(framework_id=latest.framework_id)
        .select_related("group")
        .order_by("group__order", "order", "code")
    )
    rows = (
        _submitted_ratings([r.pk for r in rounds])
        .values(
            "response__invitation__round_id",
            "response__invitation__partner_id",
            "precondition__code",
        )
        .annotate(avg=Avg("score"))
        .values_list("response__invitation__round_id", "precondition__code", "avg")
        .order_by()
    )
    per_round: dict[int, dict[str, list[float | None]]] = defaultdict(lambda: defaultdict(list))
    for round_id, code, avg in rows:
        per_round[round_id][code].append(avg)
    group_codes: dict[str, list[str]] = defaultdict(list)
    for item in items:
        group_codes[item.group.code].append(item.code)
    points: list[TrendPoint] = []
    for r in rounds:
        scores = {item.code: place_score_of(per_round[r.pk].get(item.code, [])) for item in items}
        before = points[-1].scores if points else {}
        groups = {
            g: mean([scores[c] for c in codes if scores[c] is not None])
            for g, codes in group_codes.items()
        }
        points.append(
            TrendPoint(
                round_id=r.pk,
                round_name=r.name,
                opens_on=r.opens_on,
                state=r.state,
                scores=scores,
                groups=groups,
                changes={c: _diff(v, before.get(c)) for c, v in scores.items()},
            )
        )
    return PlaceTrend(
        codes=[item.code for item in items],
        names={item.code: item.name for item in items},
        group_names={item.group.code: item.group.name for item in items},
        points=points,
    )


# --------------------------------------------------------------------------------------------
# Caching
# --------------------------------------------------------------------------------------------


def cached_round_summary(
    round_: Round, *, breakdowns: bool = True, place: Place | None = None, audience: str = SHARED
) -> RoundSummary:
    """``round_summary`` behind the shared cache, keyed on the place's data version.

    Views pass the ``place`` they loaded with the membership (its version costs nothing);
    other callers leave it out and the current version is read (one query). Any write that
    a report could show bumps the version, so a stale summary is never served
    (``reports.freshness``, decision 0053).
    """
    return report_cache.get_or_build(
        place if place is not None else round_.place_id,
        # The round's mode is in the key too: changing it saves the round, which bumps the
        # version anyway, but a summary must never outlive the promise it was built under.
        ("summary", round_.pk, int(breakdowns), round_.confidentiality, audience),
        lambda: round_summary(round_, breakdowns=breakdowns, audience=audience),
    )


def cached_place_trend(place: Place) -> PlaceTrend:
    """``place_trend`` behind the shared cache, keyed on the place's data version.

    For the network comparison, which shows each sharing place's trend: a repeat view reads
    no answer table. Place scores include every partner, so one trend serves every audience.
    """
    return report_cache.get_or_build(place, ("trend",), lambda: place_trend(place.pk))


# --------------------------------------------------------------------------------------------
# Lived experience against organisations (the gap)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GapItem:
    code: str
    name: str
    group_code: str
    group_name: str
    lived: float | None  # partner-weighted mean of respondents with lived experience
    organisations: float | None  # the same for everyone else
    lived_scored: int  # respondents with lived experience who gave a score here
    organisations_scored: int

    @property
    def gap(self) -> float | None:
        """Lived experience minus organisations: negative when people see it as less present."""
        return _diff(self.lived, self.organisations)


@dataclass(frozen=True)
class Gap:
    min_group_size: int
    lived_respondents: int  # submitted responses from people invited for lived experience
    organisation_respondents: int  # submitted responses from everyone else
    hidden: bool  # either side below the minimum group size: no figures at all
    items: list[GapItem]  # empty when hidden

    @property
    def has_lived_respondents(self) -> bool:
        return self.lived_respondents > 0

    def widest(self, n: int = 3) -> list[GapItem]:
        """Items where the two sides are furthest apart, widest first."""
        known = [i for i in self.items if i.gap is not None]
        return sorted(known, key=lambda i: (-abs(i.gap), i.code))[:n]

    def as_dict(self) -> dict[str, Any]:
        data = _jsonable(asdict(self))
        for item, source in zip(data["items"], self.items, strict=True):
            item["gap"] = _jsonable(source.gap)
        return data


def lived_experience_gap(round_: Round) -> Gap:
    """Per item, how people with lived experience rate it against everyone else.

    Each side is weighted like the other breakdowns: per partner the mean of that partner's
    respondents on that side, then the mean across partners. Hidden, with no figures, when
    either side has fewer than ``NINEFOLD_MIN_GROUP_SIZE`` submitted responses. The database
    does the per-rating work; three queries when shown, one when hidden.
    """
    minimum = settings.NINEFOLD_MIN_GROUP_SIZE
    lived_q = Q(invitation__perspective=Perspective.LIVED_EXPERIENCE)
    counts = Response.objects.filter(invitation__round=round_, status=SUBMITTED).aggregate(
        lived=Count("pk", filter=lived_q), others=Count("pk", filter=~lived_q)
    )
    lived_n, others_n = counts["lived"], counts["others"]
    hidden = lived_n < minimum or others_n < minimum
    if hidden:
        return Gap(minimum, lived_n, others_n, True, [])

    side = Case(
        When(response__invitation__perspective=Perspective.LIVED_EXPERIENCE, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    values: dict[tuple[bool, str], list[float]] = defaultdict(list)
    scored: dict[tuple[bool, str], int] = defaultdict(int)
    for is_lived, _partner, code, avg, n in (
        _submitted_ratings([round_.pk])
        .annotate(lived=side)
        .values("lived", "response__invitation__partner_id", "precondition__code")
        .annotate(avg=Avg("score"), n=Count("pk", filter=Q(score__isnull=False)))
        .values_list("lived", "response__invitation__partner_id", "precondition__code", "avg", "n")
        .order_by()
    ):
        if avg is not None:
            values[(bool(is_lived), code)].append(float(avg))
        scored[(bool(is_lived), code)] += n
    items = (
        Precondition.objects.filter(framework_id=round_.framework_id)
        .select_related("group")
        .order_by("group__order", "order", "code")
    )
    return Gap(
        min_group_size=minimum,
        lived_respondents=lived_n,
        organisation_respondents=others_n,
        hidden=False,
        items=[
            GapItem(
                code=item.code,
                name=item.name,
                group_code=item.group.code,
                group_name=item.group.name,
                lived=mean(values[(True, item.code)]),
                organisations=mean(values[(False, item.code)]),
                lived_scored=scored[(True, item.code)],
                organisations_scored=scored[(False, item.code)],
            )
            for item in items
        ],
    )
