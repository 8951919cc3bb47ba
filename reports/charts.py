"""Plotly figure specifications and their text summaries, built from aggregation results.

The figures are plain dicts (plotly.js JSON), handed to the page with ``json_script`` and
drawn by static/js/charts.js. Nothing here computes a figure: values come from
``reports.aggregation`` and are only arranged for drawing. Plain dicts rather than
``plotly.graph_objects`` keep a page render in the low milliseconds (see decision 0050).
"""

from __future__ import annotations

import math
from typing import Any

from ninefold.figures import ABOUT_THE_SAME, ABOUT_THE_SAME_BELOW, change_kind, spread_words
from reports import palette
from reports.aggregation import Gap, PlaceTrend, PreconditionSummary, fmt

FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"}
LEVEL_TICKS = {"tickvals": [1, 2, 3, 4, 5], "ticktext": ["1", "2", "3", "4", "5"]}
SYMBOLS = [
    "circle",
    "square",
    "diamond",
    "triangle-up",
    "x",
    "cross",
    "star",
    "hexagon",
    "pentagon",
]
DASHES = ["solid", "dash", "dot", "dashdot"]
# Okabe–Ito's yellow is too faint for a thin line on white: lines use the other colours.
LINE_COLOURS = [c for c in palette.SERIES if c.upper() != "#F0E442"]


def chart_text(text: object) -> str:
    """Text a person typed (round, partner, place, group, item and scale names), made safe for
    a figure. Plotly draws a subset of HTML in every text it shows (axis labels, legends,
    hover boxes, annotations): ``<a href>`` becomes a live link, ``<span style>`` restyles.
    Written as entities, the characters are drawn as typed and never read as markup. Every
    user-supplied string reaches a figure through here; none goes into a ``hovertemplate``,
    whose ``%{…}`` would be read as well (the figures pass names as ``customdata``)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _layout(**extra: Any) -> dict[str, Any]:
    return {
        "font": {**FONT, "color": palette.INK, "size": 13},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 40, "r": 20, "t": 20, "b": 40},
        "legend": {"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
        **extra,
    }


def _round1(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def wrapped(text: str, width: int = 26) -> str:
    """A name for a plotly label or legend, escaped and broken into lines of about ``width``
    characters with ``<br>`` (plotly never wraps text itself, so long names are clipped or
    push the plot off a phone screen)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(chart_text(line) for line in lines)


def distribution_figure(item: PreconditionSummary, scale: dict[int, str]) -> dict[str, Any]:
    """Respondents per level as horizontal bars: the level names sit on their own lines at the
    left, so they never run into each other at phone widths."""
    labels = [chart_text(f"{level} {label}") for level, label in scale.items()] + ["Don't know"]
    counts = [item.distribution.get(level, 0) for level in scale] + [item.dont_know]
    colours = [palette.CURRENT] * len(scale) + ["#6c757d"]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": counts,
                "y": labels,
                "text": [str(c) for c in counts],
                "textposition": "outside",
                "marker": {"color": colours},
                "hovertemplate": "%{y}: %{x}<extra></extra>",
                "cliponaxis": False,
            }
        ],
        "layout": _layout(
            height=60 + 36 * len(labels),
            showlegend=False,
            xaxis={
                "title": {"text": "Respondents"},
                "rangemode": "tozero",
                "gridcolor": palette.GRID,
                "automargin": True,
            },
            yaxis={"autorange": "reversed", "type": "category", "automargin": True},
            margin={"l": 10, "r": 30, "t": 10, "b": 40},
        ),
    }


def distribution_text(item: PreconditionSummary, scale: dict[int, str]) -> str:
    total = sum(item.distribution.values()) + item.dont_know
    if not total:
        return "Nobody has rated this precondition in this round yet."
    counts = ", ".join(
        f"{n} chose {level} ({scale[level]})" for level, n in item.distribution.items()
    )
    return f"Of {total} respondents, {counts}; {item.dont_know} said they don't know."


