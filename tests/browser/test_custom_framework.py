"""In a real browser: a round on a local framework of eleven items is answered
through the personal link and read on the dashboard, with the same gate as every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Perspective, Response
from places.models import Role
from tests.factories import InvitationFactory, MembershipFactory, PartnerFactory, RoundFactory
from tests.preconditions.test_custom_framework_end_to_end import CODES, local_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_local_framework_answered_and_read_in_the_browser(page: Page, live_server, check_page):
    framework = local_version()
    round_ = RoundFactory(framework=framework, name="Local check-in")
    lead = MembershipFactory(place=round_.place, role=Role.LEAD).user
    partner = PartnerFactory(place=round_.place, name="Town Youth Forum")
    invitation = InvitationFactory(round=round_, partner=partner, perspective=Perspective.FRONTLINE)

    page.goto(f"{live_server.url}/r/{invitation.token}/")
    expect(page.locator("#J-title")).to_contain_text("Young people shape the town centre")
    expect(page.locator("#K-title")).to_contain_text("Buses reach services")
    check_page(page, "custom-framework-form")
    for index, code in enumerate(CODES):
        page.check(f"input[name='{code}-choice'][value='{index % 5 + 1}']")
    page.get_by_role("button", name="Submit", exact=True).click()
    check_page(page, "custom-framework-done")
    response = Response.objects.get(invitation=invitation)
    assert response.status == "submitted"
    assert sorted(response.ratings.values_list("precondition__code", flat=True)) == sorted(CODES)

    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(lead.email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/places/{round_.place.slug}/rounds/{round_.pk}/dashboard/")
    table = page.locator("table.figures-table").first
    expect(table).to_contain_text("Young people shape the town centre")
    expect(table).to_contain_text("Buses reach services")
    check_page(page, "custom-framework-dashboard")
