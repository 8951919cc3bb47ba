"""Plotly figure specifications and their text summaries, built from aggregation results.

The figures are plain dicts (plotly.js JSON), handed to the page with ``json_script`` and
drawn by static/js/charts.js. Nothing here computes a figure: values come from
``reports.aggregation`` and are only arranged for drawing. Plain dicts rather than
``plotly.graph_objects`` keep a page render in the low milliseconds (see decision 0050).
"""

from __future__ import annotations

from typing import Any

from reports import palette
from reports.aggregation import Gap, PlaceTrend, PreconditionSummary, RoundSummary, fmt

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


def radar_figure(summary: RoundSummary) -> dict[str, Any]:
    """Nine place scores, the band from lowest to highest partner, and the previous round."""
    items = summary.preconditions
    codes = [chart_text(p.code) for p in items]
    hover = [chart_text(f"{p.code}. {p.name}") for p in items]
    data: list[dict[str, Any]] = []

    banded = [p for p in items if p.min_score is not None and p.max_score is not None]
    if banded:
        # One polygon out along the highest partner scores and back along the lowest: with
        # opposite windings the fill is a ring, i.e. the range of partner views.
        outer = banded + banded[:1]
        inner = banded[:1] + banded[1:][::-1] + banded[:1]
        data.append(
            {
                "type": "scatterpolar",
                "name": "Range of partner views",
                "r": [p.max_score for p in outer] + [p.min_score for p in inner],
                "theta": [chart_text(p.code) for p in outer + inner],
                "fill": "toself",
                "fillcolor": palette.RANGE_FILL,
                "line": {"color": palette.RANGE_LINE, "width": 1},
                "mode": "lines",
                "hoverinfo": "skip",
            }
        )
    if summary.previous_round_id is not None:
        data.append(
            {
                "type": "scatterpolar",
                "name": "Previous round",
                "r": [_round1(p.previous_score) for p in items]
                + [_round1(items[0].previous_score)],
                "theta": codes + codes[:1],
                "text": hover + hover[:1],
                "mode": "lines+markers",
                "line": {"color": palette.PREVIOUS, "dash": "dash", "width": 2},
                "marker": {"symbol": "square", "size": 7},
                "hovertemplate": "%{text}: %{r:.1f}<extra>previous</extra>",
            }
        )
    data.append(
        {
            "type": "scatterpolar",
            "name": "This round",
            "r": [_round1(p.place_score) for p in items] + [_round1(items[0].place_score)],
            "theta": codes + codes[:1],
            "text": hover + hover[:1],
            "mode": "lines+markers",
            "line": {"color": palette.CURRENT, "width": 3},
            "marker": {"symbol": "circle", "size": 8},
            "hovertemplate": "%{text}: %{r:.1f}<extra>this round</extra>",
        }
    )
    layout = _layout(
        height=460,
        margin={"l": 40, "r": 40, "t": 30, "b": 30},
        polar={
            "radialaxis": {"range": [0, 5], "angle": 90, "tickangle": 90, **LEVEL_TICKS},
            "angularaxis": {"direction": "clockwise", "rotation": 90},
            "gridshape": "linear",
        },
        legend={"orientation": "h", "x": 0, "y": -0.05, "yanchor": "top"},
    )
    return {"data": data, "layout": layout}


def radar_text(summary: RoundSummary) -> str:
    scored = [p for p in summary.preconditions if p.place_score is not None]
    if not scored:
        return "No scores yet: nobody has submitted a response in this round."
    low = min(scored, key=lambda p: (p.place_score, p.code))
    high = max(scored, key=lambda p: (p.place_score, p.code))
    parts = [
        f"Place scores run from {fmt(low.place_score)} ({low.code}, {low.name}) "
        f"to {fmt(high.place_score)} ({high.code}, {high.name})."
    ]
    disputed = summary.most_disputed(1)
    if disputed:
        d = disputed[0]
        parts.append(
            f"Partners' views are furthest apart on {d.code} ({d.name}): "
            f"from {fmt(d.min_score)} to {fmt(d.max_score)}."
        )
    parts.append(
        f"The solid line is this round ({summary.round_name}); the shaded band runs from the "
        "lowest to the highest partner score."
    )
    if summary.previous_round_id is not None:
        parts.append(f"The dashed line is the previous round ({summary.previous_round_name}).")
    parts.append("The table below gives every figure.")
    return " ".join(parts)


