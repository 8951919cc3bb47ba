"""Raw-data exports: content, encoding, formula neutralising, and who may include names."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Perspective
from places.models import ActivityLog, Role, Sector
from reports import exports
from reports.aggregation import round_summary
from tests.factories import MembershipFactory, PartnerFactory, PlaceFactory, RoundFactory
from tests.helpers import answer

pytestmark = pytest.mark.django_db

NASTY = {
    "A": '=HYPERLINK("http://evil.example/","click")',
    "B": "+1+2",
    "C": "-2+3",
    "D": "@SUM(A1:A2)",
    "E": "\tleading tab",
    "F": "\rleading return",
    "G": "Plain note, with a comma and “quotes” — and an accent: café",
}


@pytest.fixture
def round_():
    place = PlaceFactory(name="Tollbridge", slug="tollbridge")
    round_ = RoundFactory(place=place, name="Winter 2026")
    council = PartnerFactory(place=place, name="=Tollbridge Council", sector=Sector.LOCAL_AUTHORITY)
    charity = PartnerFactory(place=place, name="Tollbridge Food Bank")
    first = answer(round_, council, dict.fromkeys(NASTY, 4) | {"H": None}, evidence=NASTY)
    first.name, first.email = "Ada Quill", "ada.quill@example.org"
    first.save()
    answer(round_, charity, {"A": 2}, perspective=Perspective.LIVED_EXPERIENCE)
    answer(round_, charity, {"A": 5, "B": 5}, submitted=False)  # a draft never counts
    return round_


def _client(round_, role) -> Client:
    client = Client()
    client.force_login(MembershipFactory(place=round_.place, role=role).user)
    return client


def _url(name, round_, **query):
    url = reverse(f"exports:{name}", args=[round_.place.slug, round_.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _csv(response) -> tuple[bytes, list[list[str]]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_neutralise_prefixes_cells_a_spreadsheet_would_run():
    for text in ("=1+1", "+1", "-1", "@x", "\tx", "\rx"):
        assert exports.neutralise(text) == "'" + text
    assert exports.neutralise("fine = good") == "fine = good"
    assert exports.neutralise(4) == 4 and exports.neutralise(-0.3) == -0.3


def test_ratings_csv_has_one_row_per_person_and_precondition(round_):
    response = _client(round_, Role.LEAD).get(_url("ratings_csv", round_))

    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="ninefold-tollbridge-winter-2026-ratings.csv"' in response["Content-Disposition"]
    )
    body, rows = _csv(response)
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    header, *data = rows
    assert header == exports.RATING_COLUMNS
    assert len(data) == 8 + 1  # 8 from the council's person, 1 from the food bank; no draft
    by_code = {(r[1], r[4]): r for r in data}
    food_bank = by_code[("Tollbridge Food Bank", "A")]
    assert food_bank[2:8] == [
        "Voluntary and community",
        "Person with lived experience",
        "A",
        "Beneficiary impact over organisation focus",
        "2",
        "Emerging",
    ]
    assert by_code[("'=Tollbridge Council", "H")][6] == "don't know"
    assert "Plain note, with a comma and “quotes” — and an accent: café" in body.decode("utf-8")


def test_ratings_csv_neutralises_formulas_in_every_text_cell(round_):
    _body, rows = _csv(_client(round_, Role.LEAD).get(_url("ratings_csv", round_)))
    evidence = {r[4]: r[8] for r in rows[1:] if r[1].endswith("Council")}
    for code, text in NASTY.items():
        expected = "'" + text if text[0] in "=+-@\t\r" else text
        assert evidence[code] == expected
    assert all(not r[1].startswith("=") for r in rows[1:])


def test_names_and_emails_are_left_out_unless_a_lead_asks(round_):
    body, rows = _csv(_client(round_, Role.LEAD).get(_url("ratings_csv", round_)))
    assert b"Ada Quill" not in body and b"ada.quill@example.org" not in body
    assert "name" not in rows[0] and "email" not in rows[0]
    assert not ActivityLog.objects.filter(verb="export-identified").exists()

    body, rows = _csv(_client(round_, Role.LEAD).get(_url("ratings_csv", round_, identify=1)))
    assert rows[0][-2:] == ["name", "email"]
    assert ["Ada Quill", "ada.quill@example.org"] in [r[-2:] for r in rows[1:]]
    assert ActivityLog.objects.filter(verb="export-identified", place=round_.place).count() == 1


def test_raw_data_is_for_leads_only_and_its_page_says_what_it_holds(round_):
    """One row per person names small partners: facilitators get the report and summary."""
    client = _client(round_, Role.FACILITATOR)
    for query in ({}, {"identify": 1}):
        assert client.get(_url("ratings_csv", round_, **query)).status_code == 403
        assert client.get(_url("ratings_xlsx", round_, **query)).status_code == 403
    html = client.get(_url("export", round_)).content.decode()
    assert _url("ratings_csv", round_) not in html and "for partnership leads only" in html
    assert _url("summary_csv", round_) in html
    lead_html = _client(round_, Role.LEAD).get(_url("export", round_)).content.decode()
    assert "One row per person and precondition" in lead_html
    assert "This round is confidential: these files are not" in lead_html


def test_ratings_xlsx_matches_the_csv_and_neutralises(round_):
    response = _client(round_, Role.LEAD).get(_url("ratings_xlsx", round_))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.getvalue()))["Ratings"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == exports.RATING_COLUMNS
    assert len(rows) == 10
    council_a = next(r for r in rows if r[1] == "'=Tollbridge Council" and r[4] == "A")
    assert council_a[6] == 4 and council_a[8].startswith("'=HYPERLINK")
    flat = repr(rows)
    assert "Ada Quill" not in flat and "ada.quill" not in flat


def test_summary_csv_has_the_aggregation_figures(round_):
    response = _client(round_, Role.FACILITATOR).get(_url("summary_csv", round_))
    body, rows = _csv(response)
    assert body.startswith(b"\xef\xbb\xbf")
    header, *data = rows
    assert header == exports.SUMMARY_COLUMNS
    assert [r[0] for r in data] == list("ABCDEFGHI")
    summary = round_summary(round_)
    a = dict(zip(header, data[0], strict=True))
    assert a["place score"] == f"{summary.precondition('A').place_score:.1f}" == "3.0"
    assert a["lowest partner score"] == "2.0" and a["highest partner score"] == "4.0"
    assert a["people who scored"] == "2" and a["level 2"] == "1" and a["level 4"] == "1"
    h = dict(zip(header, data[7], strict=True))
    assert h["place score"] == "" and h["don't know"] == "1"


@pytest.mark.parametrize("name", ["ratings_csv", "ratings_xlsx", "summary_csv", "export"])
def test_board_members_get_403_and_outsiders_404(round_, outsider, name):
    assert _client(round_, Role.BOARD).get(_url(name, round_)).status_code == 403
    client = Client()
    client.force_login(outsider)
    assert client.get(_url(name, round_)).status_code == 404


def test_another_places_round_is_not_found(round_):
    other = RoundFactory()
    client = _client(round_, Role.LEAD)
    url = reverse("exports:ratings_csv", args=[round_.place.slug, other.pk])
    assert client.get(url).status_code == 404


def test_export_page_offers_names_to_leads_only(round_):
    lead_html = _client(round_, Role.LEAD).get(_url("export", round_)).content.decode()
    facilitator_html = (
        _client(round_, Role.FACILITATOR).get(_url("export", round_)).content.decode()
    )
    assert 'name="identify"' in lead_html
    assert 'name="identify"' not in facilitator_html
    assert _url("ratings_xlsx", round_) in lead_html


def test_ratings_export_costs_the_same_queries_whatever_the_size(round_, django_assert_num_queries):
    for _ in range(5):
        answer(round_, PartnerFactory(place=round_.place), {"A": 3, "B": 4})
    with django_assert_num_queries(2):  # scale labels, then the ratings
        rows = list(exports.rating_rows(round_))
    assert len(rows) == 9 + 10


def test_control_characters_in_a_note_do_not_break_the_xlsx(round_):
    answer(
        round_, PartnerFactory(place=round_.place), {"C": 3}, evidence={"C": "page\x0cbreak\x1b"}
    )
    response = _client(round_, Role.LEAD).get(_url("ratings_xlsx", round_))
    assert response.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(response.getvalue()))["Ratings"].iter_rows(values_only=True)
    )
    assert any(r[8] == "pagebreak" for r in rows)


def test_a_repeat_summary_download_reads_the_cached_summary(round_, django_assert_num_queries):
    client = _client(round_, Role.FACILITATOR)
    first = client.get(_url("summary_csv", round_))
    # Session, user, membership and round; the summary comes from the cache (in memory in
    # tests; production's database cache adds one read) and the answers are not read again.
    with django_assert_num_queries(4) as captured:
        again = client.get(_url("summary_csv", round_))
    assert again.content == first.content
    assert not any("assessments_rating" in q["sql"] for q in captured.captured_queries)
