"""The precondition page shows its evidence notes a page at a time (decision 0057).

A round of thousands of responses has thousands of notes on each precondition: the page
shows ``NOTES_PER_PAGE`` of them with links to the others, keeps the filter across pages,
answers a bad page number with a message and the first page, and costs the same number of
queries, and about the same bytes, whatever the size of the round.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import EVIDENCE_MAX_LENGTH, Confidentiality, Perspective
from places.models import Role
from reports import aggregation
from reports.aggregation import NOTES_PER_PAGE, evidence_notes
from tests.factories import MembershipFactory, PartnerFactory, PlaceFactory, RoundFactory
from tests.helpers import answer

pytestmark = pytest.mark.django_db

CODES = "ABCDEFGHI"


def round_with_notes(notes: int, *, text=None, partners: int = 3):
    """A named round whose respondents each leave one note on A; scores 2 and 4 alternate."""
    place = PlaceFactory(name="Eastbrook", slug="eastbrook")
    round_ = RoundFactory(place=place, name="Spring", confidentiality=Confidentiality.NAMED)
    members = [PartnerFactory(place=place, name=f"Partner {n}") for n in range(partners)]
    for n in range(notes):
        answer(
            round_,
            members[n % partners],
            dict.fromkeys(CODES, 2 if n % 2 == 0 else 4),
            evidence={"A": text(n) if text else f"Note number {n:04d}."},
            perspective=[Perspective.MANAGER, Perspective.FRONTLINE][n % 2],
        )
    return place, round_


def board(place) -> Client:
    client = Client()
    client.force_login(MembershipFactory(place=place, role=Role.BOARD).user)
    return client


def page_url(place, round_) -> str:
    return reverse("reports:precondition", args=[place.slug, round_.pk, "A"])


def shown_notes(html: str) -> list[str]:
    return re.findall(r"Note number (\d{4})\.", html)


def evidence_nav(html: str) -> str:
    found = re.search(r'<nav aria-label="Pages of evidence notes".*?</nav>', html, re.S)
    return found.group(0) if found else ""


def test_notes_are_cut_into_pages_that_together_show_each_note_once_in_order():
    notes = NOTES_PER_PAGE * 2 + 7
    place, round_ = round_with_notes(notes)
    client = board(place)
    url = page_url(place, round_)

    first = client.get(url).content.decode()
    assert len(shown_notes(first)) == NOTES_PER_PAGE
    assert f"Showing 1–{NOTES_PER_PAGE} of {notes} notes." in first
    nav = evidence_nav(first)
    assert nav, "no page links"
    assert (
        '<span class="page-link" aria-current="page"><span class="visually-hidden">Page </span>1</span>'
        in nav
    )
    assert 'href="?page=2#evidence-heading" rel="next"' in nav
    assert 'rel="prev"' not in nav

    last = client.get(url, {"page": 3}).content.decode()
    assert len(shown_notes(last)) == 7
    assert f"Showing {2 * NOTES_PER_PAGE + 1}–{notes} of {notes} notes." in last
    assert 'href="?page=2#evidence-heading" rel="prev"' in evidence_nav(last)
    assert 'rel="next"' not in evidence_nav(last)

    every = [
        n
        for page in (1, 2, 3)
        for n in shown_notes(client.get(url, {"page": page}).content.decode())
    ]
    expected = [
        re.search(r"\d{4}", note.text).group(0) for note in evidence_notes(round_, code="A")
    ]
    assert every == expected and len(set(every)) == notes


def test_long_runs_of_pages_are_shortened_around_the_current_one():
    place, round_ = round_with_notes(NOTES_PER_PAGE * 9 + 1)  # ten pages
    html = board(place).get(page_url(place, round_), {"page": 5}).content.decode()
    numbers = re.findall(r'<span class="visually-hidden">Page </span>(\d+)<', evidence_nav(html))
    assert numbers == ["1", "3", "4", "5", "6", "7", "10"]
    assert evidence_nav(html).count("…") == 2


def test_a_single_page_has_no_page_links_and_says_how_many():
    place, round_ = round_with_notes(4)
    html = board(place).get(page_url(place, round_)).content.decode()
    assert "4 notes." in html and "Showing" not in html
    assert evidence_nav(html) == ""


def test_the_filter_is_kept_on_every_page():
    place, round_ = round_with_notes(NOTES_PER_PAGE * 3)  # half the notes at level 2
    client = board(place)
    url = page_url(place, round_)
    at_two = [n for n in range(NOTES_PER_PAGE * 3) if n % 2 == 0]

    first = client.get(url, {"level": "2"}).content.decode()
    assert f"Showing 1–{NOTES_PER_PAGE} of {len(at_two)} notes match the filter" in first
    assert 'href="?level=2&amp;page=2#evidence-heading" rel="next"' in evidence_nav(first)

    second = client.get(url, {"level": "2", "page": "2"}).content.decode()
    shown = [int(n) for n in shown_notes(second)]
    assert shown and all(n % 2 == 0 for n in shown)
    assert len(shown) == len(at_two) - NOTES_PER_PAGE
    # The filter form still shows the chosen level on the second page.
    assert re.search(r'<option value="2" selected>', second)


def test_a_partner_filter_across_pages_gives_only_that_partners_notes():
    place, round_ = round_with_notes(NOTES_PER_PAGE * 4, partners=2)
    partner = place.partners.get(name="Partner 1")
    html = (
        board(place)
        .get(page_url(place, round_), {"partner": partner.pk, "page": "2"})
        .content.decode()
    )
    shown = [int(n) for n in shown_notes(html)]
    assert len(shown) == NOTES_PER_PAGE and all(n % 2 == 1 for n in shown)
    assert f"Showing {NOTES_PER_PAGE + 1}–{2 * NOTES_PER_PAGE} of {2 * NOTES_PER_PAGE}" in html


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "1.5", "２", "9" * 12, "4"])
def test_a_bad_page_number_gives_the_first_page_and_says_why(bad, django_assert_max_num_queries):
    place, round_ = round_with_notes(NOTES_PER_PAGE + 3)  # two pages
    client = board(place)
    response = client.get(page_url(place, round_), {"page": bad})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert">' in html
    if bad == "4":
        assert (
            "There is no page 4 of these notes: the notes have 2 pages, this is the first." in html
        )
    else:
        assert "The page number must be a whole number from 1" in html
    assert len(shown_notes(html)) == NOTES_PER_PAGE
    assert f"Showing 1–{NOTES_PER_PAGE} of" in html
    # Not kept: asking again builds the page again (a cached page would cost 3 queries).
    with django_assert_max_num_queries(100) as again:
        client.get(page_url(place, round_), {"page": bad})
    assert len(again.captured_queries) > 3


def test_a_page_of_the_longest_notes_stays_under_100_kb():
    place, round_ = round_with_notes(
        NOTES_PER_PAGE * 2,
        text=lambda n: f"Note number {n:04d}. " + "w" * (EVIDENCE_MAX_LENGTH - 18),
    )
    client = Client()
    # A lead's page is the largest: each note carries a link to remove its text.
    client.force_login(MembershipFactory(place=place, role=Role.LEAD).user)
    html = client.get(page_url(place, round_)).content
    assert len(shown_notes(html.decode())) == NOTES_PER_PAGE
    assert len(html) <= 100_000, len(html)


def test_page_one_with_and_without_its_number_is_one_cache_entry(django_assert_num_queries):
    place, round_ = round_with_notes(NOTES_PER_PAGE + 1)
    client = board(place)
    client.get(page_url(place, round_))
    with django_assert_num_queries(3):
        client.get(page_url(place, round_), {"page": "1", "utm": "x"})


# Built: session, user, membership, round, precondition, the round summary's queries, and
# three for the notes (who may be credited, the count, the page): one fewer than in
# test_dashboard_views.py, whose round has a previous round to compare with. Repeat: session, user, membership, cache read
# (locmem in tests, so no query for it).
BUILT, REPEAT = 17, 3


@pytest.mark.parametrize("notes", [5, NOTES_PER_PAGE * 3], ids=["one page", "three pages"])
@pytest.mark.parametrize(
    "query", [{}, {"page": "2"}, {"level": "4", "page": "2"}], ids=["first", "second", "filtered"]
)
def test_query_counts_are_pinned_and_do_not_grow_with_the_notes(
    notes, query, django_assert_num_queries
):
    place, round_ = round_with_notes(notes)
    client = board(place)
    if notes == 5 and query.get("page") == "2":
        query = {**query, "page": "1"}  # the only page there is
    with django_assert_num_queries(BUILT):
        assert client.get(page_url(place, round_), query).status_code == 200
    with django_assert_num_queries(REPEAT):
        assert client.get(page_url(place, round_), query).status_code == 200


def test_pages_follow_the_confidentiality_rule_for_notes(settings):
    """A confidential round: notes of a partner under the minimum group size are never
    credited to it, on any page, and the partner filter cannot pick it."""
    place = PlaceFactory(slug="westmoor")
    round_ = RoundFactory(place=place, confidentiality=Confidentiality.CONFIDENTIAL)
    big = PartnerFactory(place=place, name="Big Trust")
    small = PartnerFactory(place=place, name="Tiny Charity")
    for n in range(NOTES_PER_PAGE + 5):
        answer(round_, big, {"A": 3}, evidence={"A": f"Note number {n:04d}."})
    answer(round_, small, {"A": 3}, evidence={"A": "Note number 9999."})
    client = board(place)
    pages = [client.get(page_url(place, round_), {"page": p}).content.decode() for p in ("1", "2")]
    assert "9999" in "".join(pages)
    assert "Tiny Charity" not in "".join(pages)
    html = client.get(page_url(place, round_), {"partner": small.pk, "page": "1"}).content.decode()
    assert "Choose one of the partners listed" in html
    # The page-cut notes are those evidence_notes gives this audience, in its order.
    page = aggregation.evidence_notes_page(round_, code="A", number=2)
    assert [n.text for n in page.notes] == [
        n.text for n in evidence_notes(round_, code="A")[NOTES_PER_PAGE:]
    ]
