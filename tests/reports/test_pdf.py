"""The round and comparison PDF reports: figures, pages, fonts, caching, access."""

from __future__ import annotations

import datetime as dt
import io
import logging
import subprocess
import sys
import xml.etree.ElementTree as ET  # parses only SVG that this project generated

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import Confidentiality, Perspective, Rating, RoundState
from places.models import Role, Sector
from preconditions.models import Framework, Precondition, PreconditionGroup, ScaleLevel
from reports import pdf
from reports.aggregation import round_summary
from reports.cache import current_version
from tests.factories import MembershipFactory, PartnerFactory, PlaceFactory, RoundFactory
from tests.helpers import answer

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def known_round():
    """Two closed-and-open rounds of 'Larkfield' with figures worked out by hand."""
    place = PlaceFactory(name="Larkfield", slug="larkfield")
    council = PartnerFactory(place=place, name="Larkfield Council", sector=Sector.LOCAL_AUTHORITY)
    trust = PartnerFactory(place=place, name="Brook Health Trust", sector=Sector.NHS)
    before = RoundFactory(
        place=place,
        name="Baseline 2025",
        state=RoundState.CLOSED,
        opens_on=dt.date(2025, 3, 1),
        closes_on=dt.date(2025, 3, 31),
        confidentiality=Confidentiality.NAMED,  # partner figures at any size
    )
    answer(before, council, {"A": 2, "E": 3})
    answer(before, trust, {"A": 2, "E": 1})
    now = RoundFactory(
        place=place,
        name="Spring 2026",
        state=RoundState.OPEN,
        opens_on=dt.date(2026, 3, 2),
        closes_on=dt.date(2026, 3, 30),
        confidentiality=Confidentiality.NAMED,
    )
    # Council: A 4 and 5 -> 4.5; Trust: A 1 -> 1.0; place A = 2.75 -> "2.8"; change +0.8
    answer(now, council, {"A": 4, "E": 4}, evidence={"A": "We pooled the housing budget."})
    answer(now, council, {"A": 5, "E": None}, perspective=Perspective.FRONTLINE)
    answer(
        now,
        trust,
        {"A": 1, "E": 2},
        evidence={"E": "Board papers still arrive the night before."},
        perspective=Perspective.LIVED_EXPERIENCE,
    )
    return now


def _text(reader: PdfReader, index: int) -> str:
    return " ".join(reader.pages[index].extract_text().split())


@time_machine.travel(dt.datetime(2026, 4, 2, 10, tzinfo=dt.UTC), tick=False)
def test_round_report_shows_the_aggregation_figures_on_the_right_pages(known_round):
    summary = round_summary(known_round)
    a = summary.precondition("A")
    assert (round(a.place_score, 2), round(a.change, 2)) == (2.75, 0.75)  # the hand check

    reader = PdfReader(io.BytesIO(pdf.round_report_pdf(known_round)))

    # cover, key messages, contents, summary, nine precondition pages, breakdowns with the
    # lived experience after them on the same page, method
    assert len(reader.pages) == 15
    cover = _text(reader, 0)
    assert "Larkfield" in cover and "Spring 2026" in cover
    assert "2 of 2 invited (100%)" in cover  # partners
    assert "3 of 3 invited (100%)" in cover  # people
    assert "2 April 2026" in cover  # date produced
    assert "Baseline 2025" in cover
    assert _text(reader, 1).startswith("Key messages")
    contents = _text(reader, 2)
    # the page numbers of the contents come from the layout (target-counter), one per entry
    assert (
        "2 4 5 6 7 8 9 10 11 12 13 14 14 15" in contents and "How to read this report" in contents
    )
    summary_page = _text(reader, 3)
    assert "A. Beneficiary impact over organisation focus 2.8" in summary_page
    assert "+0.8" in summary_page
    page_a = _text(reader, 4)
    assert "Beneficiary impact over organisation focus" in page_a
    assert "2.8" in page_a and "1.0–4.5" in page_a and "+0.8" in page_a
    assert "We pooled the housing budget." in page_a
    # Attributed to the partner (a named round), not to a perspective only one of its
    # people holds.
    assert "Larkfield Council (Local authority) ·" in page_a
    assert "Brook Health Trust" in page_a and "4.5" in page_a
    page_e = _text(reader, 8)
    assert "Board papers still arrive the night before." in page_e
    assert "1 said “don't know”" in page_e.replace("’", "'")
    assert "How people with lived experience see it" in _text(reader, 13)
    method = _text(reader, 14)
    assert "Collaborate CIC" in method and "Not a checklist" in method
    assert "Page 15 of 15" in method
    # no names of people anywhere: only partners and perspectives
    full = " ".join(_text(reader, i) for i in range(len(reader.pages)))
    for invitation in known_round.invitations.all():
        assert invitation.name not in full
        assert invitation.email not in full
    assert "%" not in full.replace("(100%)", "")  # no readiness percentage anywhere


