"""The workshop sequence driven by keyboard, with axe (the network pages are tested in
test_networks.py)."""

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Round
from tests.browser.conftest import sign_in
from tests.helpers import fill_date
from workshop.models import AgreedView

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def arrow(page: Page, key: str, url: str) -> None:
    """Press an arrow key and wait until the next step has loaded, its script included."""
    page.keyboard.press(key)
    expect(page).to_have_url(url)
    page.wait_for_load_state("domcontentloaded")


def test_facilitator_walks_the_workshop_by_keyboard(
    page: Page, live_server, demo_extras, check_page
):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, "facilitator@example.org")
    round_ = Round.objects.get(place__slug="harrowdene", state="open")
    base = f"{live_server.url}/places/harrowdene/rounds/{round_.pk}/workshop/"

    page.goto(base)
    expect(page.get_by_role("heading", level=1)).to_have_text(round_.name)
    # A base.html page in the presenter's look: its own bar and wide type, no site footer.
    expect(page.locator("body.workshop > header.workshop-bar")).to_be_visible()
    expect(page.locator(".site-header, .site-footer")).to_have_count(0)
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 20
    expect(page.locator(".action-what", has_text="Invite Voices of Harrowdene")).to_be_visible()
    expect(page.get_by_text("Tip: the left and right arrow keys")).to_be_visible()
    check_page(page, "workshop-start")

    page.wait_for_load_state("domcontentloaded")
    arrow(page, "ArrowRight", f"{base}A/")
    expect(page.get_by_text("Precondition 1 of 9")).to_be_visible()
    arrow(page, "ArrowRight", f"{base}B/")
    expect(page.get_by_text("Precondition 2 of 9")).to_be_visible()
    check_page(page, "workshop-step-b")
    arrow(page, "ArrowLeft", f"{base}A/")

    # Record the room's view with the keyboard; arrows typed in the text box stay there.
    page.get_by_label("We disagree").focus()
    page.keyboard.press("Space")
    page.get_by_label("Reasons").focus()
    page.keyboard.type("Council and police see this differently.")
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(f"{base}A/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("The agreed view of A is recorded.")).to_be_visible()
    view = AgreedView.objects.get(round=round_, precondition__code="A")
    assert view.disagree and view.reasons == "Council and police see this differently."

    # A failed action form: error summary gets focus, the text typed is kept.
    page.get_by_label("What will be done").fill("Run a joint listening day")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    expect(page.get_by_label("What will be done")).to_have_value("Run a joint listening day")
    check_page(page, "workshop-step-error")
    page.get_by_label("Owner organisation").select_option(label="Harrowdene Homes")
    fill_date(page, "Due date", "2027-03-31")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("The action is added.")).to_be_visible()

    page.wait_for_load_state("domcontentloaded")
    for code in "BCDEFGHI":
        arrow(page, "ArrowRight", f"{base}{code}/")
    arrow(page, "ArrowRight", f"{base}summary/")
    expect(page.locator(".action-what", has_text="Run a joint listening day")).to_be_visible()
    check_page(page, "workshop-summary")


def test_workshop_step_at_phone_width(page: Page, live_server, demo_extras, check_page):
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, live_server, "lead@example.org")
    round_ = Round.objects.get(place__slug="harrowdene", name="Autumn 2025 review")
    page.goto(f"{live_server.url}/places/harrowdene/rounds/{round_.pk}/workshop/E/")
    check_page(page, "workshop-step-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
