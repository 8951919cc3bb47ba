"""Report pages and the lead's pages at phone widths and on paper.

For each role, one browser context visits its pages at 320, 375 and 1280 px: every width gets
a screenshot (and axe, but for 375 px, laid out as 320), and the page must not scroll sideways (only a marked ``.scroll-x`` box
may, and its first column stays in view). Report pages are then shown as printed, at about
the width of an A4 page: nothing of the site's navigation, no buttons or forms, and nothing
wider than the page.
"""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

from assessments.models import Round
from tests.browser.conftest import PageWatch, describe, sign_in, wait_for_charts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 375, 1280)
# A4 less 12 mm margins each side, in CSS pixels: roughly the width a browser lays a printed
# page out at.
PAPER_WIDTH = 718
# print.css's side margin (12 mm) in PDF points.
PDF_MARGIN = 12 / 25.4 * 72

# Elements outside the page's width, other than inside a box meant to scroll (``.scroll-x``;
# Bootstrap's ``.table-responsive`` still wraps the heatmap) or parts of a chart Plotly keeps
# off-screen on purpose. Visually hidden text (1 px, clipped) does not count.
_OUT_OF_VIEW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.scroll-x, .table-responsive, svg, .visually-hidden, .skip-link')) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    if (box.right > width + 1 || box.left < -1) {
      out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(box.left)}–${Math.round(box.right)}`);
    }
  }
  return out.slice(0, 10);
}"""

# Each scrolling box is reachable by keyboard and named; scrolled to its end, the first
# cell of each row is still at its left edge.
_SCROLL_BOXES = """() => [...document.querySelectorAll('.scroll-x')].flatMap((box) => {
  const problems = [];
  const label = box.getAttribute('aria-label') || box.getAttribute('aria-labelledby');
  if (box.getAttribute('tabindex') !== '0' || box.getAttribute('role') !== 'region' || !label) {
    problems.push('not a named, focusable region: ' + box.outerHTML.slice(0, 120));
  }
  if (box.scrollWidth > box.clientWidth + 1) {
    box.scrollLeft = box.scrollWidth;
    const first = box.querySelector('tbody tr > :first-child');
    const shift = first ? first.getBoundingClientRect().left - box.getBoundingClientRect().left : 0;
    if (Math.abs(shift) > 1) problems.push(`first column moved ${Math.round(shift)} px in ${label}`);
    box.scrollLeft = 0;
  }
  return problems;
})"""

# The site name has the page's side margin, and no visible caption is squeezed into a column
# a word or two wide (as a table restyled as cards once did to its caption).
_CRAMPED = """() => {
  const problems = [];
  const brand = document.querySelector('.navbar-brand');
  if (brand && brand.getBoundingClientRect().left < 8) problems.push('site name at the edge');
  for (const caption of document.querySelectorAll('caption')) {
    const box = caption.getBoundingClientRect();
    if (caption.checkVisibility() && box.height > 1 && box.width < 160 && !caption.closest('.visually-hidden')
        && !caption.classList.contains('visually-hidden')) {
      problems.push(`caption ${Math.round(box.width)} px wide: ${caption.textContent.slice(0, 40)}`);
    }
  }
  return problems;
}"""

# What must not appear on paper.
_PRINTED_CHROME = """() => [...document.querySelectorAll(
    '.skip-link, .site-header, nav, .breadcrumb, form, button, .btn')]
  .filter((el) => el.checkVisibility())
  .map((el) => el.outerHTML.slice(0, 100))"""


def _pages(role: str, live_server) -> dict[str, str]:
    closed = Round.objects.get(place__slug="harrowdene", name="Autumn 2025 review")
    open_ = Round.objects.get(place__slug="harrowdene", state="open")
    place = f"{live_server.url}/places/harrowdene"
    return {
        "board": {
            "dashboard": f"{place}/rounds/{closed.pk}/dashboard/",
            "precondition": f"{place}/rounds/{closed.pk}/dashboard/B/",
            "trends": f"{place}/trends/",
            "workshop-summary": f"{place}/rounds/{closed.pk}/workshop/summary/",
        },
        "lead": {
            "exports": f"{place}/rounds/{closed.pk}/export/",
            "rounds": f"{place}/rounds/",
            "round": f"{place}/rounds/{open_.pk}/",
            "partners": f"{place}/partners/",
            "people": f"{place}/people/",
        },
        "network": {"network-comparison": f"{live_server.url}/networks/vale-ics/"},
        "admin": {"lead-invitations": f"{live_server.url}/leads/"},
    }[role]


# Pages printed: the report pages (the lead's exports page is a page of links).
PRINTED = {"dashboard", "precondition", "trends", "workshop-summary", "network-comparison"}
ACCOUNTS = {
    "board": "board@example.org",
    "lead": "lead@example.org",
    "network": "network@example.org",
    "admin": "admin@example.org",
}


def _show(page: Page, url: str | None, width: int) -> None:
    """Set the window's width; load ``url`` first if given (else the page reflows, and its
    charts redraw at their new width, as when a window is resized)."""
    page.set_viewport_size({"width": width, "height": 900})
    if url:
        page.goto(url)
    wait_for_charts(page)


def test_pages_fit_phones_and_print_without_navigation(
    browser, live_server, demo_extras, axe, html_check, screenshot
):
    # One context per role, made here rather than through the ``page`` fixture so that the
    # demo is loaded once for all of them; each page is still watched for CSP violations and
    # script errors as the gate does.
    for role, email in ACCOUNTS.items():
        context = browser.new_context()
        page = context.new_page()
        watch = page.ninefold_watch = PageWatch(page)
        try:
            sign_in(page, live_server, email)
            for name, url in _pages(role, live_server).items():
                _check_widths(page, name, url, axe, html_check, screenshot)
                if name in PRINTED:
                    _check_print(page, name, screenshot)
        finally:
            context.close()
        problems = watch.csp_violations + watch.js_errors
        assert problems == [], f"{role}'s pages broke the browser gate: {problems}"


def _check_widths(page: Page, name: str, url: str, axe, html_check, screenshot) -> None:
    # Each width is a fresh load, as a phone opens the page: a chart redrawn after a resize
    # can differ (the radar's legend then overlaps the text under it at 375 px), and the
    # screenshots should show what a reader gets.
    for width in WIDTHS:
        _show(page, url, width)
        screenshot(page, f"layout-{name}-{width}")
        if width == WIDTHS[0]:  # the same HTML at every width: validated once
            html_check(page, f"layout-{name}")
        if width != 375:  # axe at the narrowest and the widest layout; 375 px reflows like 320
            violations = axe(page)
            assert violations == [], f"axe on {name} at {width} px: {describe(violations)}"
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= page.evaluate("window.innerWidth"), f"{name} scrolls at {width} px"
        assert page.evaluate(_OUT_OF_VIEW) == [], f"{name} at {width} px"
        assert page.evaluate(_SCROLL_BOXES) == [], f"{name} at {width} px"
        assert page.evaluate(_CRAMPED) == [], f"{name} at {width} px"


# Drawn charts whose picture is wider than ``limit`` (or than their box, if no limit).
_WIDE_CHARTS = """(limit) => [...document.querySelectorAll('[data-chart]')]
  .filter((el) => !el.hidden)
  .map((el) => [el.getAttribute('data-chart'), el.querySelector('svg.main-svg'), el])
  .filter(([, svg, el]) => !svg
    || svg.getBoundingClientRect().width > (limit || el.getBoundingClientRect().width) + 1)
  .map(([id, svg]) => `${id}: ${svg ? Math.round(svg.getBoundingClientRect().width) : 'none'}`)"""


def _text_starts(sheet) -> list[float]:
    """Where each piece of text on a PDF page starts, in points from its left edge."""
    starts: list[float] = []

    def visit(text, cm, tm, *_):
        if text.strip():
            starts.append(tm[4] * cm[0] + cm[4])

    sheet.extract_text(visitor_text=visit)
    return starts


def _check_charts_on_paper(page: Page, name: str) -> None:
    """Printed from a wide window, charts are redrawn no wider than the paper, on the page as
    in the PDF, and follow their box again once printing is over."""
    if not page.evaluate("document.querySelector('[data-chart]:not([hidden])') !== null"):
        return
    assert page.evaluate("window.innerWidth") == WIDTHS[-1]
    page.emulate_media(media="print")
    try:
        # The print media query's listeners run at the browser's next rendering step.
        narrowed = page.wait_for_function(
            f"() => ({_WIDE_CHARTS})({PAPER_WIDTH}).length === 0", timeout=5_000
        )
        assert narrowed, f"{name}: charts wider than the paper when printed"
        pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
        # Every piece of text (the charts' labels among them) starts on the sheet, short of
        # its right margin.
        for number, sheet in enumerate(pdf.pages, start=1):
            right = float(sheet.mediabox.width) - PDF_MARGIN
            assert max(_text_starts(sheet), default=0) < right, (
                f"{name}: text off page {number} of the PDF"
            )
    finally:
        page.emulate_media(media="screen")
    page.wait_for_function(f"() => ({_WIDE_CHARTS})(0).length === 0", timeout=10_000)


def _check_print(page: Page, name: str, screenshot) -> None:
    _check_charts_on_paper(page, name)
    _show(page, None, PAPER_WIDTH)
    page.emulate_media(media="print")
    try:
        screenshot(page, f"layout-{name}-print")
        assert page.evaluate(_PRINTED_CHROME) == [], f"{name} prints navigation"
        assert page.evaluate(_OUT_OF_VIEW) == [], f"{name} is cut off in print"
        assert page.evaluate("document.documentElement.scrollWidth") <= PAPER_WIDTH
        # Nothing scrolls on paper: every table box is as wide as its table.
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('.scroll-x, .table-responsive')]
              .filter((box) => box.scrollWidth > box.clientWidth + 1)
              .map((box) => box.outerHTML.slice(0, 100))"""
        )
        assert clipped == [], f"{name}: tables cut off in print: {clipped}"
    finally:
        page.emulate_media(media="screen")
