"""A person with lived experience answers the easy-read form by keyboard; the dashboard then
shows how people with lived experience see it, beside organisations."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Invitation, ResponseStatus, Round, RoundState
from reports.aggregation import lived_experience_gap
from tests.browser.conftest import sign_in, wait_for_charts
from tests.browser.test_dashboard import with_strict_csp, without_csp
from tests.browser.test_respond import choose, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect.set_options(timeout=20_000)

EASY_READ = "/r/demo-lived-experience-easy-read-harrowdene/"


@pytest.fixture
def open_round(demo_extras):
    return Round.objects.get(place__slug="harrowdene", state=RoundState.OPEN)


def test_easy_read_form_by_keyboard_then_the_gap_on_the_dashboard(
    page: Page, live_server, open_round, check_page, screenshot
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + EASY_READ)
    expect(page.get_by_text("You are reading the easy-read version")).to_be_visible()
    expect(page.locator("#A-summary")).to_contain_text("care most about what gets better")
    expect(page.locator("#progress-text")).to_have_text("0 of 9 answered")
    expect(page.locator("details")).to_have_count(0)
    check_page(page, "lived-easy-read-form")

    # Switching version at once keeps the answer just given (the script saves it first).
    choose(page, "A", 0)
    page.get_by_role("link", name="Show the standard version").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#A-summary")).to_contain_text("Partners judge success")
    expect(page.locator("#A-choice-1")).to_be_checked()
    expect(page.locator("#progress-text")).to_have_text("1 of 9 answered")
    page.get_by_role("link", name="Show the easy-read version").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#A-summary")).to_contain_text("care most about what gets better")

    for n, code in enumerate("ABCDEFGHI"):
        choose(page, code, n % 3)  # 1, 2 or 3: how much they see it
    tab_to(page, "#B-evidence")
    page.keyboard.type("Nobody asked us what we needed.")
    expect(page.locator("#progress-text")).to_have_text("9 of 9 answered")
    tab_to(page, "button[value=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    check_page(page, "lived-easy-read-done")
    invitation = Invitation.objects.get(name="Lou Fenwick")
    assert invitation.response.status == ResponseStatus.SUBMITTED
    assert invitation.response.ratings.get(precondition__code="B").score == 2

    refused = with_strict_csp(page)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/places/harrowdene/rounds/{open_round.pk}/dashboard/")
    section = page.locator("section", has=page.locator("#lived-heading"))
    expect(section.get_by_role("heading", level=2)).to_have_text(
        "How people with lived experience see it"
    )
    chart = page.locator("[data-chart=gap-data]")
    expect(chart).to_be_visible()
    expect(chart.locator("svg.main-svg").first).to_be_attached()
    lived = lived_experience_gap(open_round).lived_respondents  # the demo's, and this person
    expect(section.locator("caption")).to_contain_text(f"lived experience ({lived} answered)")
    expect(section.get_by_text("lower for lived experience").first).to_be_visible()
    wait_for_charts(page)
    assert refused == [], refused
    section.screenshot(
        path=str(screenshot(page, "lived-dashboard-page").with_name("lived-gap-section.png"))
    )
    without_csp(page)
    check_page(page, "lived-dashboard-page")


def test_gap_section_reads_at_phone_width(
    page: Page, live_server, open_round, check_page, screenshot
):
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/places/harrowdene/rounds/{open_round.pk}/dashboard/")
    section = page.locator("section", has=page.locator("#lived-heading"))
    expect(page.locator("[data-chart=gap-data] svg.main-svg").first).to_be_attached()
    wait_for_charts(page)
    section.screenshot(
        path=str(screenshot(page, "lived-dashboard-320").with_name("lived-gap-320.png"))
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check_page(page, "lived-dashboard-320")
