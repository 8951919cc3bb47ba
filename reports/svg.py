"""Small server-side SVG charts for the PDF report (see docs/decisions/0060).

The charts draw figures handed to them (from ``reports.aggregation``) and compute none of
their own. They use the dashboard's visual language from ``reports.palette``: the current
round in solid blue, the previous closed round in dashed orange, the range of partner views
as a light blue band. Every piece of text is escaped here, so callers may mark the result
safe. No chart relies on colour alone: lines differ by dash and marker, and values are
printed beside bars and in the report's tables.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from ninefold.figures import fmt
from reports import palette

FONT = "'Source Sans 3', 'DejaVu Sans', sans-serif"
# The widest a character of the 9px legend text is taken to be: a little over Source Sans
# 3's average, so an estimated line is never shorter than the drawn one.
LEGEND_CHAR_WIDTH = 4.6


def _n(value: float) -> str:
    """A coordinate with two decimals, without trailing zeros (smaller, stable SVG)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def wrap(text: str, limit: int) -> list[str]:
    """``text`` in lines of at most ``limit`` characters, broken between words (a word longer
    than a line is shortened). Full precondition names wrap this way in every PDF chart."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        word = _short(word, limit)
        if line and len(line) + 1 + len(word) > limit:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines or [""]


def _lines(
    x: float,
    y: float,
    lines: Sequence[str],
    *,
    size: float,
    anchor: str = "start",
    weight: str = "400",
    leading: float = 1.15,
) -> str:
    """One <text> of several lines (tspans), the first baseline at ``y``; every line escaped."""
    spans = "".join(
        f'<tspan x="{_n(x)}" dy="{_n(0 if i == 0 else size * leading)}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" font-weight="{weight}" '
        f'text-anchor="{anchor}" fill="{palette.INK}">{spans}</text>'
    )


def _svg(width: float, height: float, body: list[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" role="img" aria-label="{escape(label)}" '
        f'font-family="{escape(FONT)}">' + "".join(body) + "</svg>"
    )


# --------------------------------------------------------------------------------------------
# Radar
# --------------------------------------------------------------------------------------------


def radar(
    codes: Sequence[str],
    current: Sequence[float | None],
    *,
    names: Sequence[str],
    low: Sequence[float | None] | None = None,
    high: Sequence[float | None] | None = None,
    previous: Sequence[float | None] | None = None,
    levels: int = 5,
    size: float = 300,
    label: str = "Radar chart of the place scores",
    width: float | None = None,
) -> str:
    """A radar of scores 0–``levels`` on one axis per code, clockwise from the top.

    Each axis is labelled with its code and full name, wrapped, in a drawing ``width`` wide
    (never with a lone letter).

    ``low``/``high`` draw the band between the lowest and highest partner score; ``previous``
    the previous round dashed. A missing value (None) leaves a gap: the line joins only the
    axes that have a score, and no point is drawn at zero as if it were a score.
    """
    n = len(codes)
    full_width = width or size
    label_lines = [wrap(f"{c}. {name}", 22) for c, name in zip(codes, names, strict=True)]
    margin = 50
    cx, cy = full_width / 2, size / 2
    radius = size / 2 - margin
    body: list[str] = []
    if n < 3:
        return _svg(full_width, size, body, label)

    def at(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / n
        r = radius * max(0.0, min(value, levels)) / levels
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    # Grid: one ring per level, spokes, level numbers up the first spoke.
    for level in range(1, levels + 1):
        ring = [at(i, level) for i in range(n)]
        body.append(
            f'<polygon points="{_points(ring)}" fill="none" stroke="{palette.GRID}" '
            f'stroke-width="{0.9 if level == levels else 0.6}"/>'
        )
    for i in range(n):
        x, y = at(i, levels)
        body.append(
            f'<line x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y)}" '
            f'stroke="{palette.GRID}" stroke-width="0.6"/>'
        )
    for level in range(1, levels + 1):
        x, y = at(0, level)
        body.append(
            f'<text x="{_n(x + 3)}" y="{_n(y + 3)}" font-size="7.5" fill="#555">{level}</text>'
        )

    # Range of partner views: the ring between highest and lowest, filled even-odd.
    if low is not None and high is not None:
        pairs = [(i, lo, hi) for i, (lo, hi) in enumerate(zip(low, high, strict=True))]
        if all(lo is not None and hi is not None for _, lo, hi in pairs):
            outer = [at(i, hi) for i, _, hi in pairs]
            inner = [at(i, lo) for i, lo, _ in pairs]
            path = (
                "M" + " L".join(f"{_n(x)},{_n(y)}" for x, y in outer) + " Z "
                "M" + " L".join(f"{_n(x)},{_n(y)}" for x, y in reversed(inner)) + " Z"
            )
            body.append(
                f'<path d="{path}" fill="{palette.RANGE_LINE}" fill-opacity="0.28" '
                f'fill-rule="evenodd" stroke="{palette.RANGE_LINE}" stroke-width="0.6"/>'
            )
        else:  # some axis has no partner score: draw the band as whiskers on each spoke
            for i, lo, hi in pairs:
                if lo is None or hi is None:
                    continue
                (x1, y1), (x2, y2) = at(i, lo), at(i, hi)
                body.append(
                    f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
                    f'stroke="{palette.RANGE_LINE}" stroke-width="6" stroke-opacity="0.45"/>'
                )

    def series(values: Sequence[float | None], colour: str, dashed: bool, marker: str) -> None:
        pts = [at(i, v) for i, v in enumerate(values) if v is not None]
        if len(pts) >= 2:
            shape = "polygon" if len(pts) == n else "polyline"
            dash = ' stroke-dasharray="5 3"' if dashed else ""
            body.append(
                f'<{shape} points="{_points(pts)}" fill="none" stroke="{colour}" '
                f'stroke-width="{1.6 if dashed else 2.2}"{dash}/>'
            )
        for x, y in pts:
            if marker == "circle":
                body.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="2.8" fill="{colour}"/>')
            else:  # a hollow square, so the previous round differs by shape as well
                body.append(
                    f'<rect x="{_n(x - 2.4)}" y="{_n(y - 2.4)}" width="4.8" height="4.8" '
                    f'fill="#fff" stroke="{colour}" stroke-width="1.2"/>'
                )

    if previous is not None:
        series(previous, palette.PREVIOUS, True, "square")
    series(current, palette.CURRENT, False, "circle")

    # Axis labels outside the outer ring.
    for i in range(n):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        cos, sin = math.cos(angle), math.sin(angle)
        lines = label_lines[i]
        x = cx + (radius + 8) * cos
        anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
        size_pt, step = 8.5, 8.5 * 1.15
        block = step * (len(lines) - 1)
        # Above the ring the block ends at the axis, below it starts there, beside it
        # it is centred on the axis.
        if sin < -0.5:
            y = cy + (radius + 6) * sin - block
        elif sin > 0.5:
            y = cy + (radius + 8) * sin + size_pt
        else:
            y = cy + (radius + 8) * sin - block / 2 + size_pt / 3
        body.append(_lines(x, y, lines, size=size_pt, anchor=anchor, weight="600"))
    return _svg(full_width, size, body, label)


def legend(items: Sequence[tuple[str, str]], *, width: float = 300) -> str:
    """A legend: (kind, text) with kind current, previous or range, never wider than ``width``.

    Items go on one line while they fit and wrap onto the next line when they do not, so
    long round names never push the legend out of the column the chart stands in (the
    report prints text beside it). A text too long for a line of its own is shortened.
    """
    body: list[str] = []
    left, swatch, gap, row_h = 2.0, 23.0, 14.0, 15.0
    max_chars = max(int((width - left - swatch) / LEGEND_CHAR_WIDTH), 4)
    x, y = left, 0.0
    for kind, full_text in items:
        text = _short(full_text, max_chars)
        item_w = swatch + LEGEND_CHAR_WIDTH * len(text)
        if x > left and x + item_w > width:
            x, y = left, y + row_h
        if kind == "range":
            body.append(
                f'<rect x="{_n(x)}" y="{_n(y + 4)}" width="18" height="9" '
                f'fill="{palette.RANGE_LINE}" fill-opacity="0.28" stroke="{palette.RANGE_LINE}" '
                f'stroke-width="0.6"/>'
            )
        else:
            colour = palette.CURRENT if kind == "current" else palette.PREVIOUS
            dash = ' stroke-dasharray="5 3"' if kind == "previous" else ""
            body.append(
                f'<line x1="{_n(x)}" y1="{_n(y + 8.5)}" x2="{_n(x + 18)}" y2="{_n(y + 8.5)}" '
                f'stroke="{colour}" stroke-width="2"{dash}/>'
            )
        body.append(
            f'<text x="{_n(x + swatch)}" y="{_n(y + 12)}" font-size="9" fill="{palette.INK}">'
            f"{escape(text)}</text>"
        )
        x += item_w + gap
    return _svg(width, y + 17, body, "Legend")


# --------------------------------------------------------------------------------------------
# Distribution of levels
# --------------------------------------------------------------------------------------------


def distribution(
    counts: dict[int, int],
    labels: dict[int, str],
    *,
    dont_know: int = 0,
    width: float = 300,
    label: str = "How many respondents chose each level",
) -> str:
    """Horizontal bars: one per level (with its label) and one for "don't know", counts printed."""
    rows = [(f"{level} {labels.get(level, '')}".strip(), counts.get(level, 0)) for level in labels]
    rows.append(("Don't know", dont_know))
    top = max([n for _, n in rows] + [1])
    label_w, count_w, row_h = 92.0, 26.0, 15.0
    bar_w = width - label_w - count_w
    body: list[str] = []
    for i, (text, n) in enumerate(rows):
        y = i * row_h
        is_dk = i == len(rows) - 1
        colour = "#8a8a8a" if is_dk else palette.CURRENT
        w = bar_w * n / top
        body.append(
            f'<text x="0" y="{_n(y + 10.5)}" font-size="9" fill="{palette.INK}">{escape(text)}</text>'
        )
        body.append(
            f'<rect x="{_n(label_w)}" y="{_n(y + 2)}" width="{_n(bar_w)}" height="10" '
            f'fill="#f1f1f1"/>'
        )
        if n:
            body.append(
                f'<rect x="{_n(label_w)}" y="{_n(y + 2)}" width="{_n(max(w, 1.5))}" '
                f'height="10" fill="{colour}"/>'
            )
        body.append(
            f'<text x="{_n(width - 2)}" y="{_n(y + 10.5)}" font-size="9" text-anchor="end" '
            f'fill="{palette.INK}">{n}</text>'
        )
    return _svg(width, row_h * len(rows) + 2, body, label)


# --------------------------------------------------------------------------------------------
# Trend across rounds (comparison report)
# --------------------------------------------------------------------------------------------


def trend(
    round_names: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    lowest: int = 1,
    levels: int = 5,
    width: float = 640,
    height: float = 200,
    label: str = "Scores across rounds",
    colours: Sequence[str] | None = None,
) -> str:
    """Lines across rounds (oldest left), one per named series, each with its own dash.

    The y axis runs over the rating scale, ``lowest`` to ``levels`` (1 to 5 for the nine):
    no score can be 0, and an axis from 0 would squeeze the lines into the top part.
    Gaps (no score in a round) break the line rather than dropping to zero.
    """
    # The legend on the right names each series in full, wrapped (a precondition's code
    # and name in the comparison report), so it takes a third of the width.
    legend_lines = [wrap(name, 34) for name, _values in series]
    left, right, top, bottom = 28.0, 190.0, 10.0, 30.0
    height = max(height, top + sum(10.5 * len(lines) + 6 for lines in legend_lines) + 4)
    inset = 55.0  # room for the round names under the first and last points
    plot_w, plot_h = width - left - right, height - top - bottom
    count = len(round_names)
    body: list[str] = []

    def x_at(i: int) -> float:
        span = plot_w - 2 * inset
        return left + inset + (span * (i / (count - 1)) if count > 1 else span / 2)

    span_levels = max(levels - lowest, 1)

    def y_at(v: float) -> float:
        return top + plot_h * (1 - (v - lowest) / span_levels)

    for level in range(lowest, levels + 1):
        y = y_at(level)
        body.append(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(left + plot_w)}" y2="{_n(y)}" '
            f'stroke="{palette.GRID}" stroke-width="0.6"/>'
        )
        body.append(
            f'<text x="{_n(left - 6)}" y="{_n(y + 3)}" font-size="8" text-anchor="end" '
            f'fill="#555">{level}</text>'
        )
    for i, name in enumerate(round_names):
        body.append(
            f'<text x="{_n(x_at(i))}" y="{_n(top + plot_h + 14)}" font-size="8" '
            f'text-anchor="middle" fill="{palette.INK}">{escape(_short(name, 26))}</text>'
        )
    legend_y = top + 6
    dashes = ["", "5 3", "2 2", "8 3 2 3", "12 3"]
    colours = list(colours) if colours else palette.SERIES
    for s, (_name, values) in enumerate(series):
        colour = colours[s % len(colours)]
        dash = dashes[s % len(dashes)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        segment: list[tuple[float, float]] = []
        segments: list[list[tuple[float, float]]] = []
        for i, v in enumerate(values):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
            else:
                segment.append((x_at(i), y_at(v)))
        if segment:
            segments.append(segment)
        for seg in segments:
            if len(seg) > 1:
                body.append(
                    f'<polyline points="{_points(seg)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash_attr}/>'
                )
            for x, y in seg:
                body.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3" fill="{colour}"/>')
        # Legend on the right, with the same dash, so colour is never the only signal.
        ly = legend_y
        lx = left + plot_w + 12
        body.append(
            f'<line x1="{_n(lx)}" y1="{_n(ly)}" x2="{_n(lx + 20)}" y2="{_n(ly)}" '
            f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
        )
        body.append(_lines(lx + 25, ly + 3.2, legend_lines[s], size=9))
        legend_y += 10.5 * len(legend_lines[s]) + 6
    return _svg(width, height, body, label)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _levels_across(x_at, levels: range, y1: float, y2: float, colour: str) -> list[str]:
    """A scale running across: a vertical mark from ``y1`` to ``y2`` at each level, and the
    level's number under it."""
    drawn = []
    for level in levels:
        x = x_at(level)
        drawn.append(
            f'<line x1="{_n(x)}" y1="{_n(y1)}" x2="{_n(x)}" y2="{_n(y2)}" '
            f'stroke="{colour}" stroke-width="0.6"/>'
        )
        drawn.append(
            f'<text x="{_n(x)}" y="{_n(y2 + 9)}" font-size="8" text-anchor="middle" '
            f'fill="#555">{level}</text>'
        )
    return drawn


