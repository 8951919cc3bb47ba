"""How a figure is written, everywhere: pages, PDFs, workshop screens and exports.

The aggregation module computes figures (docs/aggregation.md); this module only writes them
down, so "3.4", "+0.3", "0.0" and "45%" look the same wherever they appear. Apps import it;
it imports no app.
"""

from __future__ import annotations

MINUS = "\u2212"  # a real minus sign: a hyphen reads as a dash next to figures


def fmt(value: float | None, *, signed: bool = False) -> str:
    """A figure to one decimal place; a missing figure is a dash. ``signed`` keeps the sign
    as Python writes it (``+0.3``, ``-0.2``), which is what the CSV and JSON exports carry."""
    if value is None:
        return "–"
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def signed_change(value: float | None) -> str:
    """A change for people to read: ``+0.3``, ``−0.2``, and ``0.0`` for anything that rounds
    to nothing at one decimal (never ``-0.0`` or ``±0.0``, which suggest a direction)."""
    if value is None:
        return "–"
    if round(value, 1) == 0:
        return "0.0"
    return fmt(value, signed=True).replace("-", MINUS)


def count(n: int) -> str:
    """A whole number with thousands separated by commas: ``12,000``."""
    return f"{n:,}"


def percent(ratio: float | None) -> str:
    """A share (0–1) as a whole percentage, or a dash."""
    return "–" if ratio is None else f"{ratio * 100:.0f}%"


# Words beside figures, so that a spread or a change reads in plain English and never as a
# grade. Each threshold is defined here once and documented in docs/aggregation.md; the words
# follow the figure as it is shown (to one decimal), so "0.5" never sits beside words meant
# for "under 0.5". Scores run from 1 to 5.
SPREAD_AGREE_BELOW = 0.6  # partners typically within about half a level of their average
SPREAD_WIDE_FROM = 0.8  # partners typically most of a level or more from their average
ABOUT_THE_SAME_BELOW = 0.3  # a change smaller than this is within the noise of who answered

BROADLY_AGREE = "broadly agree"
VIEWS_DIFFER = "views differ"
VIEWS_DIFFER_WIDELY = "views differ widely"
ABOUT_THE_SAME = "about the same"


def _shown(value: float) -> float:
    return round(value, 1)


def spread_words(spread: float | None) -> str:
    """How far partners' views lie apart, in words: a spread (standard deviation of partner
    scores) under 0.6 "broadly agree", from 0.8 "views differ widely", between "views
    differ". Nothing to compare reads as an empty string."""
    if spread is None:
        return ""
    shown = _shown(spread)
    if shown < SPREAD_AGREE_BELOW:
        return BROADLY_AGREE
    if shown < SPREAD_WIDE_FROM:
        return VIEWS_DIFFER
    return VIEWS_DIFFER_WIDELY


def change_kind(change: float | None) -> str:
    """ "none" (no earlier figure), "same" (inside the about-the-same band), "higher" or
    "lower". A direction, never a verdict: pages show every kind in the same neutral colour."""
    if change is None:
        return "none"
    shown = _shown(change)
    if abs(shown) < ABOUT_THE_SAME_BELOW:
        return "same"
    return "higher" if shown > 0 else "lower"


def change_words(change: float | None) -> str:
    """A change in words: "about the same" inside the band, otherwise "higher" or "lower"."""
    return {
        "none": "no earlier figure",
        "same": ABOUT_THE_SAME,
        "higher": "higher",
        "lower": "lower",
    }[change_kind(change)]


# A partner's score against the place score (the heatmap's shading): within 0.3 it is near
# the place view, from 1.0 it is a whole level or more away. Position, never a verdict.
DIFFERENCE_NEAR_BELOW = 0.3
DIFFERENCE_FAR_FROM = 1.0


def difference_kind(difference: float | None) -> str:
    """ "none", "near", "higher", "much-higher", "lower" or "much-lower": a partner score's
    place against the place score, by the figure as shown (one decimal)."""
    if difference is None:
        return "none"
    shown = _shown(difference)
    if abs(shown) < DIFFERENCE_NEAR_BELOW:
        return "near"
    side = "higher" if shown > 0 else "lower"
    return f"much-{side}" if abs(shown) >= DIFFERENCE_FAR_FROM else side


def difference_words(difference: float | None) -> str:
    """A partner score against the place score, in words."""
    return {
        "none": "no score",
        "near": "near the place view",
        "higher": "above the place view",
        "much-higher": "a level or more above the place view",
        "lower": "below the place view",
        "much-lower": "a level or more below the place view",
    }[difference_kind(difference)]


# The bands and their words, for the pages that explain them ("About these figures").
BANDS = {
    "agree_below": SPREAD_AGREE_BELOW,
    "wide_from": SPREAD_WIDE_FROM,
    "same_below": ABOUT_THE_SAME_BELOW,
    "near_below": DIFFERENCE_NEAR_BELOW,
    "far_from": DIFFERENCE_FAR_FROM,
    "agree": BROADLY_AGREE,
    "differ": VIEWS_DIFFER,
    "wide": VIEWS_DIFFER_WIDELY,
    "same": ABOUT_THE_SAME,
}
