"""The round PDF as a board paper, on the demo's rounds (decisions 0064 and 0065).

Rendered for real and read back with pypdf: key messages come first, an open round is marked
provisional on every page, and no page holds only a heading, an empty state or a row or two
of a table (fewer than three lines of body text between the running head and foot).
"""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from pypdf import PdfReader

from accounts.models import User
from assessments.models import Confidentiality, Round, RoundState
from reports import pdf, services

pytestmark = pytest.mark.django_db

# The page margins of static/css/report.css (20 mm) in PDF points: the running head and
# foot (place and round, section, source credit, page number) sit outside them.
MARGIN = 20 / 25.4 * 72
PROVISIONAL = "Provisional — the round is still open"


def body_lines(page) -> list[str]:
    """The lines of text between the running head and foot, top to bottom."""
    top = float(page.mediabox.height) - MARGIN
    lines: dict[int, list[str]] = {}

    def visit(text, cm, tm, _font, _size):
        if not text.strip():
            return
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if MARGIN < y < top:
            lines.setdefault(round(y), []).append(text.strip())

    page.extract_text(visitor_text=visit)
    return [" ".join(lines[y]) for y in sorted(lines, reverse=True)]


@pytest.fixture
def demo_rounds():
    cache.clear()
    call_command("demo", stdout=io.StringIO())
    rounds = list(Round.objects.select_related("place").order_by("opens_on"))
    # What the brief's demo promises: open and closed rounds, confidential and named ones.
    assert {r.state for r in rounds} >= {RoundState.OPEN, RoundState.CLOSED}
    assert {r.confidentiality for r in rounds} >= {
        Confidentiality.NAMED,
        Confidentiality.CONFIDENTIAL,
    }
    return rounds


def test_no_page_of_the_demo_reports_is_an_orphan_and_key_messages_come_first(demo_rounds):
    lead = User.objects.get(email="lead@example.org")
    open_round = next(r for r in demo_rounds if r.state == RoundState.OPEN)
    services.key_messages_save(
        round_=open_round,
        summary="Partners share a vision but see how the partnership behaves differently.",
        board_note="That a workshop on shared decisions is planned for January.",
        revision=0,
        user=lead,
    )
    for round_ in demo_rounds:
        reader = PdfReader(io.BytesIO(pdf.round_report_pdf(round_)))
        pages = [body_lines(page) for page in reader.pages]
        for number, lines in enumerate(pages, start=1):
            assert len(lines) >= 3, f"{round_.name}, page {number} holds only {lines}"
        # the cover, then the key messages, then the contents
        # (the "Draft" mark sits a little above the heading's baseline: a line of its own)
        assert "Key messages" in " ".join(pages[1][:2]), (round_.name, pages[1][:2])
        assert "What the figures say" in pages[1]
        assert pages[2][0] == "Contents"
        texts = [" ".join(page.extract_text().split()) for page in reader.pages]
        if round_.state == RoundState.OPEN:
            assert all(PROVISIONAL in text for text in texts), round_.name
            assert "Key messages DRAFT" in texts[1]  # upper case by the style sheet
            assert "That a workshop on shared decisions is planned for January." in texts[1]
            assert "Lena Marsh" in texts[1] or lead.email in texts[1]
        else:
            assert not any(PROVISIONAL in text for text in texts), round_.name
            assert "has not written key messages for this round yet" in texts[1]
