"""The browser gate itself can fail: it sees CSP violations and invalid HTML."""

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import HtmlBatch, csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inline_script_is_blocked_and_reported(page: Page, live_server):
    page.goto(f"{live_server.url}/about/")
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.ranInline = true';
                   document.body.appendChild(s); }"""
    )
    page.wait_for_function("() => true")
    assert page.evaluate("window.ranInline === undefined"), "the CSP let an inline script run"
    reported = csp_violations(page)
    assert any("script-src" in line for line in reported), reported
    page.ninefold_watch.csp_violations.clear()  # seen on purpose: do not fail the test


def test_an_inline_style_attribute_is_blocked_and_reported(page: Page, live_server):
    page.goto(f"{live_server.url}/about/")
    page.evaluate(
        """() => { const d = document.createElement('div');
                   d.innerHTML = '<p style="color: red">x</p>';
                   document.body.appendChild(d); }"""
    )
    reported = csp_violations(page)
    assert any("style-src" in line for line in reported), reported
    page.ninefold_watch.csp_violations.clear()


def test_the_html_checker_reports_errors_and_passes_valid_pages(tmp_path):
    batch = HtmlBatch(tmp_path)
    good = batch.add(
        "good",
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        "<body><p>fine</p></body></html>",
        "/good/",
    )
    bad = batch.add(
        "bad",
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><p>one<div>two</p><label for="nowhere">x</label></body></html>',
        "/bad/",
    )
    assert batch.validate([good]) == []
    errors = batch.validate([bad])
    assert errors, "the checker found nothing in broken HTML"
    assert all(line.startswith("bad.html (/bad/)") for line in errors)
