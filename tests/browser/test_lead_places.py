"""A lead sets up a place in the browser: partners from a pasted list, an archive, an invitation."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from playwright.sync_api import Page, expect

from places.models import Partner, PlaceInvitation
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARTNERS = (
    "Harrowdene Council\tLocal authority\n"
    "Vale NHS Trust\tNHS\n"
    "Riverside Tenants Forum\tvoluntary_community\n"
    "Kestrel Police\tPolice and justice\n"
)


def test_lead_sets_up_a_place_adds_partners_archives_one_and_invites(
    page: Page, live_server, check_page
):
    lead = UserFactory(email="lead.person@example.org", full_name="Lee Lead")
    # An invited lead (decision 0024): the invitation itself is in test_lead_invitations.py.
    lead.user_permissions.add(Permission.objects.get_by_natural_key("add_place", "places", "place"))

    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(lead.email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your places")).to_be_visible()
    check_page(page, "lead-01-home")

    page.get_by_role("link", name="Set up a new place").click()
    page.get_by_role("button", name="Set up the place").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator("#error-summary")).to_be_focused()  # base.html's error-summary.js
    check_page(page, "lead-02-place-form-error")
    page.get_by_label("Name of the place").fill("Kestrel Bay")
    page.get_by_label("Description").fill("Four coastal towns working as one.")
    page.get_by_role("button", name="Set up the place").click()
    expect(page.get_by_role("heading", name="Partners of Kestrel Bay")).to_be_visible()
    check_page(page, "lead-03-partners-empty")

    page.get_by_role("link", name="Paste or upload a list of partners").click()
    page.get_by_label("Paste the list").fill(PARTNERS + "Bad Row\tBanking\n")
    page.get_by_role("button", name="Check and add the partners").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Row 5")
    assert Partner.objects.count() == 0
    check_page(page, "lead-04-list-rejected")
    # What was pasted is still there; fix the one bad row.
    pasted = page.get_by_label("Paste the list").input_value()
    page.get_by_label("Paste the list").fill(pasted.replace("Banking", "Other"))
    page.get_by_role("button", name="Check and add the partners").click()
    expect(page.get_by_text("5 partners are added.")).to_be_visible()
    assert Partner.objects.count() == 5

    page.get_by_role("button", name="Archive Kestrel Police").click()
    expect(page.get_by_text("Kestrel Police is archived")).to_be_visible()
    expect(page.get_by_role("button", name="Restore Kestrel Police")).to_be_visible()
    expect(page.get_by_role("row", name="Kestrel Police")).to_have_class("is-archived")
    check_page(page, "lead-05-partners-archived")

    page.get_by_role("navigation", name="Lead tools for Kestrel Bay").get_by_role(
        "link", name="People"
    ).click()
    page.get_by_label("Their email address").fill("colleague@example.org")
    page.get_by_label("Facilitator").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("An invitation is on its way to colleague@example.org")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="colleague@example.org")).to_contain_text(
        "Facilitator"
    )
    check_page(page, "lead-06-people")
    assert PlaceInvitation.objects.get().role == "facilitator"
    assert mail.outbox[-1].to == ["colleague@example.org"]

    page.get_by_role("link", name="Activity").click()
    expect(page.get_by_role("cell", name="Archived partner Kestrel Police.")).to_be_visible()
    check_page(page, "lead-07-activity")

    page.get_by_role("link", name="Kestrel Bay").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kestrel Bay")
    check_page(page, "lead-08-place")


def test_lead_pages_fit_a_phone_screen(page: Page, live_server, check_page):
    from tests.factories import MembershipFactory, PartnerFactory

    membership = MembershipFactory(user=UserFactory(email="phone@example.org"))
    PartnerFactory(place=membership.place, name="A Rather Long Partner Organisation Name Ltd")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill("phone@example.org")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/places/{membership.place.slug}/people/")
    check_page(page, "lead-people-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for path, name in [("partners/", "partners"), ("partners/add-list/", "bulk")]:
        page.goto(f"{live_server.url}/places/{membership.place.slug}/{path}")
        check_page(page, f"lead-{name}-320")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_colleague_accepts_an_invitation_by_making_an_account(
    page: Page, live_server, check_page
):
    from places import services
    from tests.factories import MembershipFactory

    membership = MembershipFactory(place__name="Kestrel Bay")
    services.place_invitation_create(
        place=membership.place, actor=membership.user, email="new@example.org", role="board"
    )
    link = mail.outbox[-1].body.split("http://testserver")[1].split()[0]

    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Kestrel Bay")
    page.get_by_label("Your name").fill("Nia New")
    page.get_by_label("Choose a password").fill("short")
    page.get_by_label("Type the password again").fill("short")
    page.get_by_role("button", name="Make my account and join").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator("#error-summary")).to_be_focused()
    check_page(page, "lead-09-join-error")
    expect(page.get_by_label("Your name")).to_have_value("Nia New")
    page.get_by_label("Choose a password").fill("gentle-harbour-lights-7")
    page.get_by_label("Type the password again").fill("gentle-harbour-lights-7")
    page.get_by_role("button", name="Make my account and join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kestrel Bay")
    expect(page.get_by_text("Your role: Board member")).to_be_visible()


def test_the_lockout_page_is_clear_and_accessible(page: Page, live_server, check_page):
    user = UserFactory(email="forgetful@example.org")
    page.goto(f"{live_server.url}/accounts/sign-in/")
    for _ in range(5):
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password").fill("wrong-password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signing in is paused for now")
    expect(page.get_by_text("for 15 minutes")).to_be_visible()
    check_page(page, "lead-10-locked-out")
