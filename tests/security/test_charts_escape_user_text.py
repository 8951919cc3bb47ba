"""User text reaches charts as text, never as markup: plotly draws a subset of HTML (links,
styles) in every label, legend and hover box, so each user-supplied string that reaches a
figure goes through ``reports.charts.chart_text``."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments.models import Perspective, RoundState
from places.models import Role
from preconditions.models import Precondition, PreconditionGroup, ScaleLevel
from reports import charts
from reports.aggregation import place_trend, round_summary
from tests.factories import MembershipFactory, PartnerFactory, PlaceFactory, RoundFactory
from tests.helpers import answer

LINK = '<a href="http://127.0.0.1:9/phish">Click me</a>'
MARKUP = f'{LINK} <b>bold</b> <span style="font-size:90px">big</span>'
# What plotly itself reads as markup: any tag but the <extra> box of a hover template and
# the line breaks that wrap long names (reports.charts.wrapped).
TAG = re.compile(r"<(?!/?extra>|br>)[a-zA-Z/]")


def strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings_in(v)]
    return []


def assert_no_markup(figure: dict, where: str) -> None:
    tagged = [s for s in strings_in(figure) if TAG.search(s)]
    assert not tagged, f"markup reaches the {where} figure: {tagged[:3]}"
    templates = [t["hovertemplate"] for t in figure["data"] if "hovertemplate" in t]
    assert not any("Click me" in t for t in templates), "user text inside a hover template"


@pytest.fixture
def hostile_rounds():
    """Two rounds of a place whose round, group, item and scale names all carry markup."""
    place = PlaceFactory(name=f"Place {MARKUP}")
    earlier = RoundFactory(
        place=place,
        name=f"Earlier {MARKUP}",
        state=RoundState.CLOSED,
        opens_on=timezone.localdate() - dt.timedelta(days=400),
        closes_on=timezone.localdate() - dt.timedelta(days=380),
    )
    later = RoundFactory(place=place, name=f"Later {MARKUP}", state=RoundState.CLOSED)
    framework = later.framework
    for model, field, text, length in (
        (Precondition, "name", MARKUP, 200),
        (PreconditionGroup, "name", LINK, 100),
        (ScaleLevel, "label", LINK, 40),
    ):
        for n, obj in enumerate(model.objects.filter(framework=framework)):
            setattr(obj, field, f"{n}{text}"[:length])
            obj.save(update_fields=[field])
    partner = PartnerFactory(place=place, name=f"Partner {MARKUP}"[:200])
    for round_ in (earlier, later):
        for perspective in (Perspective.MANAGER, Perspective.LIVED_EXPERIENCE):
            for _ in range(3):
                answer(round_, partner, {"A": 2, "B": 4}, perspective=perspective)
    return earlier, later


@pytest.mark.django_db
def test_every_figure_carries_user_text_escaped(hostile_rounds):
    _, later = hostile_rounds
    summary = round_summary(later)
    item = summary.preconditions[0]
    assert_no_markup(charts.distribution_figure(item, summary.scale), "distribution")
    figures = charts.trend_figures(place_trend(later.place_id))
    for name in ("groups", "nine"):
        assert_no_markup(figures[name], f"trends ({name})")
    # Escaped, not dropped: plotly turns the entities back into the characters typed (the
    # only markup added is the line break that wraps a long name).
    assert "Later &lt;a<br>href=" in figures["groups"]["data"][0]["x"][1]
    # The dashboard's own charts are SVG drawn by Django, whose templates escape the names.


def test_chart_text_escapes_what_plotly_reads_as_markup():
    assert charts.chart_text('<a href="x">A & B</a>') == '&lt;a href="x"&gt;A &amp; B&lt;/a&gt;'


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_link_inside_the_trends_chart(page: Page, live_server, hostile_rounds):
    _, later = hostile_rounds
    board = MembershipFactory(place=later.place, role=Role.BOARD).user
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(board.email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your places")).to_be_visible()

    page.goto(f"{live_server.url}/places/{later.place.slug}/trends/")
    charts_drawn = page.locator(".js-plotly-plot svg.main-svg")
    expect(charts_drawn.first).to_be_visible(timeout=20_000)
    expect(page.locator(".js-plotly-plot .xtick text").first).to_be_visible()
    # Nothing in any chart is a link, bold or restyled ...
    assert page.locator(".js-plotly-plot svg a").count() == 0
    assert page.locator(".js-plotly-plot svg text tspan[style*='font-size:90px']").count() == 0
    # ... and the round names are drawn on the axis as the text typed, wrapped onto lines at
    # its spaces (each line a tspan, so the text content has no spaces).
    expect(page.locator(".js-plotly-plot .xtick text").first).to_contain_text(
        '<ahref="http://127.0.0.1:9/phish">'
    )
