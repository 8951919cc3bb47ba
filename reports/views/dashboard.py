"""Dashboards of a round, one precondition, and a place's trends; the JSON summary.

Open to every member of the place (board members, facilitators, leads). Every figure comes
from ``reports.aggregation``; these views only arrange it for the page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from places.access import EVERYONE, get_membership
from reports import aggregation, charts
from reports.forms import EvidenceFilterForm
from reports.selectors import precondition_for_round, round_for_place
from reports.templatetags.reports import heat_class
from workshop import selectors as workshop_selectors


@login_required
def round_dashboard(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    membership = get_membership(request.user, slug, EVERYONE)
    round_ = round_for_place(membership.place, round_id)
    summary = aggregation.cached_round_summary(round_)
    gap = aggregation.lived_experience_gap(round_) if summary.has_answers else None
    return render(
        request,
        "reports/dashboard.html",
        {
            "place": membership.place,
            "round": round_,
            "membership": membership,
            "summary": summary,
            # What earlier workshops agreed, and what the room agreed about this round.
            "carried_actions": workshop_selectors.actions_carried_into(round_),
            "agreed_views": (agreed_views := workshop_selectors.agreed_view_rows(round_)),
            "has_agreed_views": any(view for _item, view in agreed_views),
            "codes": [p.code for p in summary.preconditions],
            "disputed": summary.most_disputed(3),
            "agreed": summary.most_agreed(3),
            "heat_rows": _heat_rows(summary),
            "radar": charts.radar_figure(summary),
            "radar_text": charts.radar_text(summary),
            "gap": gap,
            "gap_figure": charts.gap_figure(gap) if gap and not gap.hidden else None,
            "gap_text": charts.gap_text(gap) if gap else "",
        },
    )


def _heat_rows(summary: aggregation.RoundSummary) -> list[tuple[aggregation.PartnerRow, list]]:
    """Heatmap cells as (text, class) pairs: formatting 360 cells in the template language
    would cost more than the rest of the page (see bench/README.md)."""
    codes = [p.code for p in summary.preconditions]
    return [
        (row, [(aggregation.fmt(row.scores.get(c)), heat_class(row.scores.get(c))) for c in codes])
        for row in summary.partners
    ]


@login_required
def precondition_detail(request: HttpRequest, slug: str, round_id: int, code: str) -> HttpResponse:
    membership = get_membership(request.user, slug, EVERYONE)
    round_ = round_for_place(membership.place, round_id)
    item = precondition_for_round(round_, code)
    summary = aggregation.cached_round_summary(round_, breakdowns=False)
    figures = summary.precondition(item.code)
    form = EvidenceFilterForm(
        request.GET or None,
        scale=summary.scale,
        partners=[(row.partner_id, row.name) for row in sorted(summary.partners, key=_by_name)],
    )
    notes = aggregation.evidence_notes(
        round_, code=item.code, score=form.score_filter(), partner_id=form.partner_filter()
    )
    codes = [p.code for p in summary.preconditions]
    position = codes.index(item.code)
    return render(
        request,
        "reports/precondition.html",
        {
            "place": membership.place,
            "round": round_,
            "summary": summary,
            "item": item,
            "figures": figures,
            "form": form,
            "filtered": form.is_bound and form.is_valid() and any(form.cleaned_data.values()),
            "notes": notes,
            "previous_item": summary.preconditions[position - 1] if position > 0 else None,
            "next_item": summary.preconditions[position + 1] if position + 1 < len(codes) else None,
            "distribution": charts.distribution_figure(figures, summary.scale),
            "distribution_text": charts.distribution_text(figures, summary.scale),
        },
    )


def _by_name(row: aggregation.PartnerRow) -> str:
    return row.name.casefold()


@login_required
def place_trends(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_membership(request.user, slug, EVERYONE)
    trend = aggregation.place_trend(membership.place.pk)
    return render(
        request,
        "reports/trends.html",
        {
            "place": membership.place,
            "trend": trend,
            "figures": charts.trend_figures(trend),
            "trend_text": charts.trend_text(trend),
        },
    )


@login_required
def round_summary_json(request: HttpRequest, slug: str, round_id: int) -> JsonResponse:
    membership = get_membership(request.user, slug, EVERYONE)
    round_ = round_for_place(membership.place, round_id)
    data = aggregation.cached_round_summary(round_).as_dict()
    data["lived_experience_gap"] = aggregation.lived_experience_gap(round_).as_dict()
    return JsonResponse(data)
