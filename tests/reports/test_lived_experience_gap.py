"""The lived-experience gap: figures worked out by hand, the minimum group size, the dashboard."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from assessments.models import Perspective
from reports import charts
from reports.aggregation import lived_experience_gap
from tests.factories import PartnerFactory, PlaceFactory, RoundFactory
from tests.helpers import answer
from tests.reports.test_dashboard_views import member_client

pytestmark = pytest.mark.django_db

LIVED = Perspective.LIVED_EXPERIENCE


@pytest.fixture(autouse=True)
def _minimum_three(settings):
    settings.NINEFOLD_MIN_GROUP_SIZE = 3


@pytest.fixture
def round_():
    return RoundFactory(place=PlaceFactory())


@pytest.fixture
def shown(round_):
    """Three people with lived experience and three from organisations, over two partners.

    A, by hand. Lived: Voices (1, 2) -> 1.5, Homes (3) -> 3; mean 2.25.
    Organisations: Voices (4) -> 4, Homes (5, 2) -> 3.5; mean 3.75. Gap -1.5.
    (Unweighted, organisations would be 11 / 3 = 3.67: partners weigh the same here.)
    B, with one "don't know": lived Voices (dk, 2) -> 2, Homes (4) -> 4; mean 3.0, 2 scored.
    Organisations all 3; gap 0.
    """
    voices = PartnerFactory(place=round_.place, name="Voices")
    homes = PartnerFactory(place=round_.place, name="Homes")
    answer(round_, voices, {"A": 1, "B": None}, perspective=LIVED)
    answer(round_, voices, {"A": 2, "B": 2}, perspective=LIVED)
    answer(round_, homes, {"A": 3, "B": 4}, perspective=LIVED)
    answer(round_, voices, {"A": 4, "B": 3}, perspective=Perspective.MANAGER)
    answer(round_, homes, {"A": 5, "B": 3}, perspective=Perspective.FRONTLINE)
    answer(round_, homes, {"A": 2, "B": 3}, perspective=Perspective.SENIOR_LEADER)
    # Drafts never count, on either side.
    answer(round_, voices, {"A": 5, "B": 5}, perspective=LIVED, submitted=False)
    answer(round_, homes, {"A": 1, "B": 1}, perspective=Perspective.MANAGER, submitted=False)
    return round_


def test_each_side_is_the_mean_of_its_partner_means(shown):
    gap = lived_experience_gap(shown)
    assert not gap.hidden
    assert (gap.lived_respondents, gap.organisation_respondents) == (3, 3)
    a = next(i for i in gap.items if i.code == "A")
    assert a.lived == pytest.approx(2.25)
    assert a.organisations == pytest.approx(3.75)
    assert a.gap == pytest.approx(-1.5)
    assert (a.lived_scored, a.organisations_scored) == (3, 3)


def test_dont_know_counts_as_no_score_on_the_lived_side(shown):
    b = next(i for i in lived_experience_gap(shown).items if i.code == "B")
    assert b.lived == pytest.approx(3.0)
    assert b.organisations == pytest.approx(3.0)
    assert b.gap == pytest.approx(0.0)
    assert (b.lived_scored, b.organisations_scored) == (2, 3)


def test_items_nobody_rated_are_listed_without_figures(shown):
    gap = lived_experience_gap(shown)
    assert [i.code for i in gap.items] == list("ABCDEFGHI")
    c = gap.items[2]
    assert (c.lived, c.organisations, c.gap, c.lived_scored) == (None, None, None, 0)


def test_widest_differences_come_first(shown):
    assert [i.code for i in lived_experience_gap(shown).widest(2)] == ["A", "B"]


def test_too_few_people_with_lived_experience_hides_every_figure(round_):
    partner = PartnerFactory(place=round_.place)
    for _ in range(2):
        answer(round_, partner, {"A": 1}, perspective=LIVED)
    for _ in range(5):
        answer(round_, partner, {"A": 5})
    gap = lived_experience_gap(round_)
    assert gap.hidden
    assert gap.items == []
    assert (gap.lived_respondents, gap.organisation_respondents) == (2, 5)
    assert "at least 3" in charts.gap_text(gap)


def test_too_few_people_from_organisations_hides_it_too(round_):
    partner = PartnerFactory(place=round_.place)
    for _ in range(4):
        answer(round_, partner, {"A": 1}, perspective=LIVED)
    for _ in range(2):
        answer(round_, partner, {"A": 5})
    gap = lived_experience_gap(round_)
    assert gap.hidden and gap.items == []


def test_the_minimum_is_read_from_settings(round_, settings):
    partner = PartnerFactory(place=round_.place)
    for perspective in (LIVED, LIVED, Perspective.MANAGER, Perspective.MANAGER):
        answer(round_, partner, {"A": 2}, perspective=perspective)
    assert lived_experience_gap(round_).hidden
    settings.NINEFOLD_MIN_GROUP_SIZE = 2
    assert not lived_experience_gap(round_).hidden


def test_the_gap_costs_three_queries_shown_and_one_hidden(shown, round_, django_assert_num_queries):
    with django_assert_num_queries(3):
        lived_experience_gap(shown)
    empty = RoundFactory(place=round_.place)
    with django_assert_num_queries(1):
        assert lived_experience_gap(empty).hidden


def test_dashboard_shows_the_gap_chart_table_and_summary(shown):
    url = reverse("reports:dashboard", args=[shown.place.slug, shown.pk])
    html = member_client(shown.place).get(url).content.decode()
    assert "How people with lived experience see it" in html
    # One strip per precondition, under its full name, drawn on the server.
    a = lived_experience_gap(shown).items[0]
    assert f'<span class="strip-name">{a.name}</span>' in html
    assert "<title>People with lived experience: 2.2</title>" in html
    assert '−1.5 <span class="gap-word">lower for lived experience</span>' in html
    assert "3.8" in html  # organisations on A, to one decimal (3.75)
    assert "3 people with lived experience and 3 people from organisations answered" in html


def test_dashboard_says_why_the_gap_is_hidden_and_shows_no_figures(round_):
    partner = PartnerFactory(place=round_.place)
    answer(round_, partner, {"A": 1}, perspective=LIVED)
    for _ in range(3):
        answer(round_, partner, {"A": 5})
    url = reverse("reports:dashboard", args=[round_.place.slug, round_.pk])
    html = member_client(round_.place).get(url).content.decode()
    assert "How people with lived experience see it" in html
    assert "The comparison is hidden to protect people's anonymity" in html
    assert "gap-data" not in html and "gap-table" not in html


def test_summary_json_carries_the_gap(shown):
    url = reverse("reports:summary_json", args=[shown.place.slug, shown.pk])
    data = json.loads(member_client(shown.place).get(url).content)["lived_experience_gap"]
    assert data["hidden"] is False
    assert data["items"][0]["code"] == "A"
    assert data["items"][0]["gap"] == -1.5
    assert data["items"][0]["organisations"] == 3.75


def test_gap_strips_draw_circles_for_lived_experience_and_squares_for_organisations(shown):
    rows = charts.gap_strips(lived_experience_gap(shown))
    shapes = {m["shape"]: m["score"] for m in rows[0]["strip"]["markers"]}
    assert shapes == {"lived": 2.25, "org": 3.75}
    assert [m["score"] for m in rows[1]["strip"]["markers"]] == [3.0, 3.0]


def test_gap_summary_names_each_precondition_in_full_and_never_by_letter(shown):
    gap = lived_experience_gap(shown)
    text = charts.gap_text(gap)
    a = gap.items[0]
    assert f"{a.name}: people with lived experience 2.2, organisations 3.8, 1.5 lower" in text
    assert f"{a.code} (" not in text and "letters" not in text


def test_gap_table_partial_renders_alone_for_print(shown):
    from django.template.loader import render_to_string

    html = render_to_string(
        "reports/_gap_table.html", {"gap": lived_experience_gap(shown), "gap_id": "pdf-gap"}
    )
    assert 'id="pdf-gap-caption"' in html
    assert "2.2" in html or "2.3" in html  # 2.25 to one decimal
    assert "lower for lived experience" in html
    assert "style=" not in html


def test_the_pdf_draws_the_gap_with_full_names_and_says_it_in_a_sentence(shown):
    """Decision 0065: the PDF's own chart, preconditions named in full; the caption is the
    drafted summary's sentence, with the hand-worked figures."""
    from reports import pdf

    context = pdf.round_report_context(shown)
    drawn = str(context["gap_chart"])
    assert "A. Beneficiary impact over" in drawn and "2.2 / 3.8" in drawn
    assert (
        "A. Beneficiary impact over organisation focus (2.2 against 3.8, 1.5 lower)"
        in (context["gap_text"])
    )


def test_the_gap_is_part_of_the_cached_round_summary(shown, django_assert_num_queries):
    """One cached object: a dashboard built from a cached summary computes no gap of its own,
    and the summary's gap is the one ``lived_experience_gap`` gives (hand-checked above)."""
    from reports import aggregation

    round_ = type(shown).objects.select_related("place", "framework").get(pk=shown.pk)
    summary = aggregation.cached_round_summary(round_, place=round_.place)
    assert summary.gap == aggregation.lived_experience_gap(round_)
    assert not summary.gap.hidden
    assert summary.gap.items[0].gap == pytest.approx(-1.5)
    with django_assert_num_queries(0):
        again = aggregation.cached_round_summary(round_, place=round_.place)
    assert again.gap == summary.gap
    assert aggregation.round_summary(round_, breakdowns=False).gap is None
    assert "gap" not in summary.as_dict()
