"""A person with lived experience answers the easy-read form by keyboard; the dashboard then
shows how people with lived experience see it, beside organisations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Invitation, ResponseStatus, Round, RoundState
from reports.aggregation import lived_experience_gap
from tests.browser.conftest import sign_in
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
    # One strip per precondition, drawn on the server, each with a circle and a square.
    strips = section.locator("svg.dot-strip")
    expect(strips.first).to_be_visible()
    expect(strips.first.locator("circle.strip-lived")).to_have_count(1)
    expect(strips.first.locator("rect.strip-org")).to_have_count(1)
    lived = lived_experience_gap(open_round).lived_respondents  # the demo's, and this person
    expect(section.locator("caption")).to_contain_text(f"lived experience ({lived} answered)")
    expect(section.get_by_text("lower for lived experience").first).to_be_visible()
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
    expect(section.locator("svg.dot-strip").first).to_be_visible()
    section.screenshot(
        path=str(screenshot(page, "lived-dashboard-320").with_name("lived-gap-320.png"))
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check_page(page, "lived-dashboard-320")


# Every piece of text on the easy-read pages is at least 14 pt (18.67 CSS px), decision 0025.
SMALLEST_TEXT = """() => {
  const small = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el.offsetParent || el.closest('.visually-hidden')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 18.6) small.push(`${size}px: ${node.textContent.trim().slice(0, 40)}`);
  }
  return small;
}"""


def test_easy_read_on_a_phone_plain_questions_pictures_big_text_and_named_errors(
    page: Page, live_server, open_round, check_page
):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + EASY_READ)
    first = page.locator("#precondition-A")
    expect(first.get_by_role("heading", level=3)).to_have_text(
        "Do services care most about what gets better for people, not about themselves?"
    )
    expect(first.get_by_role("img").first).to_have_attribute("alt", re.compile(r"^Picture: "))
    expect(first.get_by_role("radio", name="Sometimes")).to_be_visible()
    assert page.evaluate(SMALLEST_TEXT) == []
    # Every picture loaded (a missing file would show as a broken image).
    assert page.evaluate("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
    check_page(page, "lived-375-easy-read-form")

    # Submit with two questions unanswered: both named in words at the top.
    for n, code in enumerate("ABCDEFG"):
        choose(page, code, n % 5)
    tab_to(page, "button[value=submit]")
    page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(summary.get_by_role("link").first).to_contain_text("Is it safe to try something new")
    assert page.evaluate(SMALLEST_TEXT) == []
    check_page(page, "lived-375-easy-read-errors")

    summary.get_by_role("link").first.click()
    expect(page.locator("#H-choice-1")).to_be_focused()
    page.keyboard.press("Space")
    choose(page, "I", 4)
    tab_to(page, "button[value=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you. We have your answers.")
    expect(page.get_by_text("You said: Always")).to_have_count(2)  # E and I
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    assert page.evaluate(SMALLEST_TEXT) == []
    check_page(page, "lived-375-easy-read-done")
