import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_reaches_the_export_page_from_the_place_and_it_is_accessible(
    page: Page, live_server, demo, check_page
):
    sign_in(page, live_server, "lead@example.org")
    page.goto(f"{live_server.url}/places/harrowdene/")
    check_page(page, "place-detail-with-exports")
    page.get_by_role("link", name="Exports of Autumn 2026 check-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports and exports")
    expect(page.get_by_label("Include the name and email of each respondent")).not_to_be_checked()
    check_page(page, "exports-lead")

    with page.expect_download() as download:
        page.get_by_role("link", name="Round summary as CSV").click()
    assert download.value.suggested_filename == (
        "ninefold-harrowdene-autumn-2026-check-in-summary.csv"
    )


def test_export_page_at_phone_width_for_a_facilitator(page: Page, live_server, demo, check_page):
    sign_in(page, live_server, "facilitator@example.org")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/places/harrowdene/")
    page.get_by_role("link", name="Exports of Autumn 2026 check-in").click()
    expect(page.get_by_label("Include the name and email of each respondent")).to_have_count(0)
    check_page(page, "exports-facilitator-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
