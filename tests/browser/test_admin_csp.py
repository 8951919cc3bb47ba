"""Django's admin works under the strict Content-Security-Policy (no relaxed policy needed).

The admin is Django's own interface, so axe and the HTML checker are not applied to it; the
watched ``page`` fixture still fails the test on any CSP violation or script error.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import csp_violations
from tests.factories import PlaceFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_pages_work_without_csp_violations(page: Page, live_server, screenshot):
    UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    place = PlaceFactory(name="Northbury")
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Email").fill("root@example.org")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    screenshot(page, "admin-index")

    page.goto(f"{live_server.url}/admin/places/place/")
    expect(page.get_by_role("link", name="Northbury")).to_be_visible()
    # The changelist's "select all" checkbox and actions are script-driven.
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("1 of 1 selected")
    screenshot(page, "admin-changelist")

    page.goto(f"{live_server.url}/admin/places/place/{place.pk}/change/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "admin-change-form")

    page.goto(f"{live_server.url}/admin/accounts/user/add/")
    screenshot(page, "admin-user-add")
    assert csp_violations(page) == []