# --------------------------------------------------------------------------------------------
# Lived experience against organisations (round report)
# --------------------------------------------------------------------------------------------


def gap(
    rows: Sequence[tuple[str, float | None, float | None]],
    *,
    lowest: int = 1,
    levels: int = 5,
    width: float = 640,
    label: str = "People with lived experience and organisations, for each precondition",
) -> str:
    """One row per precondition, named in full (wrapped) on the left: a circle for people
    with lived experience, a square for organisations, joined by a bar; values printed at
    the right so that neither colour nor position is the only way to read them."""
    name_w, values_w, top, size = 200.0, 92.0, 14.0, 8.5
    step = size * 1.15
    left, right = name_w + 10, width - values_w - 8
    span = max(levels - lowest, 1)

    def x_at(v: float) -> float:
        return left + (right - left) * (v - lowest) / span

    body: list[str] = []
    y = top
    placed = []
    for name, lived, organisations in rows:
        lines = wrap(name, 44)
        height = max(step * len(lines), 14) + 6
        placed.append((y, height, lines, lived, organisations))
        y += height
    bottom = y
    body += _levels_across(x_at, range(lowest, levels + 1), top - 4, bottom, palette.GRID)
    body.append(_lines(right + 10, top - 4, ["Lived exp. / orgs"], size=7.5))
    for row_y, height, lines, lived, organisations in placed:
        mid = row_y + height / 2
        first = mid - step * (len(lines) - 1) / 2 + size / 3
        body.append(_lines(0, first, lines, size=size))
        if lived is not None and organisations is not None:
            body.append(
                f'<line x1="{_n(x_at(lived))}" y1="{_n(mid)}" x2="{_n(x_at(organisations))}" '
                f'y2="{_n(mid)}" stroke="{palette.GRID}" stroke-width="3"/>'
            )
        if organisations is not None:
            ox = x_at(organisations)
            body.append(
                f'<rect x="{_n(ox - 4)}" y="{_n(mid - 4)}" width="8" height="8" '
                f'fill="{palette.ORGANISATIONS}"/>'
            )
        if lived is not None:
            body.append(
                f'<circle cx="{_n(x_at(lived))}" cy="{_n(mid)}" r="4.3" fill="{palette.LIVED}"/>'
            )
        shown = f"{fmt(lived)} / {fmt(organisations)}"
        body.append(_lines(right + 10, mid + size / 3, [shown], size=size))
    legend_y = bottom + 26
    body.append(
        f'<circle cx="{_n(left + 4)}" cy="{_n(legend_y - 3)}" r="4.3" fill="{palette.LIVED}"/>'
    )
    body.append(_lines(left + 12, legend_y, ["People with lived experience"], size=size))
    box_x = left + 150
    body.append(
        f'<rect x="{_n(box_x)}" y="{_n(legend_y - 7)}" width="8" height="8" '
        f'fill="{palette.ORGANISATIONS}"/>'
    )
    body.append(_lines(box_x + 12, legend_y, ["People from organisations"], size=size))
    return _svg(width, legend_y + 6, body, label)


