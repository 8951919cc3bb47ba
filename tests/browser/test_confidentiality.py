"""Both confidentiality modes through the browser gate: a named round and a confidential one
of the demo place, as a board member, and the round form's choice as a lead."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Confidentiality, Round
from tests.browser.conftest import sign_in
from tests.helpers import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect.set_options(timeout=20_000)


@pytest.fixture
def demo_rounds(demo):
    rounds = Round.objects.filter(place__slug="harrowdene", state="closed")
    return (
        rounds.get(confidentiality=Confidentiality.NAMED),
        rounds.filter(confidentiality=Confidentiality.CONFIDENTIAL).latest("opens_on"),
    )


def test_board_member_sees_a_named_and_a_confidential_dashboard(
    page: Page, live_server, demo_rounds, check_page
):
    named, confidential = demo_rounds
    sign_in(page, live_server, "board@example.org")

    page.goto(f"{live_server.url}/places/harrowdene/rounds/{named.pk}/dashboard/")
    expect(page.get_by_text("Named organisations.", exact=False).first).to_be_visible()
    expect(page.locator(".heatmap").get_by_text("Other partners")).to_have_count(0)
    check_page(page, "confidentiality-named-dashboard")

    page.goto(f"{live_server.url}/places/harrowdene/rounds/{confidential.pk}/dashboard/")
    expect(page.get_by_text("Nothing here relates to a named partner", exact=False)).to_be_visible()
    expect(page.locator(".heatmap .pooled-row")).to_have_count(1)
    check_page(page, "confidentiality-confidential-dashboard")

    page.goto(f"{live_server.url}/places/harrowdene/rounds/{confidential.pk}/dashboard/A/")
    check_page(page, "confidentiality-confidential-precondition")


def test_lead_chooses_the_mode_on_the_round_form(page: Page, live_server, demo_rounds, check_page):
    sign_in(page, live_server, "lead@example.org")
    page.goto(f"{live_server.url}/places/harrowdene/rounds/new/")
    field = page.get_by_label("How results are shown")
    expect(field).to_have_value("confidential")
    check_page(page, "confidentiality-round-form")
    page.get_by_label("Name").fill("Spring 2027 listening")
    fill_date(page, "Opening date", "2027-03-01")
    fill_date(page, "Closing date", "2027-03-31")
    field.select_option("named")
    page.get_by_role("button", name="Create the round").click()
    expect(page.get_by_text("Named organisations.", exact=False).first).to_be_visible()
    check_page(page, "confidentiality-round-page")
    page.get_by_role("button", name="Make the round confidential").click()
    expect(page.get_by_text("Show partners by name instead")).to_be_visible()
    assert Round.objects.get(name="Spring 2027 listening").confidentiality == "confidential"
