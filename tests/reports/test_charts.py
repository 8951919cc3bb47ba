"""Chart specifications and the vendored plotly.js files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from reports import charts, palette
from reports.aggregation import place_trend, round_summary
from reports.management.commands.vendor_plotly import INJECTED_STYLE_ID, plotly_css
from tests.factories import PartnerFactory, RoundFactory
from tests.helpers import answer

VENDOR = Path(settings.BASE_DIR) / "static" / "vendor" / "plotly"


@pytest.mark.django_db
def test_radar_band_runs_out_along_the_highest_and_back_along_the_lowest():
    round_ = RoundFactory()
    low = PartnerFactory(place=round_.place, name="Low")
    high = PartnerFactory(place=round_.place, name="High")
    answer(round_, low, dict.fromkeys("ABCDEFGHI", 1))
    answer(round_, high, dict.fromkeys("ABCDEFGHI", 4))
    figure = charts.radar_figure(round_summary(round_))

    band, current = figure["data"]  # no previous round: no dashed trace
    assert band["fill"] == "toself" and band["fillcolor"] == palette.RANGE_FILL
    assert band["r"] == [4.0] * 10 + [1.0] * 10
    assert band["theta"][:10] == list("ABCDEFGHIA")
    assert band["theta"][10:] == list("AIHGFEDCBA")  # opposite winding leaves a ring
    assert current["r"] == [2.5] * 10 and current["line"]["color"] == palette.CURRENT


@pytest.mark.django_db
def test_radar_text_names_lowest_highest_and_most_disputed():
    round_ = RoundFactory(name="Winter")
    a = PartnerFactory(place=round_.place, name="Alpha")
    b = PartnerFactory(place=round_.place, name="Beta")
    answer(round_, a, {"A": 1, "B": 3})
    answer(round_, b, {"A": 5, "B": 4})
    text = charts.radar_text(round_summary(round_))
    assert "from 3.0 (A" in text and "to 3.5 (B" in text
    assert "furthest apart on A" in text and "from 1.0 to 5.0" in text


@pytest.mark.django_db
def test_empty_round_has_a_text_saying_so():
    assert "No scores yet" in charts.radar_text(round_summary(RoundFactory()))


@pytest.mark.django_db
def test_distribution_counts_levels_and_dont_know_separately():
    round_ = RoundFactory()
    partner = PartnerFactory(place=round_.place)
    answer(round_, partner, {"C": 2})
    answer(round_, partner, {"C": None})
    summary = round_summary(round_)
    figure = charts.distribution_figure(summary.precondition("C"), summary.scale)
    assert figure["data"][0]["y"] == [0, 1, 0, 0, 0, 1]
    assert figure["data"][0]["x"][-1] == "Don't know"
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
