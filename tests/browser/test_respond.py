"""The respondent's journey in a real browser: keyboard only, autosave, small screens, no JS."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Rating, Response, ResponseStatus
from tests.browser.conftest import PageWatch
from tests.factories import InvitationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def invitation():
    return InvitationFactory(
        round__name="Autumn readiness check", round__purpose="Before the strategy."
    )


def url(live_server, invitation, suffix: str = "") -> str:
    return f"{live_server.url}/r/{invitation.token}/{suffix}"


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def choose(page: Page, code: str, steps: int) -> None:
    """Tab into the radio group of ``code``, tick its first level, then arrow down."""
    tab_to(page, f"input[name='{code}-choice']")
    page.keyboard.press("Space")
    for _ in range(steps):
        page.keyboard.press("ArrowDown")


def write_note(page: Page, code: str, note: str) -> None:
    tab_to(page, f"#{code}-evidence")
    page.keyboard.type(note)


def checked(page: Page, code: str) -> str | None:
    return page.evaluate(
        "c => { const r = document.querySelector(`input[name='${c}-choice']:checked`);"
        " return r ? r.value : null; }",
        code,
    )


def test_keyboard_only_draft_reload_submit_and_amend(
    page: Page, live_server, invitation, check_page
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url(live_server, invitation))
    expect(page.get_by_role("heading", level=1)).to_have_text("Autumn readiness check")
    expect(page.locator("#progress-text")).to_have_text("0 of 9 answered")
    check_page(page, "respond-form-desktop")

    # The vignette opens from the keyboard too.
    tab_to(page, "#precondition-A summary")
    page.keyboard.press("Enter")
    expect(page.locator("#precondition-A details")).to_have_attribute("open", "")

    choose(page, "A", 3)  # 4 Established
    write_note(page, "A", "Partners pooled budgets for the hostel.")
    choose(page, "B", 1)  # 2 Emerging
    choose(page, "C", 0)  # 1 Absent
    expect(page.locator("#progress-text")).to_have_text("3 of 9 answered")
    expect(page.locator("#A-evidence-count")).to_have_text("1961 of 2000 characters left")

    tab_to(page, "button[value=save]")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your answers are saved")).to_be_visible()
    check_page(page, "respond-saved-desktop")

    page.reload()
    expect(page.locator("#progress-text")).to_have_text("3 of 9 answered")
    assert checked(page, "A") == "4"
    assert checked(page, "C") == "1"
    expect(page.locator("#A-evidence")).to_have_value("Partners pooled budgets for the hostel.")
    assert Response.objects.get().status == ResponseStatus.DRAFT

    # Submitting too early shows the summary of problems, and keeps everything.
    tab_to(page, "button[value=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_page(page, "respond-errors-desktop")
    assert checked(page, "A") == "4"
    page.locator("#error-summary a[href='#D-choice-1']").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#D-choice-1"

    for code in "DEFGH":
        choose(page, code, 2)  # 3 Developing
    tab_to(page, "input[name='I-choice']")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowUp")  # wraps round to Don't know
    assert checked(page, "I") == "dk"
    expect(page.locator("#progress-text")).to_have_text("9 of 9 answered")
    tab_to(page, "button[value=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your answers are submitted"
    )
    expect(page.get_by_text("Partners pooled budgets for the hostel.")).to_be_visible()
    check_page(page, "respond-confirmation-desktop")
    assert Response.objects.get().status == ResponseStatus.SUBMITTED

    tab_to(page, "a.btn[href$='?amend=1']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Submit changes")).to_be_visible()
    check_page(page, "respond-amend-desktop")
    tab_to(page, "input[name='A-choice']:checked")
    page.keyboard.press("ArrowDown")  # 4 → 5 Embedded
    tab_to(page, "button[value=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your answers are submitted"
    )
    expect(page.locator(".answer").first).to_contain_text("5 Embedded")
    assert Rating.objects.get(precondition__code="A").score == 5
    assert Response.objects.count() == 1
    assert Rating.objects.count() == 9


def test_autosave_saves_a_few_seconds_after_the_last_change(page: Page, live_server, invitation):
    page.clock.install()
    page.goto(url(live_server, invitation))
    expect(page.locator("#save-status")).to_have_text("Not saved yet.")
    page.locator("#B-choice-2").check()
    page.locator("#B-evidence").fill("Seen at the steering group")
    page.clock.run_for(1000)
    expect(page.locator("#save-status")).to_have_text("Not saved yet.")
    assert not Response.objects.exists()
    page.clock.run_for(3000)
    expect(page.locator("#save-status")).to_contain_text("Saved automatically at")
    rating = Rating.objects.get()
    assert (rating.precondition.code, rating.score, rating.evidence) == (
        "B",
        2,
        "Seen at the steering group",
    )
    # The page now carries the new version: a later button press is not mistaken for
    # a stale copy.
    page.locator("#C-choice-dk").check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("Your answers are saved")).to_be_visible()
    assert Rating.objects.count() == 2


def test_a_second_tab_is_told_what_changed(page: Page, live_server, invitation, check_page):
    other = page.context.new_page()
    other.ninefold_watch = PageWatch(other)  # the gate watches the second tab too
    page.goto(url(live_server, invitation))
    other.goto(url(live_server, invitation))
    page.locator("#A-choice-2").check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("Your answers are saved")).to_be_visible()

    other.locator("#A-choice-5").check()
    other.locator("#A-evidence").fill("Typed in the older tab")
    other.get_by_role("button", name="Save and come back later").click()
    expect(
        other.get_by_role("heading", name="Your answers were changed somewhere else")
    ).to_be_visible()
    expect(other.locator("#A-evidence")).to_have_value("Typed in the older tab")
    check_page(other, "respond-stale-desktop")
    assert Rating.objects.get().score == 2


@pytest.mark.parametrize(("width", "name"), [(320, "320"), (640, "200pc-zoom")])
def test_the_form_fits_small_screens_and_200_percent_zoom(
    page: Page, live_server, invitation, check_page, width, name
):
    # 200 % zoom of a 1280 px window lays the page out in 640 CSS pixels.
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(url(live_server, invitation))
    page.locator("#precondition-A summary").click()
    check_page(page, f"respond-form-{name}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_page(page, f"respond-errors-{name}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_without_javascript_the_buttons_do_everything(browser, live_server, invitation):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url(live_server, invitation))
    page.locator("#A-choice-3").check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("Your answers are saved")).to_be_visible()
    expect(page.locator("#progress-text")).to_have_text("1 of 9 answered")
    for code in "BCDEFGHI":
        page.locator(f"#{code}-choice-dk").check()
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your answers are submitted"
    )
    context.close()
    assert Response.objects.get().status == ResponseStatus.SUBMITTED


def test_the_pages_around_the_form_are_accessible(page: Page, live_server, check_page):
    import datetime as dt

    from django.utils import timezone

    from assessments.models import RoundState
    from tests.factories import RatingFactory, ResponseFactory, RoundFactory

    today = timezone.localdate()
    future = InvitationFactory(
        round=RoundFactory(
            opens_on=today + dt.timedelta(days=2), closes_on=today + dt.timedelta(days=20)
        )
    )
    page.goto(url(live_server, future))
    expect(page.get_by_role("heading", level=1)).to_contain_text("is not open yet")
    check_page(page, "respond-not-open")

    closed = ResponseFactory(
        invitation=InvitationFactory(round=RoundFactory(state=RoundState.CLOSED)),
        status=ResponseStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    RatingFactory(response=closed, score=2, evidence="Only in one team so far.")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(url(live_server, closed.invitation))
    expect(page.get_by_role("heading", level=1)).to_contain_text("has closed")
    check_page(page, "respond-closed-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    page.goto(f"{live_server.url}/r/{'n' * 32}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link is not valid")
    check_page(page, "respond-invalid-link")
