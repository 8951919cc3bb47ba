"""A lead runs a round in the browser: create, open, bulk-invite, watch, remind, extend, close."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments.models import Invitation, ResponseStatus, Round, RoundState
from places.models import Role
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    PartnerFactory,
    PlaceFactory,
    ResponseFactory,
    RoundFactory,
)
from tests.helpers import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_runs_a_round_from_creation_to_close(page: Page, live_server, check_page):
    place = PlaceFactory(name="Eastbrook", slug="eastbrook")
    lead = MembershipFactory(place=place, role=Role.LEAD, user__full_name="Priya Shah").user
    PartnerFactory(place=place, name="Eastbrook Council")
    PartnerFactory(place=place, name="Riverside Housing")
    today = timezone.localdate()

    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(lead.email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/places/eastbrook/")
    page.get_by_role("link", name="Manage rounds and invitations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessment rounds")
    check_page(page, "rounds-list-empty")

    # Create: a mistake first, shown in an error summary, then corrected.
    page.get_by_role("link", name="Create a round").click()
    page.get_by_label("Name").fill("Spring listening")
    page.get_by_label("Purpose").fill("Before the board away-day in March.")
    fill_date(page, "Opening date", today.isoformat())
    fill_date(page, "Closing date", (today - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Create the round").click()
    expect(page.get_by_role("alert")).to_contain_text("closing date must be after")
    expect(page.locator("#error-summary")).to_be_focused()
    check_page(page, "round-create-error")
    fill_date(page, "Closing date", (today + dt.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Create the round").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Spring listening")
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_role("status")).to_contain_text("The round is open")

    # Bulk-invite by pasting: a bad list is rejected whole, then fixed.
    page.get_by_role("link", name="Add respondents from a list").click()
    bad = (
        "name,email,partner,perspective\n"
        "Asha Patel,asha@example.org,Eastbrook Council,Manager\n"
        "Tom Reid,not-an-email,Riverside Housing,Frontline worker\n"
    )
    page.get_by_label("Paste the list").fill(bad)
    page.get_by_role("button", name="Check and add").click()
    expect(page.get_by_role("alert")).to_contain_text("Row 3:")
    check_page(page, "bulk-invite-problems")
    assert Invitation.objects.count() == 0
    good = bad.replace("not-an-email", "tom@example.org") + (
        "Jo Bell,jo@example.org,Riverside Housing,Person with lived experience\n"
    )
    page.get_by_label("Paste the list").fill(good)
    page.get_by_role("button", name="Check and add").click()
    expect(page.get_by_role("status")).to_contain_text("3 people added")
    expect(page.get_by_role("status")).to_contain_text("3 invitation emails on the way")
    assert len(mail.outbox) == 3

    # Someone starts, someone submits: the lead watches the progress.
    asha, jo, _ = Invitation.objects.order_by("name")
    ResponseFactory(invitation=asha)
    ResponseFactory(invitation=jo, status=ResponseStatus.SUBMITTED, submitted_at=timezone.now())
    page.reload()
    expect(page.get_by_text("Submitted: 1 of 3 invited")).to_be_visible()
    expect(page.locator("progress#progress-overall")).to_have_attribute("value", "1")
    check_page(page, "round-progress")

    # The filters are plain links: only those who have not submitted, then everyone.
    page.get_by_role("link", name="Not submitted (2)").click()
    expect(page.locator("tbody tr", has_text="Jo Bell")).to_have_count(0)
    expect(page.get_by_role("link", name="Not submitted (2)")).to_have_attribute(
        "aria-current", "page"
    )
    check_page(page, "round-progress-not-submitted")
    page.get_by_role("link", name="All (3)").click()

    page.get_by_role("button", name="Remind the 2 people who have not submitted").click()
    expect(page.get_by_role("status")).to_contain_text("2 emails on the way")
    assert len(mail.outbox) == 5

    page.get_by_role("link", name="Extend the closing date").click()
    new_date = today + dt.timedelta(days=28)
    fill_date(page, "New closing date", new_date.isoformat())
    check_page(page, "round-extend")
    page.get_by_role("button", name="Extend the round").click()
    expect(page.get_by_role("status")).to_contain_text("The round now closes on")

    page.get_by_role("link", name="Close the round").click()
    expect(page.get_by_text("1 draft")).to_be_visible()
    check_page(page, "round-close-confirm")
    page.get_by_role("button", name="Close the round").click()
    expect(page.get_by_role("status")).to_contain_text("answers are now final")
    expect(page.get_by_text("never submitted")).to_be_visible()
    check_page(page, "round-closed")

    round_ = Round.objects.get()
    assert round_.state == RoundState.CLOSED and round_.closes_on == new_date


def test_round_page_fits_a_phone(page: Page, live_server, check_page):
    place = PlaceFactory(name="Westmere", slug="westmere")
    lead = MembershipFactory(place=place, role=Role.LEAD).user
    PartnerFactory(place=place, name="Westmere Council")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(lead.email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/places/westmere/rounds/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a round")
    check_page(page, "round-create-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    round_ = RoundFactory(place=place, name="Phone round")
    for n in range(3):
        InvitationFactory(round=round_, name=f"Person {n}")
    InvitationFactory(round=round_, name="Sent Person", send_state="sent", sent_at=timezone.now())
    InvitationFactory(round=round_, name="Gone Person", revoked_at=timezone.now())
    page.goto(f"{live_server.url}/places/westmere/rounds/{round_.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phone round")
    check_page(page, "round-progress-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        expect(
            page.get_by_role("button", name="Remind the 4 people who have not submitted")
        ).to_be_visible()
        check_page(page, f"round-progress-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
