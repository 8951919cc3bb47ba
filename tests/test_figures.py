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
    assert "> 0.0 <" in dashboard and "no change" in dashboard
    assert "−0.0" not in dashboard + pdf + workshop and "±" not in dashboard + workshop


def test_a_fall_carries_a_minus_sign_everywhere():
    context = Context({"v": -0.26})
    dashboard = Template("{% load reports %}{% change v %}").render(context)
    pdf = Template("{% load pdf_report %}{{ v|fig_signed }}").render(context)
    workshop = Template("{% load workshop_tags %}{% fmt v signed=True %}").render(context)
    assert pdf == workshop == "−0.3"
    assert "−0.3" in dashboard