def test_round_report_embeds_the_shipped_font_on_every_page_and_is_tagged(known_round):
    reader = PdfReader(io.BytesIO(pdf.round_report_pdf(known_round)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # readable by AT
    assert root["/Lang"] == "en-GB"
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
        assert any("Source-Sans-3" in name for name in names), names
        # nothing in this round's text needs a fallback font from the machine
        assert not any("DejaVu" in name for name in names), names
        for font in fonts.values():
            descriptor = (
                font.get_object().get("/FontDescriptor")
                or (font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"])
            )
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_report_is_cached_until_an_answer_changes(
    known_round, monkeypatch, django_assert_num_queries
):
    renders = []
    monkeypatch.setattr(pdf, "render_pdf", lambda html, **kw: renders.append(html) or b"%PDF-1")

    pdf.round_report_pdf(known_round)
    with django_assert_num_queries(1):  # the place's data version only
        assert pdf.round_report_pdf(known_round) == b"%PDF-1"
    assert len(renders) == 1

    rating = Rating.objects.filter(response__invitation__round=known_round).first()
    rating.score = 3 if rating.score != 3 else 2
    rating.save()
    pdf.round_report_pdf(known_round)
    assert len(renders) == 2

    answer(known_round, PartnerFactory(place=known_round.place), {"B": 2})
    pdf.round_report_pdf(known_round)
    assert len(renders) == 3


def test_data_version_goes_up_when_a_round_closes_or_an_invitation_is_revoked(known_round):
    first = current_version(known_round.place_id)
    known_round.state = RoundState.CLOSED
    known_round.save()
    second = current_version(known_round.place_id)
    invitation = known_round.invitations.first()
    invitation.revoked_at = dt.datetime(2026, 3, 20, tzinfo=dt.UTC)
    invitation.save()
    third = current_version(known_round.place_id)
    assert first < second < third


def test_filename_names_place_and_round(known_round):
    assert pdf.report_filename(known_round) == "ninefold-larkfield-spring-2026.pdf"


def test_comparison_report_lists_rounds_side_by_side(known_round):
    reader = PdfReader(io.BytesIO(pdf.comparison_pdf(known_round.place)))
    text = " ".join(_text(reader, i) for i in range(len(reader.pages)))
    assert "Baseline 2025" in text and "Spring 2026" in text
    # A: 2.0 in the baseline, 2.8 now; Vision is A alone in both rounds here
    assert "A. Beneficiary impact over organisation focus 2.0 2.8" in text
    assert "Vision 2.0 2.8" in text
    assert "Collaborate CIC" in text


def test_importing_the_app_does_not_import_weasyprint():
    code = (
        "import django, sys; django.setup(); "
        "import ninefold.urls, reports.pdf, reports.views.exports, reports.exports; "
        "from django.urls import resolve; resolve('/places/x/rounds/1/report.pdf'); "
        "sys.exit(1 if 'weasyprint' in sys.modules else 0)"
    )
    result = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", code],
        env={"DJANGO_SETTINGS_MODULE": "ninefold.settings_test", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# --- access ------------------------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def fake_render(monkeypatch):
    monkeypatch.setattr(pdf, "render_pdf", lambda html, **kw: b"%PDF-1.7 fake")


@pytest.mark.parametrize("role", [Role.LEAD, Role.FACILITATOR])
def test_leads_and_facilitators_download_the_report(known_round, role, fake_render):
    user = MembershipFactory(place=known_round.place, role=role).user
    url = reverse("exports:round_pdf", args=[known_round.place.slug, known_round.pk])
    response = _client(user).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="ninefold-larkfield-spring-2026.pdf"'
    )
    assert "private" in response["Cache-Control"]


def test_board_members_download_the_round_report_but_not_the_comparison(known_round, fake_render):
    """The round PDF is the board paper (decision 0032); it holds what their dashboard shows."""
    user = MembershipFactory(place=known_round.place, role=Role.BOARD).user
    client = _client(user)
    slug = known_round.place.slug
    response = client.get(reverse("exports:round_pdf", args=[slug, known_round.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(reverse("exports:comparison_pdf", args=[slug])).status_code == 403


def test_other_places_and_their_rounds_are_not_found(known_round, outsider, fake_render):
    slug = known_round.place.slug
    client = _client(outsider)
    assert client.get(reverse("exports:round_pdf", args=[slug, known_round.pk])).status_code == 404
    # a lead of Larkfield asking for another place's round through Larkfield's address
    lead = MembershipFactory(place=known_round.place, role=Role.LEAD).user
    elsewhere = RoundFactory()
    response = _client(lead).get(reverse("exports:round_pdf", args=[slug, elsewhere.pk]))
    assert response.status_code == 404


def test_anonymous_is_sent_to_sign_in(known_round, client, fake_render):
    url = reverse("exports:round_pdf", args=[known_round.place.slug, known_round.pk])
    response = client.get(url)
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_comparison_download_for_a_facilitator(known_round, fake_render):
    user = MembershipFactory(place=known_round.place, role=Role.FACILITATOR).user
    response = _client(user).get(reverse("exports:comparison_pdf", args=["larkfield"]))
    assert response.status_code == 200
    assert 'filename="ninefold-larkfield-comparison.pdf"' in response["Content-Disposition"]


def test_place_page_links_the_round_pdf_for_everyone_and_the_rest_for_facilitators(known_round):
    """Board members may download the round PDF (decision 0032), so their place page links
    it; key messages, exports and the comparison stay with facilitators and leads."""
    facilitator = MembershipFactory(place=known_round.place, role=Role.FACILITATOR).user
    board = MembershipFactory(place=known_round.place, role=Role.BOARD).user
    url = reverse("places:detail", args=["larkfield"])
    pdf_link = reverse("exports:round_pdf", args=["larkfield", known_round.pk])
    staff_links = [
        reverse("reports:key_messages", args=["larkfield", known_round.pk]),
        reverse("exports:export", args=["larkfield", known_round.pk]),
        reverse("exports:comparison_pdf", args=["larkfield"]),
    ]
    for_facilitator = _client(facilitator).get(url).content.decode()
    for_board = _client(board).get(url).content.decode()
    assert pdf_link in for_facilitator and pdf_link in for_board
    for link in staff_links:
        assert link in for_facilitator
        assert link not in for_board


def test_a_round_without_answers_and_a_place_without_rounds_still_render():
    round_ = RoundFactory(state=RoundState.DRAFT)
    reader = PdfReader(io.BytesIO(pdf.round_report_pdf(round_)))
    assert "No one has submitted answers to this round yet" in _text(reader, 3)
    reader = PdfReader(io.BytesIO(pdf.comparison_pdf(PlaceFactory())))
    assert "no rounds beyond the draft stage" in " ".join(
        _text(reader, i) for i in range(len(reader.pages))
    )


def test_report_html_costs_a_fixed_number_of_queries(known_round, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # a perspective group large enough to show costs one query more (see aggregation.py)
    for _ in range(2):
        answer(known_round, PartnerFactory(place=known_round.place), {"A": 4})
    with CaptureQueriesContext(connection) as small:
        pdf.round_report_html(known_round)
    for _ in range(6):
        partner = PartnerFactory(place=known_round.place)
        answer(known_round, partner, {"A": 3, "B": 2}, evidence={"A": "More evidence."})
    with django_assert_num_queries(len(small.captured_queries)):
        pdf.round_report_html(known_round)


# --- rendering hygiene --------------------------------------------------------------------


def test_rendering_logs_no_weasyprint_warning(known_round, caplog):
    # A warning on every render (a rule WeasyPrint cannot read, say) would drown real ones.
    caplog.set_level(logging.WARNING, logger="weasyprint")
    pdf.round_report_pdf(known_round)
    pdf.comparison_pdf(known_round.place)
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
    assert warnings == []


def _boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


def test_the_radar_legend_stays_beside_the_summary_text_not_under_it(known_round):
    from weasyprint import HTML

    # Long round names make the three-item legend (current, previous, range) long.
    known_round.name = "Spring 2026 partnership check-in"
    known_round.save()
    before = known_round.place.rounds.exclude(pk=known_round.pk).get()
    before.name = "Baseline 2025 first assessment"
    before.save()
    html = pdf.round_report_html(known_round)
    document = HTML(string=html, base_url=pdf.static_base(), url_fetcher=pdf.make_fetcher())
    page = document.render().pages[3]._page_box  # the summary
    found = {}
    for box in _boxes(page):
        element = getattr(box, "element", None)
        if element is None:
            continue
        if element.get("aria-label") == "Legend" and box.element_tag.endswith("svg"):
            found["legend"] = box
        elif box.element_tag == "figure":
            found.setdefault("figure", box)
        elif element.get("class") == "beside":
            found.setdefault("beside", box)
    legend, figure, beside = found["legend"], found["figure"], found["beside"]
    legend_right = legend.content_box_x() + legend.width
    assert legend_right <= figure.content_box_x() + figure.width
    assert legend_right <= beside.content_box_x()


# --- comparison trends --------------------------------------------------------------------


def _axis_labels(svg_text: str) -> list[str]:
    root = ET.fromstring(str(svg_text))
    return [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]


def test_comparison_trends_run_over_the_rating_scale_not_from_zero(known_round):
    charts = pdf.comparison_context(known_round.place)["charts"]
    assert len(charts) == 3  # the groups, then each group's items
    for chart in charts:
        assert _axis_labels(chart["svg"]) == ["1", "2", "3", "4", "5"], chart["title"]


def own_framework() -> Framework:
    """A framework that is not the nine: its own groups, and an item "A" of its own."""
    framework = Framework.objects.create(name="Riverside's own", source_credit="Riverside")
    people = PreconditionGroup.objects.create(
        framework=framework, code="people", name="People", order=1
    )
    homes = PreconditionGroup.objects.create(
        framework=framework, code="homes", name="Homes", order=2
    )
    for order, (code, name, group) in enumerate(
        [("A", "Housing first", homes), ("B", "Tenants shape repairs", homes)]
        + [("C", "Neighbours know each other", people)]
    ):
        Precondition.objects.create(
            framework=framework,
            group=group,
            code=code,
            name=name,
            summary=f"{name}, in one sentence.",
            order=order,
        )
    for value in range(1, 6):
        ScaleLevel.objects.create(
            framework=framework, value=value, label=f"Level {value}", descriptor=f"Level {value}"
        )
    return framework


def test_the_group_trend_is_titled_by_the_frameworks_own_groups():
    round_ = RoundFactory(framework=own_framework(), state=RoundState.CLOSED)
    answer(round_, PartnerFactory(place=round_.place), {"A": 2, "B": 3, "C": 4})
    titles = [chart["title"] for chart in pdf.comparison_context(round_.place)["charts"]]
    assert titles == ["People and Homes", "People preconditions", "Homes preconditions"]
    assert "Vision" not in pdf.comparison_html(round_.place)


# --- conversation prompts -----------------------------------------------------------------


def test_another_frameworks_item_a_gets_the_generic_prompts_not_the_nines(known_round):
    from reports.prompts import GENERIC, PROMPTS

    round_ = RoundFactory(framework=own_framework())
    answer(round_, PartnerFactory(place=round_.place), {"A": 2, "C": 4})
    pages = {page["p"].code: page for page in pdf.round_report_context(round_)["pages"]}
    assert pages["A"]["prompts"] == GENERIC  # "Housing first" is not the nine's A
    assert PROMPTS["A"][0] not in pdf.round_report_html(round_)
    # the nine's own A keeps its prompts
    nine = {page["p"].code: page for page in pdf.round_report_context(known_round)["pages"]}
    assert nine["A"]["prompts"] == PROMPTS["A"]


def test_a_repeat_download_costs_a_fixed_number_of_queries(
    known_round, fake_render, django_assert_num_queries
):
    user = MembershipFactory(place=known_round.place, role=Role.FACILITATOR).user
    client = _client(user)
    round_url = reverse("exports:round_pdf", args=["larkfield", known_round.pk])
    comparison_url = reverse("exports:comparison_pdf", args=["larkfield"])
    client.get(round_url), client.get(comparison_url)
    # session, user, membership with its place, round: the version comes with the place
    with django_assert_num_queries(4):
        assert client.get(round_url).status_code == 200
    # session, user, membership with its place, the place's current data version
    with django_assert_num_queries(4):
        assert client.get(comparison_url).status_code == 200


def test_the_report_reads_as_a_profile_not_a_grade(known_round):
    """The cover once said "readiness diagnostic"; changes and spreads stood as bare numbers
    and the Vision and Behaviours figures sat in boxes beside the summary chart."""
    from ninefold import figures

    reader = PdfReader(io.BytesIO(pdf.round_report_pdf(known_round)))
    full = " ".join(_text(reader, i) for i in range(len(reader.pages)))
    assert "readiness" not in full.casefold()
    summary = round_summary(known_round)
    a = summary.precondition("A")
    summary_page = _text(reader, 3)
    # the words beside spread and change, from the one definition
    assert f"{a.spread:.1f} {figures.spread_words(a.spread)}" in summary_page
    assert f"+0.8 {figures.change_words(a.change)}" in summary_page
    # group figures follow the table, in a sentence, not as headline boxes before it
    vision = summary.groups[0]
    assert summary_page.index(f"{vision.name} (") > summary_page.index("A. Beneficiary impact")
    assert "about the same" in _text(reader, len(reader.pages) - 1)  # the band, explained


def test_every_page_of_an_open_rounds_report_is_marked_provisional(known_round):
    mark = "Provisional — the round is still open"
    reader = PdfReader(io.BytesIO(pdf.round_report_pdf(known_round)))
    assert len(reader.pages) > 3
    for index in range(len(reader.pages)):
        assert mark in _text(reader, index), f"page {index + 1}"
    # a closed round's report is final
    closed = known_round.place.rounds.get(name="Baseline 2025")
    reader = PdfReader(io.BytesIO(pdf.round_report_pdf(closed)))
    assert not any("Provisional" in _text(reader, i) for i in range(len(reader.pages)))


def test_every_chart_of_both_reports_names_the_preconditions_in_full(known_round):
    """Decision 0065: a chart with letters alone sends the reader back to a key."""
    codes = {p.code for p in round_summary(known_round).preconditions}

    def texts(drawing) -> list[str]:
        root = ET.fromstring(str(drawing))
        return [
            " ".join(s.strip() for s in t.itertext() if s.strip()) for t in root.iter(f"{SVG}text")
        ]

    radar = texts(pdf.round_report_context(known_round)["radar_svg"])
    assert "A. Beneficiary impact over organisation focus" in radar
    assert not codes & set(radar)
    for chart in pdf.comparison_context(known_round.place)["charts"][1:]:  # per precondition
        legend = texts(chart["svg"])
        assert not codes & set(legend), chart["title"]
    assert "A. Beneficiary impact over organisation focus" in texts(
        pdf.comparison_context(known_round.place)["charts"][1]["svg"]
    )


def test_no_table_cell_of_the_round_report_is_a_lone_precondition_letter(known_round):
    """The breakdown tables are headed by the preconditions' names, wrapped, not A to I."""
    from html.parser import HTMLParser

    summary = round_summary(known_round)
    codes = {p.code for p in summary.preconditions}

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.cells: list[str] = []
            self.depth = 0

        def handle_starttag(self, tag, attrs):
            if tag in ("th", "td"):
                self.depth += 1
                self.cells.append("")

        def handle_endtag(self, tag):
            if tag in ("th", "td"):
                self.depth -= 1

        def handle_data(self, data):
            if self.depth:
                self.cells[-1] += data

    parser = Cells()
    html = pdf.round_report_html(known_round)
    parser.feed(html)
    cells = [c.strip() for c in parser.cells]
    assert 'class="num name-head"' in html  # the breakdowns are there to be checked
    assert not codes & set(cells)
    for p in summary.preconditions:
        assert p.name in cells