def distribution_figure(item: PreconditionSummary, scale: dict[int, str]) -> dict[str, Any]:
    labels = [chart_text(f"{level} {label}") for level, label in scale.items()] + ["Don't know"]
    counts = [item.distribution.get(level, 0) for level in scale] + [item.dont_know]
    colours = [palette.CURRENT] * len(scale) + ["#6c757d"]
    return {
        "data": [
            {
                "type": "bar",
                "x": labels,
                "y": counts,
                "text": [str(c) for c in counts],
                "textposition": "outside",
                "marker": {"color": colours},
                "hovertemplate": "%{x}: %{y}<extra></extra>",
                "cliponaxis": False,
            }
        ],
        "layout": _layout(
            height=300,
            showlegend=False,
            yaxis={
                "title": {"text": "Respondents"},
                "rangemode": "tozero",
                "gridcolor": palette.GRID,
            },
            xaxis={"tickangle": 0, "automargin": True},
            margin={"l": 50, "r": 10, "t": 20, "b": 60},
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


def trend_figures(trend: PlaceTrend) -> dict[str, dict[str, Any]]:
    """Two line charts: the two groups, and the nine preconditions."""
    names = [chart_text(p.round_name) for p in trend.points]
    groups = []
    for index, (code, name) in enumerate(trend.group_names.items()):
        # The nine's two groups keep their colours; further groups (other frameworks) follow.
        colours = [palette.VISION, palette.BEHAVIOURS, palette.CURRENT, palette.PREVIOUS]
        colour = colours[index % len(colours)]
        groups.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": chart_text(name),
                "x": names,
                "y": [_round1(p.groups.get(code)) for p in trend.points],
                "customdata": [chart_text(name)] * len(names),
                "line": {"color": colour, "width": 3, "dash": DASHES[index % len(DASHES)]},
                "marker": {"symbol": SYMBOLS[index % len(SYMBOLS)], "size": 9},
                "hovertemplate": "%{customdata}: %{y:.1f}<extra>%{x}</extra>",
            }
        )
    nine = []
    for index, code in enumerate(trend.codes):
        nine.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": chart_text(f"{code}. {trend.names[code]}"),
                "x": names,
                "y": [_round1(p.scores.get(code)) for p in trend.points],
                "customdata": [chart_text(code)] * len(names),
                "line": {
                    "color": LINE_COLOURS[index % len(LINE_COLOURS)],
                    "dash": DASHES[index % len(DASHES)],
                    "width": 2,
                },
                "marker": {"symbol": SYMBOLS[index % len(SYMBOLS)], "size": 8},
                "hovertemplate": "%{customdata}: %{y:.1f}<extra>%{x}</extra>",
            }
        )
    axis = {"range": [0.8, 5.2], "gridcolor": palette.GRID, **LEVEL_TICKS}
    return {
        "groups": {"data": groups, "layout": _layout(height=320, yaxis=axis)},
        "nine": {
            "data": nine,
            "layout": _layout(height=520, yaxis=axis, legend={"orientation": "h", "y": -0.15}),
        },
    }


def trend_text(trend: PlaceTrend) -> str:
    if not trend.points:
        return "This place has no rounds under way or closed yet."
    first, last = trend.points[0], trend.points[-1]
    if first is last:
        return f"Only one round so far ({last.round_name}); trends need two or more."
    moves = []
    for code, name in trend.group_names.items():
        before, after = first.groups.get(code), last.groups.get(code)
        if before is not None and after is not None:
            moves.append(f"{name} from {fmt(before)} to {fmt(after)}")
    text = f"{len(trend.points)} rounds, from {first.round_name} to {last.round_name}."
    if moves:
        text += " " + "; ".join(moves) + "."
    return text + " The table below gives every figure."


