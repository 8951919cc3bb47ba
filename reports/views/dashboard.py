"""Dashboards of a round, one precondition, and a place's trends; the JSON summary.

Open to every member of the place (board members, facilitators, leads). Every figure comes
from ``reports.aggregation``, already safe for the viewer (its ``audience``: leads see
partners by name, everyone else what the round's confidentiality allows, see
docs/confidentiality.md); these views only arrange it for the page. Each page's own part
is rendered without the request and kept in ``reports.cache`` under the place's data
version, so a repeat view costs the membership check and one cache read (decision 0053).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.utils import timezone

from ninefold import figures as figure_words
from places.access import EVERYONE, get_membership
from places.models import Place, Role
from reports import aggregation, charts, extras
from reports import cache as report_cache
from reports.cache import ReportPage
from reports.forms import EvidenceFilterForm
from reports.selectors import precondition_for_round, round_for_place


@login_required
def round_dashboard(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    membership = get_membership(request.user, slug, EVERYONE)
    place = membership.place
    is_board = membership.role == Role.BOARD
    audience = aggregation.audience_for(membership.role)
    page = report_cache.get_or_build(
        place,
        # Dated: the actions list flags what is overdue today.
        ("dashboard", round_id, int(is_board), audience, timezone.localdate().isoformat()),
        lambda: _dashboard_page(place, round_id, is_board=is_board, audience=audience),
    )
    return render(request, "reports/page.html", {"page": page})


def _dashboard_page(place: Place, round_id: int, *, is_board: bool, audience: str) -> ReportPage:
    round_ = round_for_place(place, round_id)
    summary = aggregation.cached_round_summary(round_, place=place, audience=audience)
    gap = summary.gap if summary.has_answers else None
    strips = {
        p.code: charts.dot_strip(p, min_group_size=summary.min_group_size)
        for p in summary.preconditions
    }
    body = render_to_string(
        "reports/_dashboard_body.html",
        {
            "place": place,
            "round": round_,
            "is_board": is_board,
            "summary": summary,
            # What earlier workshops agreed, and what the room agreed about this round.
            **extras.context_for(extras.DASHBOARD, round_),
            "codes": [p.code for p in summary.preconditions],
            "names": {p.code: p.name for p in summary.preconditions},
            "disputed": summary.most_disputed(3),
            "agreed": summary.most_agreed(3),
            "heat_rows": _heat_rows(summary),
            "strips": strips,
            "nine_strips": _by_group(summary, strips),
            "gap": gap,
            "gap_rows": charts.gap_strips(gap) if gap else [],
            "gap_text": charts.gap_text(gap) if gap else "",
            "bands": figure_words.BANDS,
        },
    )
    # Every chart of the dashboard is drawn on the server (decision 0055): no plotly here.
    return ReportPage(title=f"{round_.name} dashboard · {place.name}", body=body, charts=False)


def _by_group(summary: aggregation.RoundSummary, strips: dict) -> list[tuple[str, list]]:
    """The strips of the nine under their group names, in the framework's order."""
    groups: list[tuple[str, list]] = []
    for p in summary.preconditions:
        if not groups or groups[-1][0] != p.group_name:
            groups.append((p.group_name, []))
        groups[-1][1].append((p, strips[p.code]))
    return groups


def _heat_rows(summary: aggregation.RoundSummary) -> list[tuple[aggregation.PartnerRow, list]]:
    """Heatmap cells as (score, difference, class, words): formatting 360 cells in the
    template language would cost more than the rest of the page (see bench/README.md). The
    shading follows the difference from the place view, not the score (decision 0055)."""
    codes = [p.code for p in summary.preconditions]
    return [(row, [heat_cell(row, c) for c in codes]) for row in summary.partners]


def heat_cell(row: aggregation.PartnerRow, code: str) -> tuple[str, str, str, str]:
    difference = row.differences.get(code)
    return (
        aggregation.fmt(row.scores.get(code)),
        figure_words.signed_change(difference) if difference is not None else "",
        f"diff-{figure_words.difference_kind(difference)}",
        figure_words.difference_words(difference),
    )


# What a precondition page's query string may hold to be served from the cache: the
# filters and the page number as they could be valid. Anything else (or a value that fails
# the form's checks) is built for that request only, so arbitrary query strings never
# become cache entries; valid ones are bounded by the round's levels, partners and pages.
_CACHEABLE = {
    "level": re.compile(r"(?:[0-9]{1,2}|dk)?"),
    "partner": re.compile(r"[0-9]{0,9}"),
    "page": re.compile(r"[0-9]{0,6}"),
}


@login_required
def precondition_detail(request: HttpRequest, slug: str, round_id: int, code: str) -> HttpResponse:
    membership = get_membership(request.user, slug, EVERYONE)
    place = membership.place
    audience = aggregation.audience_for(membership.role)
    query = {name: request.GET.get(name, "") for name in _CACHEABLE}
    if all(pattern.fullmatch(query[name]) for name, pattern in _CACHEABLE.items()):
        # One entry per page of notes (and filter): its size does not grow with the round.
        page = report_cache.get_or_build(
            place,
            (
                "precondition",
                round_id,
                code,
                audience,
                query["level"],
                query["partner"],
                int(query["page"] or 1),
            ),
            lambda: _precondition_page(place, round_id, code, request.GET, audience),
            keep=lambda built: built.keep,
        ).page
    else:
        page = _precondition_page(place, round_id, code, request.GET, audience).page
    return render(request, "reports/page.html", {"page": page})


