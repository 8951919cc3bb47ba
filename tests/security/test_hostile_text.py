"""Hostile text typed into every free-text field comes out inert: in pages, the PDF's HTML and
the exports. One place is filled with markup, a formula and a script in each field a person
can type into; then every page a member can reach is read back."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Perspective, RoundState
from places.models import Role
from reports import pdf
from tests.factories import MembershipFactory, PartnerFactory, PlaceFactory, RoundFactory
from tests.helpers import answer
from workshop.models import Action, AgreedView

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('nf')</script>"
IMG = '<img src="http://127.0.0.1:9/x" onerror="alert(1)">'
FORMULA = '=HYPERLINK("http://evil.example","x")'


def hostile(label: str) -> str:
    return f"{label} {SCRIPT} {IMG}"


@pytest.fixture
def hostile_place():
    place = PlaceFactory(name=hostile("Place"), description=hostile("Description"))
    lead = MembershipFactory(place=place, role=Role.LEAD).user
    partners = [PartnerFactory(place=place, name=hostile(f"Partner {i}")[:200]) for i in range(3)]
    previous = RoundFactory(
        place=place,
        name="Earlier",
        state=RoundState.CLOSED,
        opens_on=RoundFactory.opens_on.function().replace(year=2025),
        closes_on=RoundFactory.closes_on.function().replace(year=2025),
    )
    round_ = RoundFactory(place=place, name=hostile("Round"), purpose=hostile("Purpose"))
    for r in (previous, round_):
        for partner in partners:
            for perspective in (Perspective.MANAGER, Perspective.LIVED_EXPERIENCE):
                answer(
                    r,
                    partner,
                    {"A": 2, "B": 4, "C": None},
                    evidence={"A": FORMULA, "B": hostile("Evidence")},
                    perspective=perspective,
                )
    item = round_.framework.preconditions.get(code="A")
    AgreedView.objects.create(
        round=round_, precondition=item, disagree=True, reasons=hostile("Reasons")
    )
    action = Action.objects.create(
        place=place,
        round=previous,
        what=hostile("Action"),
        owner=partners[0],
        due_on=round_.closes_on,
        status_note=hostile("Note"),
    )
    action.preconditions.add(item)
    client = Client()
    client.force_login(lead)
    return place, round_, previous, client


def assert_inert(html: str, where: str) -> None:
    assert SCRIPT not in html, f"a raw <script> from user text reached {where}"
    assert IMG not in html, f"a raw <img> from user text reached {where}"
    assert "&lt;script&gt;alert(" in html, f"the hostile text was not shown (escaped) on {where}"


def page_urls(place, round_, previous) -> list[str]:
    slug = place.slug
    return [
        reverse("home"),
        reverse("places:detail", args=[slug]),
        reverse("places:partners", args=[slug]),
        reverse("places:activity", args=[slug]),
        reverse("assessments:round_list", args=[slug]),
        reverse("assessments:round_detail", args=[slug, round_.pk]),
        reverse("reports:dashboard", args=[slug, round_.pk]),
        reverse("reports:precondition", args=[slug, round_.pk, "B"]),
        reverse("reports:trends", args=[slug]),
        reverse("exports:export", args=[slug, round_.pk]),
        reverse("workshop:start", args=[slug, round_.pk]),
        reverse("workshop:step", args=[slug, round_.pk, "A"]),
        reverse("workshop:summary", args=[slug, round_.pk]),
    ]


def test_every_page_shows_hostile_text_escaped(hostile_place):
    place, round_, previous, client = hostile_place
    for url in page_urls(place, round_, previous):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)


def test_the_pdf_html_escapes_hostile_text(hostile_place):
    place, round_, previous, _client = hostile_place
    assert_inert(pdf.round_report_html(round_), "the round report")
    assert_inert(pdf.comparison_html(place), "the comparison report")


def test_csv_exports_neutralise_formulas_and_keep_text_as_data(hostile_place):
    place, round_, previous, client = hostile_place
    url = reverse("exports:ratings_csv", args=[place.slug, round_.pk])
    body = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + FORMULA in cells
    assert FORMULA not in cells  # never a bare formula
    assert any(SCRIPT in cell for cell in cells)  # plain data in a CSV, not markup
    summary = client.get(reverse("exports:summary_csv", args=[place.slug, round_.pk]))
    text = b"".join(summary.streaming_content if summary.streaming else [summary.content])
    assert not any(
        line.startswith(("=", "+", "@")) for line in text.decode("utf-8-sig").splitlines()
    )