def gap_figure(gap: Gap) -> dict[str, Any]:
    """A dumbbell per item: organisations (square) and lived experience (circle), joined."""
    items = [i for i in gap.items if i.lived is not None or i.organisations is not None]
    # Letters on the axis, as on the radar: names are in the hover text and the table.
    labels = [chart_text(i.code) for i in items]
    names = [chart_text(f"{i.code}. {i.name}") for i in items]
    joins_x: list[float | None] = []
    joins_y: list[str | None] = []
    for item, label in zip(items, labels, strict=True):
        if item.lived is not None and item.organisations is not None:
            joins_x += [_round1(item.organisations), _round1(item.lived), None]
            joins_y += [label, label, None]
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": joins_x,
            "y": joins_y,
            "line": {"color": palette.GRID, "width": 4},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": "Organisations",
            "x": [_round1(i.organisations) for i in items],
            "y": labels,
            "text": names,
            "marker": {"symbol": "square", "size": 14, "color": palette.ORGANISATIONS},
            "hovertemplate": "%{text}: %{x:.1f}<extra>organisations</extra>",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": "People with lived experience",
            "x": [_round1(i.lived) for i in items],
            "y": labels,
            "text": names,
            # Smaller than the square, so that equal scores show as a dot inside a square.
            "marker": {"symbol": "circle", "size": 9, "color": palette.LIVED},
            "hovertemplate": "%{text}: %{x:.1f}<extra>lived experience</extra>",
        },
    ]
    layout = _layout(
        height=110 + 30 * max(len(items), 1),
        margin={"l": 30, "r": 20, "t": 40, "b": 30},
        xaxis={"range": [0.8, 5.2], "gridcolor": palette.GRID, **LEVEL_TICKS},
        yaxis={"autorange": "reversed", "type": "category"},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
    )
    return {"data": data, "layout": layout}


def gap_text(gap: Gap) -> str:
    if gap.hidden:
        return gap_hidden_text(gap)
    widest = gap.widest(3)
    if not widest:
        return "Neither group has given a score yet."
    parts = []
    for item in widest:
        if item.gap == 0:
            parts.append(f"{item.code} ({item.name}): both {fmt(item.lived)}")
            continue
        direction = "lower" if item.gap < 0 else "higher"
        parts.append(
            f"{item.code} ({item.name}): people with lived experience {fmt(item.lived)}, "
            f"organisations {fmt(item.organisations)}, {fmt(abs(item.gap))} {direction}"
        )
    return (
        f"{gap.lived_respondents} people with lived experience and "
        f"{gap.organisation_respondents} people from organisations answered. "
        "The widest differences: " + "; ".join(parts) + ". "
        "Circles are people with lived experience, squares are organisations; letters are the "
        "preconditions; "
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


def gap_svg(gap: Gap, *, width: int = 560) -> dict[str, Any]:
    """Coordinates for a static SVG dumbbell chart (templates/reports/_gap_chart_svg.html), for
    print and the PDF, where plotly does not run. Same encoding as ``gap_figure``."""
    left, right, top, row = 40, 16, 12, 26
    span = width - left - right

    def x(score: float | None) -> float | None:
        return None if score is None else round(left + (score - 1) / 4 * span, 1)

    rows = []
    for n, item in enumerate(
        i for i in gap.items if i.lived is not None or i.organisations is not None
    ):
        rows.append(
            {
                "code": item.code,
                "name": item.name,
                "y": top + n * row + row / 2,
                "lived": x(item.lived),
                "organisations": x(item.organisations),
                # the square's corner, so that it is centred like the circle
                "box_x": None if item.organisations is None else x(item.organisations) - 6,
                "box_y": top + n * row + row / 2 - 6,
                "lived_text": fmt(item.lived),
                "organisations_text": fmt(item.organisations),
            }
        )
    plot_bottom = top + len(rows) * row
    return {
        "width": width,
        "height": plot_bottom + 30,
        "plot_top": top,
        "plot_bottom": plot_bottom,
        "label_x": left - 10,
        "tick_y": plot_bottom + 18,
        "ticks": [{"x": x(level), "label": level} for level in range(1, 6)],
        "rows": rows,
        "lived_colour": palette.LIVED,
        "organisations_colour": palette.ORGANISATIONS,
        "grid_colour": palette.GRID,
        "ink": palette.INK,
    }
