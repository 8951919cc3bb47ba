"""A facilitator takes a round's report and raw data away: the PDF and the CSV, from the place."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from assessments.models import Rating, ResponseStatus, Round
from reports.exports import RATING_COLUMNS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Building a PDF on a busy 2-core machine can take a few seconds.
expect.set_options(timeout=20_000)

ROUND = "Autumn 2026 check-in"


@pytest.fixture
def demo_round(demo):
    return Round.objects.get(place__slug="harrowdene", name=ROUND)


def test_facilitator_downloads_the_pdf_report_and_the_ratings_csv(
    page: Page, live_server, demo_round, check_page
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

    # The raw data, from the round's export page.
    page.get_by_role("link", name=f"Raw data of {ROUND}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports and exports")
    check_page(page, "facilitator-exports")
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Ratings as CSV").click()
    raw = Path(csv_download.value.path()).read_bytes()
    assert csv_download.value.suggested_filename == (
        "ninefold-harrowdene-autumn-2026-check-in-ratings.csv"
    )
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == RATING_COLUMNS  # a facilitator never gets names and emails
    submitted = Rating.objects.filter(
        response__invitation__round=demo_round, response__status=ResponseStatus.SUBMITTED
    )
    assert len(rows) - 1 == submitted.count() > 0
    assert {row[1] for row in rows[1:]} == set(
        submitted.values_list("response__invitation__partner__name", flat=True)
    )

    # The report page survives the round trip: the PDF link there downloads the same report.
    with page.expect_download() as again:
        page.get_by_role("link", name=f"Diagnostic report for {ROUND}").click()
    assert again.value.suggested_filename == pdf_download.value.suggested_filename
