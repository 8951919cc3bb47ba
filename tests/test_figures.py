"""Figures are written one way everywhere (ninefold/figures.py)."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from ninefold import figures


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "–"), (3.44, "3.4"), (3.46, "3.5"), (1, "1.0")],
)
def test_a_figure_has_one_decimal_or_a_dash(value, text):
    assert figures.fmt(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "–"), (0.3, "+0.3"), (-0.2, "−0.2"), (-0.04, "0.0"), (0.04, "0.0"), (0.0, "0.0")],
)
def test_a_change_reads_with_a_real_minus_and_no_sign_when_it_is_nothing(value, text):
    assert figures.signed_change(value) == text


def test_a_share_is_a_whole_percentage():
    assert (figures.percent(None), figures.percent(0.456), figures.percent(1)) == (
        "–",
        "46%",
        "100%",
    )


def _rendered(source: str, value) -> str:
    return Template("{% load figures %}" + source).render(Context({"v": value}))


@pytest.mark.parametrize(
    ("value", "text"), [(0, "0.0"), (0.0, "0.0"), (-0.04, "0.0"), (0.04, "0.0"), (-0.26, "−0.3")]
)
def test_a_change_is_written_one_way_by_the_filter_and_both_tags(value, text):
    """The dashboard's change tag, the gap tag and the PDF's and workshop's filter all write
    the number with ninefold.figures.signed_change: no change is "0.0", never "−0.0" or "±0.0"."""
    filtered = _rendered("{{ v|signed_change }}", value)
    change = _rendered("{% change v %}", value)
    gap = _rendered("{% gap v %}", value)
    assert filtered == text
    assert f"{text} <" in change and f"{text} " in gap
    for html in (filtered, change, gap):
        assert "−0.0" not in html and "-0.0" not in html and "±" not in html


def test_no_change_reads_about_the_same_and_a_zero_gap_the_same():
    assert "about the same" in _rendered("{% change v %}", -0.04)
    assert "the same" in _rendered("{% gap v %}", 0.04)
    assert "higher for lived experience" in _rendered("{% gap v %}", 0.26)


def test_figures_and_shares_render_through_the_one_library():
    assert _rendered("{{ v|fmt }} {{ v|percent }}", 0.456) == "0.5 46%"
    assert _rendered("{{ v|fmt }} {{ v|signed_change }} {{ v|percent }}", None) == "– – –"


# The only library that may turn figures into text; the others keep non-figure helpers.
FIGURE_FILTERS = {"fmt", "fig", "fig_signed", "signed_change", "percent", "change", "gap"}


def test_no_other_template_library_defines_a_figure_filter():
    from django.template import engines

    libraries = engines["django"].engine.template_libraries
    ours = {
        name
        for name, library in libraries.items()
        if FIGURE_FILTERS & (set(library.filters) | set(library.tags))
    }
    assert ours == {"figures"}
    # The project's other libraries, read as text: none registers a figure filter by name.
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    others = [p for p in root.glob("*/templatetags/*.py") if p.parent.parent.name != "ninefold"]
    assert others  # reports and workshop have libraries of their own
    for path in others:
        text = path.read_text(encoding="utf-8")
        for name in FIGURE_FILTERS:
            assert f'"{name}"' not in text and f"def {name}(" not in text, (path.name, name)


@pytest.mark.parametrize(
    ("spread", "words"),
    [
        (None, ""),
        (0.0, "broadly agree"),
        (0.5, "broadly agree"),
        # the words follow the figure as shown: 0.56 is written 0.6
        (0.56, "views differ"),
        (0.6, "views differ"),
        (0.74, "views differ"),
        (0.76, "views differ widely"),
        (1.4, "views differ widely"),
    ],
)
def test_spread_reads_in_words_with_thresholds_defined_once(spread, words):
    assert figures.spread_words(spread) == words
    assert (figures.SPREAD_AGREE_BELOW, figures.SPREAD_WIDE_FROM) == (0.6, 0.8)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (None, "no earlier figure"),
        (0.0, "about the same"),
        (0.24, "about the same"),
        (-0.24, "about the same"),
        (0.26, "higher"),
        (-0.26, "lower"),
        (0.8, "higher"),
    ],
)
def test_a_change_inside_the_band_reads_about_the_same(change, words):
    assert figures.change_words(change) == words
    assert figures.ABOUT_THE_SAME_BELOW == 0.3


@pytest.mark.parametrize("value", [-0.1, 0.2, -0.6, 0.6])
def test_a_change_carries_no_arrow_and_no_verdict_colour(value):
    html = Template("{% load figures %}{% change v %}").render(Context({"v": value}))
    assert "▲" not in html and "▼" not in html and "▶" not in html
    assert "change-up" not in html and "change-down" not in html
    assert figures.change_words(value) in html


def test_change_colours_are_one_neutral_colour():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[1] / "static/css/ninefold.css").read_text()
    assert ".change-up" not in css and ".change-down" not in css


@pytest.mark.parametrize(
    ("difference", "kind"),
    [
        (None, "none"),
        (0.0, "near"),
        (0.24, "near"),
        (-0.29, "lower"),  # shown as −0.3: the words follow the figure as shown
        (0.26, "higher"),
        (0.94, "higher"),
        (0.96, "much-higher"),  # shown as 1.0
        (-1.0, "much-lower"),
        (-0.5, "lower"),
    ],
)
def test_a_partners_difference_from_the_place_view_in_bands(difference, kind):
    assert figures.difference_kind(difference) == kind
    words = figures.difference_words(difference)
    assert words and "better" not in words and "worse" not in words
