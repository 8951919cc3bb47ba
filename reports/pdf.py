"""The round report and the comparison report as PDF, rendered with WeasyPrint.

Three rules hold here:

- **Figures come from ``reports.aggregation``**; this module arranges them and draws them
  (``reports.svg``) but computes none.
- **WeasyPrint is imported lazily**, inside ``render_pdf``, so Django's start-up never pays
  for it (about 0.7 s) and a web process that never renders a PDF never loads it.
- **Nothing a person typed can make the server fetch anything.** Templates escape every
  text, and ``StaticOnlyFetcher`` answers only for the app's own static files under one
  reserved origin; any other URL (http, https, file, data, ftp, a local address...) is
  refused without touching the network or the disk. See docs/decisions/0061.

Rendered bytes are cached with Django's cache framework under the place's data version (one
query to read it), so a repeat download is nearly free and any new or changed answer makes a
new report. See docs/decisions/0062 and 0053.
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
from collections import defaultdict
from itertools import zip_longest
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from assessments.models import Round
from ninefold import figures
from places.models import Place
from preconditions.models import Precondition
from reports import aggregation, drafted, extras, palette, services, svg
from reports import cache as report_cache
from reports.prompts import prompts_for

# A reserved origin (RFC 2606 ".invalid"): it names the app's static files inside the PDF
# templates and can never reach the network, because the fetcher below never opens it.
STATIC_ORIGIN = "https://ninefold-static.invalid"
PDF_CACHE_SECONDS = 24 * 3600  # a render takes seconds; the date in the key ends it anyway
NOTES_PER_PRECONDITION = 4
# The summary's radar, with each axis labelled by its full name (static/css/report.css
# gives its figure the same width).
RADAR_WIDTH, RADAR_HEIGHT = 440, 330
# Evidence notes go under the partner table on a precondition's one page; past the first
# two, a note is printed only while the page has room for it (an estimate in lines, checked
# against the demo's reports by tests/reports/test_pdf_pages.py), so that no note spills
# onto a page of its own.
NOTE_LINES = 16  # room under a partner table of no rows
LINES_PER_PARTNER_ROW = 1.4  # some partner names wrap
NOTE_CHARACTERS_PER_LINE = 100


def note_lines(text: str) -> float:
    """The lines a note takes: its text, the line naming its source, and the gap after."""
    return 1.6 + -(-len(text) // NOTE_CHARACTERS_PER_LINE)


# --------------------------------------------------------------------------------------------
# Fetching: the app's own static files and nothing else
# --------------------------------------------------------------------------------------------


def static_base() -> str:
    return STATIC_ORIGIN + settings.STATIC_URL


def resolve_static(url: str) -> Path | None:
    """The file on disk a URL names, if and only if it is one of the app's static files.

    Anything else (another scheme or host, a query string, a path escaping the static
    folder, a file that does not exist) is None.
    """
    base = static_base()
    if not url.startswith(base):
        return None
    parts = urlsplit(url)
    if parts.query or parts.username or parts.password or parts.port:
        return None
    relative = unquote(parts.path[len(settings.STATIC_URL) :])
    normal = posixpath.normpath(relative)
    if normal.startswith(("/", "..")) or "\\" in relative or "\x00" in relative or normal == ".":
        return None
    found = finders.find(normal)
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / normal).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None


class RefusedURL(ValueError):
    """A document asked for something other than the app's own static files."""


