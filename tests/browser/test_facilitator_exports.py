"""A facilitator takes a round's report away: the PDF and the summary CSV, from the place;
the raw data is for leads only (docs/confidentiality.md)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Building a PDF on a busy 2-core machine can take a few seconds.
expect.set_options(timeout=20_000)

ROUND = "Autumn 2026 check-in"


def test_facilitator_downloads_the_pdf_report_and_the_summary_csv(
    page: Page, live_server, demo, check_page
):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    check_page(page, "facilitator-sign-in")
    page.get_by_label("Email address").fill("facilitator@example.org")
    page.get_by_label("Password").fill("harrowdene-demo")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your places")).to_be_visible()
    check_page(page, "facilitator-home")

    page.get_by_role("link", name="Harrowdene").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harrowdene")
    check_page(page, "facilitator-place")

    # The PDF report, straight from the place page.
    # Rendering the PDF takes seconds, many more on a busy machine: wait for the download,
    # not for Playwright's default 30 s.
    with page.expect_download(timeout=120_000) as pdf_download:
        page.get_by_role("link", name=f"PDF report for {ROUND}").click(timeout=120_000)
    pdf_path = Path(pdf_download.value.path())
    body = pdf_path.read_bytes()
    assert body.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(body)).pages) >= 2
    assert pdf_download.value.suggested_filename.endswith(".pdf")

    # The export page: the summary, but no raw data (one row per person is for leads only).
    page.get_by_role("link", name=f"Exports of {ROUND}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports and exports")
    check_page(page, "facilitator-exports")
    expect(page.get_by_role("link", name="Ratings as CSV")).to_have_count(0)
    expect(page.get_by_text("is for partnership leads only")).to_be_visible()

    # The report page survives the round trip: the PDF link there downloads the same report.
    with page.expect_download() as again:
        page.get_by_role("link", name=f"Diagnostic report for {ROUND}").click()
    assert again.value.suggested_filename == pdf_download.value.suggested_filename
