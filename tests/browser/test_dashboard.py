"""The demo place's dashboards in Chromium: accessible, readable at phone widths, CSP-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from assessments.models import Round, RoundState
from tests.browser.conftest import PageWatch, sign_in, wait_for_charts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Parsing the 4.8 MB plotly bundle can take seconds on a busy 2-core machine.
expect.set_options(timeout=20_000)

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'"
)


@pytest.fixture
def demo_round(demo):
    return Round.objects.filter(place__slug="harrowdene", state=RoundState.CLOSED).latest(
        "opens_on"
    )


def with_strict_csp(page: Page) -> list[str]:
    """Serve every page with a strict CSP and collect what the browser refuses."""
    refused: list[str] = []

    def add_header(route):
        try:
            response = route.fetch()
            headers = {**response.headers, "content-security-policy": STRICT_CSP}
            route.fulfill(response=response, headers=headers)
        except PlaywrightError:
            pass  # the page navigated away and the browser dropped this request

    page.route("**/*", add_header)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy: ' + e.violatedDirective + ' ' + e.sourceFile + ':' +"
        " e.lineNumber + ':' + e.columnNumber + ' ' + e.sample));"
    )
    page.on(
        "console",
        lambda msg: (
            refused.append(msg.text[:300]) if "Content Security Policy" in msg.text else None
        ),
    )
    return refused


def without_csp(page: Page) -> None:
    """Reload without the policy: the axe script the test injects is itself inline code."""
    page.unroute_all(behavior="ignoreErrors")
    page.reload()
    page.wait_for_load_state("networkidle")


def dashboard_url(live_server, round_) -> str:
    return f"{live_server.url}/places/harrowdene/rounds/{round_.pk}/dashboard/"


def test_board_member_reaches_the_dashboard_from_the_place_page(
    page: Page, live_server, demo_round, check_page
):
    refused = with_strict_csp(page)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/places/harrowdene/")
    page.get_by_role("link", name=demo_round.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo_round.name)
    # The dashboard's charts are SVG drawn on the server (decision 0055).
    expect(page.locator("svg.dot-strip").first).to_be_visible()
    assert page.locator("[data-chart]").count() == 0
    assert refused == [], refused
    without_csp(page)
    check_page(page, "dashboard-1280")


@pytest.mark.parametrize("width", [375, 320])
def test_dashboard_reads_at_phone_width(page: Page, live_server, demo_round, check_page, width):
    sign_in(page, live_server)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(dashboard_url(live_server, demo_round))
    expect(page.locator("svg.dot-strip").first).to_be_visible()
    check_page(page, f"dashboard-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_precondition_page_filters_evidence_and_is_accessible(
    page: Page, live_server, demo_round, check_page
):
    refused = with_strict_csp(page)
    sign_in(page, live_server)
    page.goto(dashboard_url(live_server, demo_round))
    page.locator("table.figures-table").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Evidence notes")).to_be_visible()
    expect(page.locator("[data-chart=distribution-data] svg.main-svg").first).to_be_attached()
    page.get_by_label("Level", exact=True).select_option(label="Don't know")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("match the filter")).to_be_visible()
    assert refused == [], refused
    without_csp(page)
    check_page(page, "precondition-1280")
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    expect(page.locator("[data-chart=distribution-data] svg.main-svg").first).to_be_attached()
    wait_for_charts(page)
    check_page(page, "precondition-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_evidence_notes_go_page_by_page_keeping_the_filter(
    page: Page, live_server, demo_round, check_page, monkeypatch
):
    from reports import aggregation

    monkeypatch.setattr(aggregation, "NOTES_PER_PAGE", 2)  # the demo has a few notes a page
    sign_in(page, live_server)
    page.goto(dashboard_url(live_server, demo_round))
    page.locator("table.figures-table").get_by_role("link").first.click()
    pages = page.get_by_role("navigation", name="Pages of evidence notes")
    expect(pages).to_be_visible()
    expect(page.get_by_text("Showing 1–2 of")).to_be_visible()
    pages.get_by_role("link", name="Next page").click()
    expect(page.get_by_text("Showing 3–4 of")).to_be_visible()
    expect(pages.locator("[aria-current=page]")).to_have_text("Page 2")
    wait_for_charts(page)
    check_page(page, "precondition-notes-page-2")
    page.goto(page.url.split("?")[0] + "?page=nine")
    expect(page.get_by_role("alert")).to_contain_text("The page number must be a whole number")
    expect(page.get_by_text("Showing 1–2 of")).to_be_visible()


def test_trends_page_draws_both_charts(page: Page, live_server, demo_round, check_page):
    refused = with_strict_csp(page)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/places/harrowdene/trends/")
    expect(page.locator("[data-chart=trend-nine-data] svg.main-svg").first).to_be_attached()
    expect(page.locator("[data-chart=trend-groups-data] svg.main-svg").first).to_be_attached()
    wait_for_charts(page)
    assert refused == [], refused
    without_csp(page)
    check_page(page, "trends-1280")


def test_dashboard_is_complete_without_javascript(
    browser, live_server, demo_round, screenshot, html_check
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.ninefold_watch = PageWatch(page)
    sign_in(page, live_server)
    page.goto(dashboard_url(live_server, demo_round))
    # Every chart of the dashboard is drawn on the server, so it is there without scripts.
    expect(page.locator("svg.dot-strip").first).to_be_visible()
    expect(page.locator("table.figures-table")).to_be_visible()
    expect(page.locator("table.heatmap")).to_be_visible()
    screenshot(page, "dashboard-nojs")
    html_check(page, "dashboard-nojs")
    context.close()
