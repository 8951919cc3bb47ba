"""The round report carries the workshop's agreed views and actions, and notices changes."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from assessments.models import Round
from reports import pdf
from reports.cache import current_version
from workshop.models import Action, ActionStatus

pytestmark = pytest.mark.django_db


def test_report_html_lists_agreed_views_and_carried_actions(demo_extras_for_module):
    reviewed = Round.objects.get(place__slug="harrowdene", name="Autumn 2025 review")
    html = pdf.round_report_html(reviewed)
    assert "Workshop: agreed views and actions" in html
    assert "What the room agreed" in html
    assert "Hold a learning review of the hub pilot" in html

    later = Round.objects.get(place__slug="harrowdene", state="open")
    html = pdf.round_report_html(later)
    assert "Actions from earlier workshops, and what happened to them" in html
    assert "Agreed at the workshop of Autumn 2025 review" in html


def test_report_without_a_workshop_has_no_workshop_section(demo_extras_for_module):
    first = Round.objects.get(place__slug="harrowdene", name="Spring 2025 baseline")
    assert "Workshop: agreed views and actions" not in pdf.round_report_html(first)


def test_changing_an_action_moves_the_data_version_on(demo_extras_for_module):
    place_id = Round.objects.get(place__slug="harrowdene", state="open").place_id
    before = current_version(place_id)
    action = Action.objects.filter(place_id=place_id).exclude(status=ActionStatus.DONE).first()
    action.status = ActionStatus.DONE
    action.save()
    assert current_version(place_id) > before


def test_rendered_pdf_contains_the_workshop_page(demo_extras_for_module):
    reviewed = Round.objects.get(place__slug="harrowdene", name="Autumn 2025 review")
    reader = PdfReader(io.BytesIO(pdf.round_report_pdf(reviewed)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "What the room agreed" in text


def test_report_shows_the_lived_experience_gap_from_the_aggregation(demo_extras_for_module):
    from reports.aggregation import fmt, lived_experience_gap

    current = Round.objects.get(place__slug="harrowdene", state="open")
    gap = lived_experience_gap(current)
    assert not gap.hidden
    html = pdf.round_report_html(current)
    assert "How people with lived experience see it" in html
    first = gap.items[0]
    assert f"{fmt(first.lived)} <span" in html and f"{fmt(first.organisations)} <span" in html


def test_report_hides_the_gap_when_too_few_people_answered(demo_extras_for_module):
    first = Round.objects.get(place__slug="harrowdene", name="Spring 2025 baseline")
    html = pdf.round_report_html(first)
    assert "How people with lived experience see it" in html
    assert 'class="note-hidden"' in html