def trend_figures(trend: PlaceTrend) -> dict[str, Any]:
    """Two line charts: the nine preconditions, and the two groups. Names are written out and
    wrapped in the legends; round names wrap under the axis. Colours tell lines apart only:
    no colour means better or worse, and nothing marks a rising line."""
    names = [wrapped(p.round_name, 14) for p in trend.points]
    groups = []
    for index, (code, name) in enumerate(trend.group_names.items()):
        # The nine's two groups keep their colours; further groups (other frameworks) follow.
        colours = [palette.VISION, palette.BEHAVIOURS, palette.CURRENT, palette.PREVIOUS]
        colour = colours[index % len(colours)]
        groups.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": wrapped(name, 32),
                "x": names,
                "y": [_round1(p.groups.get(code)) for p in trend.points],
                "customdata": [chart_text(name)] * len(names),
                "line": {"color": colour, "width": 3, "dash": DASHES[index % len(DASHES)]},
                "marker": {"symbol": SYMBOLS[index % len(SYMBOLS)], "size": 9},
                "hovertemplate": "%{customdata}: %{y:.1f}<extra></extra>",
            }
        )
    nine = []
    for index, code in enumerate(trend.codes):
        nine.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": wrapped(trend.names[code], 32),
                "x": names,
                "y": [_round1(p.scores.get(code)) for p in trend.points],
                "customdata": [chart_text(trend.names[code])] * len(names),
                "line": {
                    "color": LINE_COLOURS[index % len(LINE_COLOURS)],
                    "dash": DASHES[index % len(DASHES)],
                    "width": 2,
                },
                "marker": {"symbol": SYMBOLS[index % len(SYMBOLS)], "size": 8},
                "hovertemplate": "%{customdata}: %{y:.1f}<extra></extra>",
            }
        )
    axis = {
        "range": [0.8, 5.2],
        "gridcolor": palette.GRID,
        "title": {"text": "Place score"},
        "automargin": True,
        **LEVEL_TICKS,
    }
    xaxis = {"automargin": True, "tickangle": 0, "type": "category"}
    # No plotly legend: on a phone nine full names do not fit under the plot and plotly clips
    # them behind a scroll bar. The page draws the key in HTML instead (line_key).
    layout = {"yaxis": axis, "xaxis": xaxis, "showlegend": False, "margin": _TREND_MARGIN}
    figures = {
        "groups": {"data": groups, "layout": _layout(height=340, **layout)},
        "nine": {"data": nine, "layout": _layout(height=420, **layout)},
    }
    figures["groups_key"] = line_key(figures["groups"], list(trend.group_names.values()))
    figures["nine_key"] = line_key(figures["nine"], [trend.names[c] for c in trend.codes])
    return figures


_DASH_ARRAYS = {"solid": "", "dash": "7 4", "dot": "2 3", "dashdot": "7 3 2 3"}


def _regular(corners: int, radius: float, turn: float = 0.0) -> str:
    """Points of a regular polygon centred on 0,0, for an SVG ``points`` attribute."""
    return " ".join(
        f"{radius * math.sin(turn + 2 * math.pi * n / corners):.1f},"
        f"{-radius * math.cos(turn + 2 * math.pi * n / corners):.1f}"
        for n in range(corners)
    )


def _star(radius: float) -> str:
    points = []
    for n in range(10):
        r = radius if n % 2 == 0 else radius * 0.45
        angle = math.pi * n / 5
        points.append(f"{r * math.sin(angle):.1f},{-r * math.cos(angle):.1f}")
    return " ".join(points)


# The marker of each plotly symbol we use, as an SVG polygon (or lines for the open ones).
_MARKERS = {
    "circle": {"kind": "circle"},
    "square": {"kind": "polygon", "points": "-4,-4 4,-4 4,4 -4,4"},
    "diamond": {"kind": "polygon", "points": "0,-5.5 5.5,0 0,5.5 -5.5,0"},
    "triangle-up": {"kind": "polygon", "points": _regular(3, 5.5)},
    "x": {"kind": "polygon", "points": "-4,-2 -2,-4 0,-2 2,-4 4,-2 2,0 4,2 2,4 0,2 -2,4 -4,2 -2,0"},
    "cross": {
        "kind": "polygon",
        "points": "-1.5,-5 1.5,-5 1.5,-1.5 5,-1.5 5,1.5 1.5,1.5 1.5,5 -1.5,5 -1.5,1.5 -5,1.5 -5,-1.5 -1.5,-1.5",
    },
    "star": {"kind": "polygon", "points": _star(5.5)},
    "hexagon": {"kind": "polygon", "points": _regular(6, 5, math.pi / 6)},
    "pentagon": {"kind": "polygon", "points": _regular(5, 5)},
}