# --------------------------------------------------------------------------------------------
# Partner scores of one precondition (round report)
# --------------------------------------------------------------------------------------------


def dot_strip(
    scores: Sequence[tuple[float, bool]],
    place: float | None,
    *,
    lowest: int = 1,
    levels: int = 5,
    width: float = 250,
    label: str = "Partner scores and the place score",
) -> str:
    """Each partner's score a dot on the scale (the pooled "Other partners" a hollow dot),
    the place score a vertical line. Equal scores stack upwards, so every partner shows.
    ``scores`` are (score, pooled) pairs; hidden and missing scores are left out by the
    caller."""
    left, right, base, r = 8.0, width - 8.0, 34.0, 3.6
    span = max(levels - lowest, 1)

    def x_at(v: float) -> float:
        return left + (right - left) * (v - lowest) / span

    body = [
        f'<line x1="{_n(left)}" y1="{_n(base)}" x2="{_n(right)}" y2="{_n(base)}" '
        f'stroke="{palette.GRID}" stroke-width="0.8"/>'
    ]
    body += _levels_across(x_at, range(lowest, levels + 1), base - 2, base + 2, "#555")
    stacked: dict[float, int] = {}
    for score, pooled in sorted(scores):
        key = round(score, 1)
        height = stacked.get(key, 0)
        stacked[key] = height + 1
        cy = base - r - 1 - height * (2 * r - 0.5)
        fill = "#fff" if pooled else palette.CURRENT
        body.append(
            f'<circle cx="{_n(x_at(score))}" cy="{_n(max(cy, r))}" r="{_n(r)}" fill="{fill}" '
            f'fill-opacity="0.85" stroke="{palette.CURRENT}" stroke-width="1"/>'
        )
    if place is not None:
        x = x_at(place)
        body.append(
            f'<line x1="{_n(x)}" y1="2" x2="{_n(x)}" y2="{_n(base + 3)}" '
            f'stroke="{palette.INK}" stroke-width="1.6"/>'
        )
    return _svg(width, base + 14, body, label)
