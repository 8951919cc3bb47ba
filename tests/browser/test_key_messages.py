"""The facilitator writes the key messages of a round for the board paper (decision 0063)."""

import pytest
from playwright.sync_api import Page, expect

from reports.models import KeyMessages
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_facilitator_writes_marks_final_and_reopens_the_key_messages(
    page: Page, live_server, demo, check_page
):
    sign_in(page, live_server, "facilitator@example.org")
    page.goto(f"{live_server.url}/places/harrowdene/")
    page.get_by_role("link", name="Key messages of Autumn 2026 check-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Key messages: Autumn 2026 check-in")
    expect(page.get_by_text("What the figures say, drafted by the app")).to_be_visible()
    # Too long: the message, and the text still there.
    page.get_by_label("Key messages").fill("Partners differ on trust. " * 120)
    page.get_by_label("What we ask the board to note").fill("Note the workshop in January.")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator("#error-summary")).to_contain_text("Shorten this to 2500 characters")
    expect(page.get_by_label("What we ask the board to note")).to_have_value(
        "Note the workshop in January."
    )
    check_page(page, "key-messages-error")

    page.get_by_label("Key messages").fill("Partners differ most on trust and on letting go.")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_text("The key messages are saved as a draft.")).to_be_visible()
    expect(page.locator("#key-messages-state")).to_contain_text("Last saved by")
    check_page(page, "key-messages-draft")

    page.get_by_role("button", name="Mark the saved text final").click()
    expect(page.locator("#key-messages-state")).to_contain_text("Marked final by")
    check_page(page, "key-messages-final")
    page.get_by_role("button", name="Reopen to change the text").click()
    expect(page.get_by_label("Key messages")).to_have_value(
        "Partners differ most on trust and on letting go."
    )

    # What the pages said is what was stored: the text kept, reopened as a draft, and who.
    saved = KeyMessages.objects.select_related("saved_by").get(
        round__name="Autumn 2026 check-in", round__place__slug="harrowdene"
    )
    assert saved.summary == "Partners differ most on trust and on letting go."
    assert saved.board_note == "Note the workshop in January."
    assert not saved.is_final
    assert saved.saved_by.email == "facilitator@example.org"