def line_key(figure: dict[str, Any], names: list[str]) -> list[dict[str, Any]]:
    """The key of a line chart, for the page to draw in HTML under it (it wraps, so full
    names are never clipped): each line's colour, dash, marker and full name (as typed: the
    template escapes it)."""
    return [
        {
            "name": name,
            "colour": trace["line"]["color"],
            "dash": _DASH_ARRAYS.get(trace["line"]["dash"], ""),
            "marker": _MARKERS[trace["marker"]["symbol"]],
        }
        for trace, name in zip(figure["data"], names, strict=True)
    ]


_TREND_MARGIN = {"l": 10, "r": 20, "t": 20, "b": 20}


def trend_text(trend: PlaceTrend) -> str:
    """What moved between the last two rounds, in the dashboard's words: a change under the
    about-the-same band is named as such, and no direction is called good or bad."""
    if not trend.points:
        return "This place has no rounds under way or closed yet."
    first, last = trend.points[0], trend.points[-1]
    if first is last:
        return f"Only one round so far ({last.round_name}); trends need two or more."
    before = trend.points[-2]
    text = f"{len(trend.points)} rounds, from {first.round_name} to {last.round_name}."
    by_kind: dict[str, list[str]] = {"same": [], "higher": [], "lower": []}
    for code in trend.codes:
        kind = change_kind(last.changes.get(code))
        if kind in by_kind:
            by_kind[kind].append(trend.names[code])
    parts = [
        f"{words} on {len(names)} ({'; '.join(names)})"
        for words, names in (
            (ABOUT_THE_SAME, by_kind["same"]),
            ("higher", by_kind["higher"]),
            ("lower", by_kind["lower"]),
        )
        if names
    ]
    if parts:
        text += (
            f" From {before.round_name} to {last.round_name}, place scores were "
            + ", ".join(parts)
            + f". A change smaller than {fmt(ABOUT_THE_SAME_BELOW)} counts as about the same: "
            "who answered differs from round to round."
        )
    return text + " The table below gives every figure."


def gap_text(gap: Gap) -> str:
    """The lived-experience gap in words, preconditions named in full (the chart's caption)."""
    if gap.hidden:
        return gap_hidden_text(gap)
    widest = gap.widest(3)
    if not widest:
        return "Neither group has given a score yet."
    parts = []
    for item in widest:
        if item.gap == 0:
            parts.append(f"{item.name}: both {fmt(item.lived)}")
            continue
        direction = "lower" if item.gap < 0 else "higher"
        parts.append(
            f"{item.name}: people with lived experience {fmt(item.lived)}, "
            f"organisations {fmt(item.organisations)}, {fmt(abs(item.gap))} {direction}"
        )
    return (
        f"{gap.lived_respondents} people with lived experience and "
        f"{gap.organisation_respondents} people from organisations answered. "
        "The widest differences: " + "; ".join(parts) + ". "
        "Circles are people with lived experience, squares are organisations; "
        "the table below gives every figure."
    )


def gap_hidden_text(gap: Gap) -> str:
    if not gap.has_lived_respondents:
        return "Nobody with lived experience has submitted answers in this round yet."
    return (
        f"Not shown yet: {gap.lived_respondents} {'person' if gap.lived_respondents == 1 else 'people'} "
        f"with lived experience and {gap.organisation_respondents} from organisations have "
        f"answered, and each side needs at least {gap.min_group_size} so that nobody's answers "
        "can be picked out."
    )


# --------------------------------------------------------------------------------------------
# Dot strips: one precondition's scores on the 1–5 scale, drawn as inline SVG on the server
# (templates/reports/_dot_strip.html). Positions across are percentages of the strip's width
# and sizes are pixels, so a strip fills any screen without shrinking its dots or its text.
# --------------------------------------------------------------------------------------------

STRIP_PAD = 3.0  # percent of the width kept free at each end, so a dot at 1 or 5 stays whole
STRIP_LANE = 15  # pixels between rows of dots that would otherwise overlap
# Scores closer than this share no row: about a dot's width on a phone (some 80 px a level).
STRIP_CLASH = 0.17
STRIP_TOP = 26  # room above the dots for the place view's label


def strip_x(score: float) -> float:
    """A score's position across a strip, in percent of its width."""
    return round(STRIP_PAD + (score - 1) / 4 * (100 - 2 * STRIP_PAD), 2)


