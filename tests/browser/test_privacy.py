"""Privacy pages, personal data requests, removing a note's text, and signing in through an
OpenID Connect provider (a real provider process), all through the page gate."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

from accounts.models import User
from assessments.models import Invitation, Rating
from places.models import Membership, Place, Role
from places.services import place_invitation_create
from tests.accounts.oidc_provider import free_port
from tests.browser.conftest import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_privacy_notice_and_accessibility_statement_from_the_footer(
    page: Page, live_server, check_page
):
    page.goto(f"{live_server.url}/")
    page.get_by_role("contentinfo").get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    check_page(page, "privacy-notice")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    check_page(page, "accessibility-statement")


def test_a_lead_finds_exports_and_removes_a_notes_text(page: Page, live_server, demo, check_page):
    place = Place.objects.get(slug="harrowdene")
    rating = (
        Rating.objects.filter(
            response__invitation__round__place=place, response__status="submitted"
        )
        .exclude(evidence="")
        .select_related("response__invitation__round", "precondition")
        .first()
    )
    email = rating.response.invitation.email
    sign_in(page, live_server, "lead@example.org")
    page.goto(f"{live_server.url}/places/harrowdene/")
    page.get_by_role("link", name="Personal data requests").first.click()
    check_page(page, "personal-data-requests")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Find what is held").click()
    expect(page.get_by_text(re.compile(r"Invitations to answer a round \(\d+\)"))).to_be_visible()
    check_page(page, "personal-data-found")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as data (JSON)").click()
    assert download.value.suggested_filename.endswith(".json")
    # Erasing without ticking the box says so, next to the box.
    page.get_by_role("button", name="Erase what is listed").click()
    expect(
        page.get_by_text("Tick the box to confirm the request before erasing.").first
    ).to_be_visible()
    check_page(page, "personal-data-erase-unconfirmed")
    assert Invitation.objects.filter(email=email).exists()

    round_ = rating.response.invitation.round
    page.goto(
        f"{live_server.url}/places/harrowdene/rounds/{round_.pk}/dashboard/{rating.precondition.code}/"
    )
    page.get_by_role("link", name="Remove this note's text").first.click()
    check_page(page, "remove-note-text")
    page.get_by_role("button", name="Remove the text").click()
    expect(page.get_by_text("The note's text is removed.")).to_be_visible()
    expect(
        page.get_by_text("A partnership lead removed the text of this note.").first
    ).to_be_visible()


def through_provider(page: Page, sub: str) -> None:
    """On the provider's own page (not Ninefold's), sign in as ``sub``."""
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def test_signing_in_through_the_provider(page: Page, live_server, sso, check_page):
    user = UserFactory(email="ann@council.example", full_name="Ann Ward")
    sso.set_user("ann", email="ann@council.example", email_verified=True)
    sso.set_user("bob", email="bob@elsewhere.example", email_verified=True)
    sso.set_user("cat", email="cat@council.example", email_verified=False)
    UserFactory(email="cat@council.example")

    page.goto(f"{live_server.url}/accounts/sign-in/")
    check_page(page, "sign-in-with-provider")
    page.get_by_role("link", name="Sign in with Council sign-in").click()
    through_provider(page, "ann")
    expect(page.get_by_role("heading", name="Your places")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    for sub, message in (
        ("bob", "Addresses at elsewhere.example cannot sign in to Ninefold here"),
        ("cat", "has not confirmed that cat@council.example is yours"),
    ):
        page.goto(f"{live_server.url}/accounts/sign-in/")
        page.get_by_role("link", name="Sign in with Council sign-in").click()
        through_provider(page, sub)
        expect(page.get_by_text(message)).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
        check_page(page, f"sign-in-refused-{sub}")
    assert user.is_active


def test_accepting_an_invitation_through_the_provider(page: Page, live_server, sso, check_page):
    from tests.factories import MembershipFactory

    lead = MembershipFactory(role=Role.LEAD)
    mail.outbox.clear()
    place_invitation_create(
        place=lead.place, actor=lead.user, email="eve@council.example", role=Role.BOARD
    )
    link = re.search(r"https?://\S+?(/places/join/\S+?/)", mail.outbox[-1].body).group(1)
    sso.set_user("eve", email="eve@council.example", email_verified=True, name="Eve Adeyemi")
    page.goto(f"{live_server.url}{link}")
    check_page(page, "join-with-provider")
    page.get_by_role("link", name="Continue with Council sign-in").click()
    through_provider(page, "eve")
    page.get_by_role("button", name=re.compile("^Join ")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lead.place.name)
    eve = User.objects.get(email="eve@council.example")
    assert Membership.objects.get(user=eve).role == Role.BOARD


def test_a_provider_that_cannot_be_reached(page: Page, live_server, settings, check_page):
    settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Council sign-in"
    cache.clear()
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_role("link", name="Sign in with Council sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Council sign-in cannot be reached")
    check_page(page, "sign-in-provider-down")
