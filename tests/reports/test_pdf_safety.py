"""Nothing a respondent types can make the PDF renderer fetch anything, or break the page."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from assessments.models import Confidentiality
from reports import pdf
from tests.factories import PartnerFactory, RoundFactory
from tests.helpers import answer

pytestmark = pytest.mark.django_db

BASE = "https://ninefold-static.invalid/static/"

HOSTILE = {
    "A": '<img src="http://127.0.0.1:9/x"> look at this',
    "B": 'file:///etc/passwd <iframe src="file:///etc/passwd"></iframe>',
    "C": '<link rel=stylesheet href="http://169.254.169.254/latest/meta-data/">',
    "D": "<style>@import url(http://localhost:8000/admin/);</style>"
    '<div style="background:url(data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)">x</div>',
    "E": "x" * 2000,
    "F": "שלום, זה עובד רק לפעמים — مرحبا بالعالم",
    "G": "We celebrate 🎉 small wins 🙂 but 🔥 burn-out is real",
    "H": "control characters: bell\x07 escape\x1b form feed\x0c end",
}


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x",
        "https://127.0.0.1/static/css/report.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        "ftp://example.org/x",
        "https://ninefold-static.invalid/other/file",
        "https://ninefold-static.invalid.example.org/static/css/report.css",
        "https://ninefold-static.invalid:8443/static/css/report.css",
        "https://user@ninefold-static.invalid/static/css/report.css",
        BASE + "css/report.css?next=http://127.0.0.1/",
        BASE + "../../../../etc/passwd",
        BASE + "%2e%2e/%2e%2e/etc/passwd",
        BASE + "css/..%2f..%2f..%2fsettings.py",
        BASE + "css/does-not-exist.css",
        BASE,
        "//127.0.0.1/static/css/report.css",
    ],
)
def test_fetcher_refuses_anything_but_an_existing_static_file(url):
    assert pdf.resolve_static(url) is None
    with pytest.raises(pdf.RefusedURL):
        pdf.make_fetcher().fetch(url)


def test_fetcher_serves_the_apps_stylesheet_and_fonts():
    css = pdf.make_fetcher().fetch(BASE + "css/report.css")
    assert b"@font-face" in css.read()
    font = pdf.resolve_static(BASE + "fonts/source-sans-3/source-sans-3-latin-400-normal.ttf")
    assert font is not None and font.is_file()


def test_hostile_notes_are_escaped_fetch_nothing_and_still_render():
    cache.clear()
    round_ = RoundFactory(confidentiality=Confidentiality.NAMED)  # so the partner is named
    answer(
        round_,
        PartnerFactory(place=round_.place, name="Partner <b>One</b>"),
        dict.fromkeys(HOSTILE, 3),
        evidence=HOSTILE,
    )

    html = pdf.round_report_html(round_)
    assert "<img" not in html and "<iframe" not in html and "<style>" not in html
    assert "&lt;img src=&quot;http://127.0.0.1:9/x&quot;&gt;" in html
    assert "Partner &lt;b&gt;One&lt;/b&gt;" in html

    requested: list[str] = []
    body = pdf.render_pdf(html, requested=requested)

    assert requested, "the stylesheet and fonts are fetched through the fetcher"
    assert all(url.startswith(BASE) for url in requested), requested
    assert all(pdf.resolve_static(url) for url in requested)
    reader = PdfReader(io.BytesIO(body))
    # pypdf interleaves NULs when a page mixes in fallback fonts (emoji, Hebrew): drop them
    text = " ".join(
        " ".join(page.extract_text().replace("\x00", "").split()) for page in reader.pages
    )
    assert '<img src="http://127.0.0.1:9/x"> look at this' in text  # shown as text
    assert "file:///etc/passwd" in text
    assert "root:x:0:0" not in text
    assert "small wins" in text


def _text_boxes(box):
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", []):
        yield from _text_boxes(child)


def test_a_long_unbroken_note_wraps_inside_the_page():
    from weasyprint import HTML

    cache.clear()
    round_ = RoundFactory(confidentiality=Confidentiality.NAMED)  # so the partner is named
    answer(round_, PartnerFactory(place=round_.place), {"E": 2}, evidence={"E": HOSTILE["E"]})
    html = pdf.round_report_html(round_)
    document = HTML(string=html, base_url=BASE, url_fetcher=pdf.make_fetcher()).render()

    found = 0
    for page in document.pages:
        box = page._page_box
        right_edge = box.margin_width() - box.margin_right
        for text_box in _text_boxes(box):
            if "xxxxxxxx" in text_box.text:
                found += len(text_box.text)
                assert text_box.position_x + text_box.width <= right_edge + 0.5
    assert found == 2000  # every character is on a page, over several lines
