"""A site administrator invites the first partnership lead; the lead follows the email from the
development page of sent emails, makes an account and sets up a place (decision 0024)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from places.models import Membership, Role
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kept_emails(settings, tmp_path, live_server):
    """As with DEBUG on in `make demo`: emails are kept and listed at /dev/emails/, their links
    pointing at the server that runs (the Makefile sets SITE_URL from HOST)."""
    settings.DEBUG = True
    settings.SITE_URL = live_server.url
    settings.EMAIL_BACKEND = "ninefold.mail.DevelopmentEmailBackend"
    settings.EMAIL_OUTBOX_DIR = tmp_path / "emails"


def test_an_administrator_invites_a_lead_who_sets_up_a_place(
    page: Page, live_server, kept_emails, check_page
):
    UserFactory(email="it@example.org", is_staff=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill("it@example.org")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Invite partnership leads").click()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_page(page, "leads-01-invite-error")
    page.get_by_label("Their email address").fill("nia.lead@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("An invitation is on its way to nia.lead@example.org")).to_be_visible()
    expect(
        page.get_by_role("button", name="Withdraw the invitation to nia.lead@example.org")
    ).to_be_visible()
    check_page(page, "leads-02-invitation-waiting")
    page.get_by_role("button", name="Sign out").click()

    page.goto(f"{live_server.url}/dev/emails/")
    expect(page.get_by_role("heading", name="Set up your place on Ninefold")).to_be_visible()
    expect(page.get_by_text("nia.lead@example.org")).to_be_visible()
    check_page(page, "leads-03-dev-emails")
    page.get_by_role("link", name="/leads/join/").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your place on Ninefold")
    page.get_by_label("Your name").fill("Nia Lead")
    page.get_by_label("Choose a password").fill("a-long-pass-phrase")
    page.get_by_label("Type the password again").fill("a-long-pass-phrase")
    check_page(page, "leads-04-make-account")
    page.get_by_role("button", name="Make my account").click()
    expect(page.get_by_text("Your account is ready. Next, set up your place.")).to_be_visible()
    page.get_by_label("Name of the place").fill("Kestrel Bay")
    page.get_by_role("button", name="Set up the place").click()
    expect(page.get_by_role("heading", name="Partners of Kestrel Bay")).to_be_visible()
    membership = Membership.objects.get(place__name="Kestrel Bay")
    assert membership.user.email == "nia.lead@example.org" and membership.role == Role.LEAD
