import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_about_page_is_accessible(page: Page, live_server, check_page):
    page.goto(f"{live_server.url}/about/")
    expect(page.get_by_role("heading", level=1)).to_have_text("About the framework")
    expect(page.get_by_role("heading", name="Vision")).to_be_visible()
    check_page(page, "about-desktop")


def test_about_page_at_phone_width(page: Page, live_server, check_page):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/about/")
    check_page(page, "about-320")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320, "the page scrolls sideways at 320 px"


def test_skip_link_is_first_and_moves_focus_to_main(page: Page, live_server, check_page):
    page.goto(f"{live_server.url}/")
    check_page(page, "home-anonymous")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_demo_lead_signs_in_by_keyboard_and_sees_the_place(
    page: Page, live_server, demo, check_page
):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    check_page(page, "sign-in")
    page.get_by_label("Email address").fill("lead@example.org")
    page.get_by_label("Password").fill("harrowdene-demo")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your places")).to_be_visible()
    check_page(page, "home-lead")
    page.get_by_role("link", name="Harrowdene").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harrowdene")
    check_page(page, "place-detail")


def test_error_pages_pass_the_gate(page: Page, live_server, check_page):
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_page(page, "error-404")
    page.goto(f"{live_server.url}/r/not-a-real-token/")
    check_page(page, "link-invalid")
