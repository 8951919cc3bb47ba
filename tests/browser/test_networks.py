"""A network viewer reads the comparison at a glance, on a phone and on a desktop, and a lead
answers a network's request to share, all through the page gate (axe-core, the HTML check,
CSP, JavaScript errors)."""

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from networks.models import Network
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [375, 1280])
def test_network_viewer_starts_at_their_networks_and_reads_the_chart(
    page: Page, live_server, demo_extras, check_page, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "network@example.org")
    expect(page.get_by_role("heading", level=1, name="Your networks")).to_be_visible()
    assert "not a member of any place" not in page.content()
    # They belong to no place: the navigation's link home says what home holds.
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Your networks")).to_be_visible()
    expect(main_nav.get_by_role("link", name="Your places")).to_have_count(0)
    check_page(page, f"network-home-{width}")

    page.get_by_role("link", name="Vale Integrated Care System").click()
    expect(page.get_by_role("heading", name="At a glance")).to_be_visible()
    strips = page.locator("svg.network-strip-svg")
    expect(strips).to_have_count(9)
    # Full names above each strip, the chart in words for a screen reader.
    expect(page.get_by_text("Beneficiary impact over organisation focus").first).to_be_visible()
    assert "Kelsey Vale" in strips.first.locator("desc").text_content()
    expect(page.get_by_role("heading", name="Trends across rounds")).to_be_visible()
    assert "Marlow Fen" not in page.content()  # asked, never agreed to share
    # The table beside the chart: a place sharing by name is named, one that did not agree to
    # be named is a letter.
    expect(page.get_by_role("columnheader", name="Kelsey Vale").first).to_be_attached()
    expect(page.get_by_role("columnheader", name="Place A").first).to_be_attached()
    check_page(page, f"network-comparison-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = strips.first.bounding_box()
    assert box["width"] <= width


def test_a_lead_who_views_the_network_sees_their_own_place_marked(
    page: Page, live_server, demo_extras, check_page
):
    Network.objects.get(slug="vale-ics").members.add(
        User.objects.get(email="lead.kelsey-vale@example.org")
    )
    page.set_viewport_size({"width": 375, "height": 900})
    sign_in(page, live_server, "lead.kelsey-vale@example.org")
    page.goto(f"{live_server.url}/networks/vale-ics/")
    expect(page.get_by_text("Your place, Kelsey Vale, is the orange diamond.")).to_be_visible()
    expect(page.locator("svg.network-strip-svg path")).to_have_count(9)
    check_page(page, "network-comparison-own-place-375")


def test_lead_gives_consent(page: Page, live_server, demo_extras, check_page):
    sign_in(page, live_server, "lead@example.org")
    page.goto(f"{live_server.url}/places/harrowdene/networks/")
    page.get_by_label("Show our place by name").check()
    page.get_by_role("button", name="Save our answer").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_page(page, "network-consent-error")
    page.get_by_label("Share our place's figures with this network").check()
    page.get_by_role("button", name="Save our answer").click()
    expect(page.get_by_text("sharing, by name")).to_be_visible()
    check_page(page, "network-consent-saved")
