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


@pytest.mark.parametrize("value", [-0.04, 0.0, 0.03])
def test_no_change_is_written_the_same_on_the_dashboard_the_pdf_and_the_workshop(value):
    """Before, the same nothing read "−0.0 no change", "0.0" and "±0.0" on the three."""
    context = Context({"v": value})
    dashboard = Template("{% load reports %}{% change v %}").render(context)
    pdf = Template("{% load pdf_report %}{{ v|fig_signed }}").render(context)
    workshop = Template("{% load workshop_tags %}{% fmt v signed=True %}").render(context)
    assert pdf == workshop == "0.0"
    assert "0.0 <" in dashboard and "about the same" in dashboard
    assert "−0.0" not in dashboard + pdf + workshop and "±" not in dashboard + workshop


def test_a_fall_carries_a_minus_sign_everywhere():
    context = Context({"v": -0.26})
    dashboard = Template("{% load reports %}{% change v %}").render(context)
    pdf = Template("{% load pdf_report %}{{ v|fig_signed }}").render(context)
    workshop = Template("{% load workshop_tags %}{% fmt v signed=True %}").render(context)
    assert pdf == workshop == "−0.3"
    assert "−0.3" in dashboard


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
    html = Template("{% load reports %}{% change v %}").render(Context({"v": value}))
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
