"""The report charts in Chromium at a phone's and a desktop's width: the dot strips, the
heatmap of differences and the precondition page's level bars draw through the page gate,
and nothing but a `.scroll-x` box (the heatmap) is wider than the screen (decision 0055)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Round, RoundState
from reports.aggregation import round_summary
from tests.browser.conftest import sign_in, wait_for_charts
from tests.browser.test_dashboard import with_strict_csp, without_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect.set_options(timeout=20_000)

# Every element outside a `.scroll-x` box ends inside the window; the box itself does too.
WIDER_THAN_THE_WINDOW = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter((el) => !el.parentElement.closest('.scroll-x'))
    .filter((el) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.right > width + 1;
    })
    .map((el) => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right));
}"""


@pytest.fixture
def confidential_round(demo):
    # The demo's latest closed round is confidential: it has an "Other partners" group.
    return Round.objects.filter(place__slug="harrowdene", state=RoundState.CLOSED).latest(
        "opens_on"
    )


def open_under_strict_csp(page: Page, live_server, path: str, width: int) -> list[str]:
    """Sign in as the demo's board member and open ``path`` at ``width`` under a strict CSP;
    returns the list the browser's refusals are collected in."""
    refused = with_strict_csp(page)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server)
    page.goto(f"{live_server.url}{path}")
    return refused


def no_sideways_scroll(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(WIDER_THAN_THE_WINDOW) == []


@pytest.mark.parametrize("width", [375, 1280])
def test_dashboard_charts_draw_and_only_the_heatmap_scrolls(
    page: Page, live_server, confidential_round, check_page, width
):
    path = f"/places/harrowdene/rounds/{confidential_round.pk}/dashboard/"
    refused = open_under_strict_csp(page, live_server, path, width)
    summary = round_summary(confidential_round)
    nine = page.locator("section", has=page.locator("#nine-heading"))
    strips = nine.locator("svg.dot-strip")
    expect(strips).to_have_count(len(summary.preconditions))
    # Each strip draws the partners this audience may see: named dots and one pooled square.
    a = summary.precondition(summary.preconditions[0].code)
    named = [p for p in a.partner_scores if not p.pooled and p.score is not None]
    expect(strips.first.locator("circle.strip-dot")).to_have_count(len(named))
    expect(strips.first.locator("rect.strip-pool")).to_have_count(1)
    expect(strips.first.locator("line.strip-place")).to_have_count(1)
    # Full names next to the strips and over the heatmap's columns.
    expect(nine.get_by_role("link", name=a.name, exact=True)).to_be_visible()
    heat = page.get_by_role("region", name="Partner scores by precondition; scrolls sideways")
    expect(heat.locator("th.heat-name").first).to_have_text(a.name)
    expect(heat.locator("td.diff-much-lower, td.diff-lower").first).to_be_attached()
    # The strips fill the column without running past it.
    box = strips.first.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
    no_sideways_scroll(page, width)
    assert refused == [], refused
    without_csp(page)
    check_page(page, f"report-charts-dashboard-{width}")


@pytest.mark.parametrize("width", [375, 1280])
def test_precondition_page_bars_are_horizontal_and_the_strip_leads(
    page: Page, live_server, confidential_round, check_page, width
):
    path = f"/places/harrowdene/rounds/{confidential_round.pk}/dashboard/A/"
    refused = open_under_strict_csp(page, live_server, path, width)
    expect(page.locator("#partners-heading ~ figure svg.dot-strip")).to_be_visible()
    chart = page.locator("[data-chart=distribution-data]")
    expect(chart.locator("svg.main-svg").first).to_be_attached()
    wait_for_charts(page)
    # Level names down the side, one per bar: none overlaps the next.
    labels = chart.locator(".ytick text")
    expect(labels).to_have_count(6)
    boxes = sorted((labels.nth(i).bounding_box() for i in range(6)), key=lambda b: b["y"])
    for above, below in zip(boxes, boxes[1:], strict=False):
        assert above["y"] + above["height"] <= below["y"] + 0.5
    assert all(b["x"] >= 0 for b in boxes)
    no_sideways_scroll(page, width)
    assert refused == [], refused
    without_csp(page)
    check_page(page, f"report-charts-precondition-{width}")


def test_trends_key_names_every_line_in_full_at_phone_width(
    page: Page, live_server, demo, check_page
):
    page.set_viewport_size({"width": 375, "height": 900})
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/places/harrowdene/trends/")
    wait_for_charts(page)
    key = page.locator(".line-key").first
    expect(key).to_be_visible()
    expect(key.locator("li")).to_have_count(9)
    expect(key).to_contain_text("Resilient and risk embracing")
    # Round names under the axis stay inside the chart.
    chart = page.locator("[data-chart=trend-nine-data]").bounding_box()
    for tick in page.locator("[data-chart=trend-nine-data] .xtick text").all():
        box = tick.bounding_box()
        assert (
            box["x"] >= chart["x"] - 1
            and box["x"] + box["width"] <= chart["x"] + chart["width"] + 1
        )
    no_sideways_scroll(page, 375)
    check_page(page, "report-charts-trends-375")