@dataclass(frozen=True)
class _Built:
    page: ReportPage
    keep: bool  # False when the request had a problem: the page says so and is not cached


def _page_number(raw: str) -> int | None:
    """The page asked for: 1 when none, None when it is not a whole number from 1."""
    if not raw:
        return 1
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < 10**6 else None


def _precondition_page(place: Place, round_id: int, code: str, query, audience: str) -> _Built:
    round_ = round_for_place(place, round_id)
    item = precondition_for_round(round_, code)
    summary = aggregation.cached_round_summary(
        round_, breakdowns=False, place=place, audience=audience
    )
    figures = summary.precondition(item.code)
    filters = {k: v for k, v in query.items() if k != "page"} if query else None
    form = EvidenceFilterForm(
        filters or None,
        scale=summary.scale,
        # Only partners shown by name can be chosen: filtering by a pooled one would
        # attribute its notes.
        partners=[
            (row.partner_id, row.name)
            for row in sorted(summary.partners, key=_by_name)
            if not row.pooled
        ],
    )
    asked = query.get("page", "") if query else ""
    number = _page_number(asked)
    page_problem = ""
    arguments = {
        "code": item.code,
        "score": form.score_filter(),
        "partner_id": form.partner_filter(),
        "audience": audience,
    }
    notes = aggregation.evidence_notes_page(round_, number=number or 1, **arguments)
    if notes is None:
        page_problem = f"There is no page {number} of these notes"
        notes = aggregation.evidence_notes_page(round_, number=1, **arguments)
    elif number is None:
        page_problem = "The page number must be a whole number from 1"
    if page_problem:
        page_problem += f": the notes have {notes.pages} page{pluralize(notes.pages)}, "
        page_problem += "this is the first."
    filtered = form.is_bound and form.is_valid() and any(form.cleaned_data.values())
    codes = [p.code for p in summary.preconditions]
    position = codes.index(item.code)
    body = render_to_string(
        "reports/_precondition_body.html",
        {
            "place": place,
            "round": round_,
            "summary": summary,
            "item": item,
            "figures": figures,
            "form": form,
            "filtered": filtered,
            "notes": notes,
            "page_problem": page_problem,
            "page_links": _page_links(notes, form if filtered else None),
            # Only leads may remove a note's text (privacy.notes); the lead audience is theirs.
            "can_redact": audience == aggregation.LEAD,
            "previous_item": summary.preconditions[position - 1] if position > 0 else None,
            "next_item": summary.preconditions[position + 1] if position + 1 < len(codes) else None,
            "distribution": charts.distribution_figure(figures, summary.scale),
            "distribution_text": charts.distribution_text(figures, summary.scale),
            "strip": charts.dot_strip(figures, min_group_size=summary.min_group_size),
        },
    )
    return _Built(
        ReportPage(title=f"{item.code}. {item.name} · {round_.name}", body=body, charts=True),
        keep=not page_problem and not form.errors,
    )


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None for a gap ("…") between page numbers
    href: str
    current: bool = False


def _page_links(notes: aggregation.NotesPage, form: EvidenceFilterForm | None) -> dict:
    """Links to the other pages of notes, keeping the filter: the first and last pages,
    and two either side of this one, with a gap marked where pages are left out."""
    if notes.pages <= 1:
        return {}
    kept = {}
    if form is not None:
        kept = {k: v for k, v in form.data.items() if k in form.fields and form.cleaned_data.get(k)}

    def href(number: int) -> str:
        return "?" + urlencode({**kept, "page": number}) + "#evidence-heading"

    links: list[PageLink] = []
    for number in range(1, notes.pages + 1):
        if number in (1, notes.pages) or abs(number - notes.number) <= 2:
            if links and links[-1].number is not None and links[-1].number < number - 1:
                links.append(PageLink(None, ""))
            links.append(PageLink(number, href(number), number == notes.number))
    return {
        "pages": links,
        "previous": href(notes.number - 1) if notes.number > 1 else "",
        "next": href(notes.number + 1) if notes.number < notes.pages else "",
    }


def _by_name(row: aggregation.PartnerRow) -> str:
    return row.name.casefold()


@login_required
def place_trends(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_membership(request.user, slug, EVERYONE)
    place = membership.place
    page = report_cache.get_or_build(place, ("trends",), lambda: _trends_page(place))
    return render(request, "reports/page.html", {"page": page})


def _trends_page(place: Place) -> ReportPage:
    trend = aggregation.place_trend(place.pk)
    body = render_to_string(
        "reports/_trends_body.html",
        {
            "place": place,
            "trend": trend,
            "figures": charts.trend_figures(trend),
            "trend_text": charts.trend_text(trend),
            "same_below": figure_words.ABOUT_THE_SAME_BELOW,
        },
    )
    return ReportPage(title=f"Trends · {place.name}", body=body, charts=bool(trend.points))


@login_required
def round_summary_json(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    membership = get_membership(request.user, slug, EVERYONE)
    place = membership.place
    audience = aggregation.audience_for(membership.role)
    content = report_cache.get_or_build(
        place,
        ("summary-json", round_id, audience),
        lambda: _summary_json(place, round_id, audience),
    )
    return HttpResponse(content, content_type="application/json")


def _summary_json(place: Place, round_id: int, audience: str) -> bytes:
    round_ = round_for_place(place, round_id)
    summary = aggregation.cached_round_summary(round_, place=place, audience=audience)
    data = summary.as_dict()
    data["lived_experience_gap"] = summary.gap.as_dict()
    return JsonResponse(data).content
