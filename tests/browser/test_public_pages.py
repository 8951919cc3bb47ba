import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.conftest import describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_about_page_is_accessible(page: Page, live_server, axe, screenshot):
    page.goto(f"{live_server.url}/about/")
    expect(page.get_by_role("heading", level=1)).to_have_text("About the framework")
    expect(page.get_by_role("heading", name="Vision")).to_be_visible()
    screenshot(page, "about-desktop")
    violations = axe(page)
    assert violations == [], describe(violations)


def test_about_page_at_phone_width(page: Page, live_server, axe, screenshot):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/about/")
    screenshot(page, "about-320")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320, "the page scrolls sideways at 320 px"
    assert axe(page) == []


def test_skip_link_is_first_and_moves_focus_to_main(page: Page, live_server):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_demo_lead_signs_in_by_keyboard_and_sees_the_place(
    page: Page, live_server, demo, axe, screenshot
):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    assert axe(page) == []
    page.get_by_label("Email address").fill("lead@example.org")
    page.get_by_label("Password").fill("harrowdene-demo")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your places")).to_be_visible()
    page.get_by_role("link", name="Harrowdene").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harrowdene")
    screenshot(page, "place-detail")
    violations = axe(page)
    assert violations == [], describe(violations)