def make_fetcher(requested: list[str] | None = None):
    """A WeasyPrint URL fetcher serving only static files; ``requested`` logs every URL asked.

    Built in a function so that importing this module never imports WeasyPrint.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if requested is not None:
                requested.append(url)
            path = resolve_static(url)
            if path is None:
                raise RefusedURL(f"Refused to fetch {url[:200]!r}: not an app static file.")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticOnlyFetcher(timeout=1, allowed_protocols=("https",), allow_redirects=False)


def render_pdf(html: str, *, requested: list[str] | None = None) -> bytes:
    """WeasyPrint alone: finished HTML to PDF bytes, fetching only static files."""
    # WeasyPrint logs every step (even of its import) at INFO; the app's INFO log is for people.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from weasyprint import HTML  # noqa: PLC0415 - lazy on purpose, see the module docstring

    # Tagged PDF (headings, tables, lists, reading order) so screen readers can follow a
    # report a board circulates; it costs about 8 % more rendering time.
    return HTML(string=html, base_url=static_base(), url_fetcher=make_fetcher(requested)).write_pdf(
        pdf_tags=True
    )


def _cache_parts(kind: str, object_id: int) -> tuple:
    # The cover says when the report was produced, so a report is cached for a day at most.
    # A new release (templates, styles) changes every key (reports.cache.release).
    return ("pdf", kind, object_id, timezone.localdate().isoformat())


# --------------------------------------------------------------------------------------------
# Round report
# --------------------------------------------------------------------------------------------


def report_filename(round_: Round) -> str:
    place = slugify(round_.place.slug) or "place"
    name = slugify(round_.name) or f"round-{round_.pk}"
    return f"ninefold-{place}-{name}.pdf"


def comparison_filename(place: Place) -> str:
    return f"ninefold-{slugify(place.slug) or 'place'}-comparison.pdf"


def _select_notes(
    notes: list[aggregation.EvidenceNote], limit: int, room: float = NOTE_LINES
) -> list:
    """A varied selection: alternate high and low levels, one note per partner first; past
    the first two notes, only while they fit in ``room`` lines."""
    by_level: dict[Any, list[aggregation.EvidenceNote]] = defaultdict(list)
    for note in notes:
        by_level[note.score].append(note)
    levels = sorted((k for k in by_level if k is not None), reverse=True)
    order: list[Any] = []
    while levels:  # highest, lowest, next highest, next lowest...
        order.append(levels.pop(0))
        if levels:
            order.append(levels.pop())
    if None in by_level:
        order.append(None)
    chosen: list[aggregation.EvidenceNote] = []
    used = 0
    seen_partners: set[str] = set()
    seen_texts: set[str] = set()
    for strict in (True, False):
        progress = True
        while progress and len(chosen) < limit:
            progress = False
            for level in order:
                for note in by_level[level]:
                    text = " ".join(note.text.split()).casefold()
                    if text in seen_texts or (strict and note.source in seen_partners):
                        continue
                    if len(chosen) >= 2 and used + note_lines(text) > room:
                        continue
                    chosen.append(note)
                    used += note_lines(text)
                    seen_texts.add(text)
                    seen_partners.add(note.source)
                    progress = True
                    break
                if len(chosen) >= limit:
                    break
    level_rank = {level: i for i, level in enumerate(sorted(by_level, key=lambda v: -(v or 0)))}
    return sorted(chosen, key=lambda n: (level_rank[n.score], n.source))


def round_report_context(round_: Round) -> dict[str, Any]:
    summary = aggregation.round_summary(round_)
    framework = round_.framework
    items = {
        p.code: p
        for p in Precondition.objects.filter(framework_id=round_.framework_id).only(
            "code", "description", "summary"
        )
    }
    notes_by_code: dict[str, list[aggregation.EvidenceNote]] = defaultdict(list)
    for note in aggregation.evidence_notes(round_):
        notes_by_code[note.precondition_code].append(note)
    scale_descriptors = dict(framework.scale.values_list("value", "descriptor"))

    codes = [p.code for p in summary.preconditions]
    has_previous = any(p.previous_score is not None for p in summary.preconditions)
    radar = svg.radar(
        codes,
        [p.place_score for p in summary.preconditions],
        low=[p.min_score for p in summary.preconditions],
        high=[p.max_score for p in summary.preconditions],
        previous=[p.previous_score for p in summary.preconditions] if has_previous else None,
        levels=max(summary.scale or {5: ""}),
        size=RADAR_HEIGHT,
        width=RADAR_WIDTH,
        names=[p.name for p in summary.preconditions],
        label=f"Place scores of {summary.round_name} for each precondition",
    )
    legend_items = [("current", summary.round_name), ("range", "Range of partner scores")]
    if has_previous:
        legend_items.insert(1, ("previous", summary.previous_round_name or "Previous round"))

    pages = []
    for p in summary.preconditions:
        item = items.get(p.code)
        # Long partner lists go in two halves side by side, to keep the page short.
        scores = p.partner_scores
        half = (len(scores) + 1) // 2 if len(scores) > 8 else len(scores)
        split = half < len(scores)
        rows = list(zip_longest(scores[:half], scores[half:])) if split else [(x,) for x in scores]
        pages.append(
            {
                "p": p,
                "description": item.description if item else "",
                "distribution_svg": mark_safe(  # noqa: S308 - svg.py escapes every text
                    svg.distribution(
                        p.distribution,
                        summary.scale,
                        dont_know=p.dont_know,
                        width=250,
                        label=f"How respondents rated {p.code}",
                    )
                ),
                "strip_svg": mark_safe(  # noqa: S308 - svg.py escapes every text
                    svg.dot_strip(
                        [
                            (ps.score, ps.pooled)
                            for ps in scores
                            if ps.score is not None and not ps.hidden
                        ],
                        p.place_score,
                        levels=max(summary.scale or {5: ""}),
                        width=250,
                        label=f"Partner scores of {p.code} and its place score",
                    )
                )
                if p.partners_scored > 1
                else None,
                "partner_rows": rows,
                "partner_split": split,
                "notes": _select_notes(
                    notes_by_code.get(p.code, []),
                    NOTES_PER_PRECONDITION,
                    NOTE_LINES - LINES_PER_PARTNER_ROW * len(rows),
                ),
                "notes_total": len(notes_by_code.get(p.code, [])),
                "prompts": prompts_for(p.code, p.name),
            }
        )

    breakdown_titles = {"sector": "By sector", "perspective": "By perspective"}
    gap_context = _gap_context(summary.gap)
    return {
        "summary": summary,
        "round": round_,
        "framework": framework,
        "produced_on": timezone.localdate(),
        "static_base": static_base(),
        "radar_svg": mark_safe(radar),  # noqa: S308 - svg.py escapes every text
        "legend_svg": mark_safe(svg.legend(legend_items, width=RADAR_WIDTH)),  # noqa: S308
        "pages": pages,
        "scale_descriptors": scale_descriptors,
        "breakdowns": [
            {"b": b, "title": breakdown_titles.get(b.dimension, b.dimension.title())}
            for b in summary.breakdowns
        ],
        "min_group_size": settings.NINEFOLD_MIN_GROUP_SIZE,
        "bands": figures.BANDS,
        **extras.context_for(extras.PDF, round_),
        **gap_context,
        # The front of the board paper: the facilitator's words, then the app's draft.
        "key_messages": services.key_messages_for(round_),
        "drafted": drafted.drafted_summary(summary, gap_context["gap"]),
    }


def _gap_context(gap: aggregation.Gap) -> dict[str, Any]:
    """The lived-experience gap from the aggregation module (the round summary's), drawn as
    static SVG."""
    drawn = [i for i in gap.items if i.lived is not None or i.organisations is not None]
    return {
        "gap": gap,
        "gap_text": drafted.gap_sentence(gap),
        # Drawn here rather than with the dashboard's print chart: the PDF names each
        # precondition in full (decision 0065).
        "gap_chart": mark_safe(  # noqa: S308 - svg.py escapes every text
            svg.gap([(f"{i.code}. {i.name}", i.lived, i.organisations) for i in drawn])
        )
        if drawn and not gap.hidden
        else None,
    }


def round_report_html(round_: Round) -> str:
    return render_to_string("reports/pdf/round.html", round_report_context(round_))


def round_report_pdf(round_: Round, *, place: Place | None = None) -> bytes:
    """The round report's PDF bytes, from the cache when the place's data has not changed.

    A view passes the ``place`` it loaded with the membership (its data version costs no
    query); other callers leave it out and the current version is read (one query).
    """
    return report_cache.get_or_build(
        place if place is not None else round_.place_id,
        _cache_parts("round", round_.pk),
        lambda: render_pdf(round_report_html(round_)),
        timeout=PDF_CACHE_SECONDS,
    )


# --------------------------------------------------------------------------------------------
# Comparison report
# --------------------------------------------------------------------------------------------


def comparison_context(place: Place) -> dict[str, Any]:
    trend = aggregation.place_trend(place.pk)
    names = [point.round_name for point in trend.points]
    latest = (
        Round.objects.select_related("framework").get(pk=trend.points[-1].round_id)
        if trend.points
        else None
    )
    group_of = (
        dict(
            Precondition.objects.filter(framework_id=latest.framework_id).values_list(
                "code", "group__code"
            )
        )
        if latest
        else {}
    )
    # The axes run over the latest framework's scale (1 to 5 for the nine), never from 0.
    scale = sorted(latest.framework.scale.values_list("value", flat=True)) if latest else []
    bounds = {"lowest": scale[0], "levels": scale[-1]} if len(scale) > 1 else {}
    charts = []
    if trend.points:
        charts.append(
            {
                # Named by the framework's own groups: the nine's are Vision and Behaviours.
                "title": _and_list(list(trend.group_names.values())),
                "svg": svg.trend(
                    names,
                    [
                        (name, [point.groups.get(code) for point in trend.points])
                        for code, name in trend.group_names.items()
                    ],
                    label="Group scores across rounds",
                    **bounds,
                    colours=[
                        {"vision": palette.VISION, "behaviours": palette.BEHAVIOURS}.get(
                            code, palette.SERIES[i]
                        )
                        for i, code in enumerate(trend.group_names)
                    ],
                ),
            }
        )
        for group_code, group_name in trend.group_names.items():
            codes = [c for c in trend.codes if group_of.get(c) == group_code]
            charts.append(
                {
                    "title": f"{group_name} preconditions",
                    "svg": svg.trend(
                        names,
                        [
                            (
                                f"{c}. {trend.names[c]}",
                                [point.scores.get(c) for point in trend.points],
                            )
                            for c in codes
                        ],
                        label=f"{group_name} precondition scores across rounds",
                        **bounds,
                    ),
                }
            )
    for chart in charts:
        chart["svg"] = mark_safe(chart["svg"])  # noqa: S308 - svg.py escapes every text

    rows = []
    for group_code, group_name in trend.group_names.items():
        rows.append(
            {
                "label": group_name,
                "values": [p.groups.get(group_code) for p in trend.points],
                "is_group": True,
            }
        )
        for code in trend.codes:
            if group_of.get(code) == group_code:
                rows.append(
                    {
                        "label": f"{code}. {trend.names[code]}",
                        "values": [p.scores.get(code) for p in trend.points],
                        "is_group": False,
                    }
                )
    return {
        "place": place,
        "trend": trend,
        "rows": rows,
        "charts": charts,
        "produced_on": timezone.localdate(),
        "static_base": static_base(),
        "framework": latest.framework if latest else None,
    }


def _and_list(names: list[str]) -> str:
    """'Vision and Behaviours'; 'People, Homes and Streets'."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def comparison_html(place: Place) -> str:
    return render_to_string("reports/pdf/comparison.html", comparison_context(place))


def comparison_pdf(place: Place) -> bytes:
    """The comparison report's PDF bytes, from the cache when the place's data has not changed."""
    return report_cache.get_or_build(
        place.pk,
        _cache_parts("comparison", place.pk),
        lambda: render_pdf(comparison_html(place)),
        timeout=PDF_CACHE_SECONDS,
    )