def _lanes(scores: list[float]) -> list[int]:
    """A row for each score (in the order given) so that close scores never overlap."""
    last: list[float] = []  # the rightmost score in each row so far
    lanes = []
    for score in scores:
        for n, right in enumerate(last):
            if score - right >= STRIP_CLASH:
                last[n] = score
                lanes.append(n)
                break
        else:
            last.append(score)
            lanes.append(len(last) - 1)
    return lanes


def _strip(markers: list[dict[str, Any]], *, place: float | None, label: str) -> dict[str, Any]:
    """Lay out markers (``score``, ``shape``, ``title``) in rows, with the place view as a line."""
    ordered = sorted(markers, key=lambda m: m["score"])
    lanes = _lanes([m["score"] for m in ordered])
    rows = max(lanes, default=0) + 1
    top = STRIP_TOP if place is not None else 12
    for marker, lane in zip(ordered, lanes, strict=True):
        marker["x"] = strip_x(marker["score"])
        marker["y"] = top + lane * STRIP_LANE
    bottom = top + (rows - 1) * STRIP_LANE + 10
    line = None
    if place is not None:
        x = strip_x(place)
        line = {
            "x": x,
            "label": f"place view {fmt(place)}",
            # Kept inside the strip at either end of the scale.
            "anchor": "start" if x < 15 else "end" if x > 85 else "middle",
        }
    return {
        "markers": ordered,
        "line": line,
        "joins": [],
        "grid_top": top - 10,
        "grid_bottom": bottom,
        "tick_y": bottom + 14,
        "height": bottom + 19,
        "ticks": [{"x": strip_x(level), "label": level} for level in range(1, 6)],
        "label": label,
    }


def dot_strip(item: PreconditionSummary, *, min_group_size: int) -> dict[str, Any]:
    """Every partner's score on one precondition as a dot, the pooled "Other partners" as a
    square, the place view as a line. Only what the summary holds for the viewer's audience
    is drawn: a hidden pool has no score, so no marker (and the text says why)."""
    markers = []
    described = []
    hidden = None
    for p in item.partner_scores:
        if p.hidden:
            hidden = f"{p.name}: not shown, fewer than {min_group_size} people"
            continue
        if p.score is None:
            continue
        markers.append(
            {
                "score": p.score,
                "shape": "pool" if p.pooled else "dot",
                "title": f"{p.name}: {fmt(p.score)}",
            }
        )
    for marker in sorted(markers, key=lambda m: m["score"]):
        described.append(marker["title"])
    text = f"{item.name}, partner scores from 1 to 5"
    if item.place_score is not None:
        text += f"; place view {fmt(item.place_score)}"
    if described:
        text += ". Lowest first: " + "; ".join(described)
    if hidden:
        text += f". {hidden}"
    words = spread_words(item.spread)
    if words:
        text += f". Partners {words}"
    strip = _strip(markers, place=item.place_score, label=text + ".")
    strip["hidden_note"] = hidden
    return strip


def gap_strips(gap: Gap) -> list[dict[str, Any]]:
    """The lived-experience comparison as one strip per precondition: organisations a square,
    people with lived experience a circle, a bar between them. Empty when the gap is hidden."""
    if gap.hidden:
        return []
    result = []
    for item in gap.items:
        markers = []
        if item.organisations is not None:
            markers.append(
                {
                    "score": item.organisations,
                    "shape": "org",
                    "title": f"Organisations: {fmt(item.organisations)}",
                }
            )
        if item.lived is not None:
            markers.append(
                {
                    "score": item.lived,
                    "shape": "lived",
                    "title": f"People with lived experience: {fmt(item.lived)}",
                }
            )
        if not markers:
            continue
        text = f"{item.name}: " + "; ".join(m["title"] for m in markers)
        # Both on one row, even when close: the square is drawn larger than the circle.
        strip = _strip([], place=None, label=text + ".")
        y = strip["grid_top"] + 10
        for marker in markers:
            marker["x"] = strip_x(marker["score"])
            marker["y"] = y
        strip["markers"] = markers
        if len(markers) == 2:
            strip["joins"] = [{"x1": markers[0]["x"], "x2": markers[1]["x"], "y": y}]
        result.append({"item": item, "strip": strip})
    return result
