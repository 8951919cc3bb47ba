"""Chart specifications and the vendored plotly.js files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from assessments.models import RoundState
from reports import charts
from reports.aggregation import place_trend, round_summary
from reports.management.commands.vendor_plotly import INJECTED_STYLE_ID, plotly_css
from tests.factories import PartnerFactory, RoundFactory
from tests.helpers import answer

VENDOR = Path(settings.BASE_DIR) / "static" / "vendor" / "plotly"


@pytest.mark.django_db
def test_distribution_counts_levels_and_dont_know_separately():
    round_ = RoundFactory()
    partner = PartnerFactory(place=round_.place)
    answer(round_, partner, {"C": 2})
    answer(round_, partner, {"C": None})
    summary = round_summary(round_)
    figure = charts.distribution_figure(summary.precondition("C"), summary.scale)
    # Horizontal bars: levels down the side, so their names never run into each other.
    assert figure["data"][0]["orientation"] == "h"
    assert figure["data"][0]["x"] == [0, 1, 0, 0, 0, 1]
    assert figure["data"][0]["y"][-1] == "Don't know"
    assert figure["data"][0]["y"][1] == "2 Emerging"
    text = charts.distribution_text(summary.precondition("C"), summary.scale)
    assert text.startswith("Of 2 respondents") and "1 said they don't know" in text


@pytest.mark.django_db
def test_trend_lines_avoid_the_faint_yellow_and_vary_dash_and_marker():
    round_ = RoundFactory()
    answer(round_, PartnerFactory(place=round_.place), {"A": 3})
    nine = charts.trend_figures(place_trend(round_.place_id))["nine"]["data"]
    assert len(nine) == 9
    assert all(line["line"]["color"].upper() != "#F0E442" for line in nine)
    assert len({(t["line"]["color"], t["line"]["dash"], t["marker"]["symbol"]) for t in nine}) == 9


@pytest.mark.django_db
def test_trend_lines_carry_full_names_in_an_html_key_not_a_clipped_legend():
    round_ = RoundFactory()
    answer(round_, PartnerFactory(place=round_.place), {"A": 3})
    trend = place_trend(round_.place_id)
    figures = charts.trend_figures(trend)
    assert figures["nine"]["layout"]["showlegend"] is False
    key = figures["nine_key"]
    assert [line["name"] for line in key] == [trend.names[c] for c in trend.codes]
    assert all(len(line["name"]) > 1 for line in key)
    # The key repeats each line's look: colour, dash and marker.
    for line, trace in zip(key, figures["nine"]["data"], strict=True):
        assert line["colour"] == trace["line"]["color"]
        assert line["marker"] == charts._MARKERS[trace["marker"]["symbol"]]
    assert {line["dash"] for line in key} == {"", "7 4", "2 3", "7 3 2 3"}


def test_long_names_wrap_at_spaces_for_plotly():
    assert charts.wrapped("Resilient and risk embracing: safe to fail", 20) == (
        "Resilient and risk<br>embracing: safe to<br>fail"
    )
    assert charts.wrapped("<b>x</b> y", 3) == "&lt;b&gt;x&lt;/b&gt;<br>y"


@pytest.mark.django_db
def test_trend_text_says_about_the_same_for_small_moves_and_never_better_or_worse():
    first = RoundFactory(name="First", state=RoundState.CLOSED, opens_on=dt.date(2025, 1, 1))
    later = RoundFactory(
        place=first.place, framework=first.framework, name="Later", opens_on=dt.date(2026, 1, 1)
    )
    partner = PartnerFactory(place=first.place)
    answer(first, partner, {"A": 2, "B": 3, "C": 4})
    answer(later, partner, {"A": 4, "B": 3, "C": 2})
    trend = place_trend(first.place_id)
    assert trend.points[-1].changes["A"] == 2.0 and trend.points[0].changes["A"] is None
    text = charts.trend_text(trend)
    names = trend.names
    assert f"about the same on 1 ({names['B']})" in text
    assert f"higher on 1 ({names['A']})" in text and f"lower on 1 ({names['C']})" in text
    assert "better" not in text and "worse" not in text and "improv" not in text


def test_vendored_plotly_is_committed_with_its_licence():
    source = (VENDOR / "plotly.min.js").read_text(encoding="utf-8")
    assert "Licensed under the MIT license" in source[:400]
    licence = (VENDOR / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and "Plotly" in licence


def test_vendored_css_and_shim_match_the_bundle():
    source = (VENDOR / "plotly.min.js").read_text(encoding="utf-8")
    assert (VENDOR / "plotly.css").read_text(encoding="utf-8") == plotly_css(source)
    css = plotly_css(source)
    assert ".js-plotly-plot .plotly .main-svg { position:absolute;" in css
    shim = (VENDOR / "plotly-csp.js").read_text(encoding="utf-8")
    ids = INJECTED_STYLE_ID.findall(source)
    assert ids and all(i in shim for i in ids)
