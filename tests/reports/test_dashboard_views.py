"""The dashboard, precondition, trends and JSON pages: access, content, query counts."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Confidentiality, Perspective, RoundState
from ninefold import figures
from places.models import Role, Sector
from reports.aggregation import lived_experience_gap, round_summary
from tests.factories import MembershipFactory, PartnerFactory, PlaceFactory, RoundFactory
from tests.helpers import answer, load_demo

pytestmark = pytest.mark.django_db

CODES = "ABCDEFGHI"


def fill_round(round_, *, partners: int, respondents: int, base: int = 2) -> None:
    """Every partner's respondents rate all nine; scores vary by partner so spreads differ."""
    for n in range(partners):
        partner = PartnerFactory(
            place=round_.place,
            name=f"Partner {n:02d}",
            sector=[Sector.VOLUNTARY_COMMUNITY, Sector.NHS][n % 2],
        )
        for r in range(respondents):
            scores = {
                c: min(5, max(1, base + (n + i + r) % 3 - (i % 2))) for i, c in enumerate(CODES)
            }
            scores["I"] = None if r == 0 else scores["I"]
            answer(
                round_,
                partner,
                scores,
                evidence={"A": f"Note {n}-{r} about shared purpose."},
                perspective=[Perspective.MANAGER, Perspective.FRONTLINE][r % 2],
            )


def place_with_rounds(*, partners: int, respondents: int, confidentiality=Confidentiality.NAMED):
    """Named organisations unless asked: these tests pin partner-level figures at any size;
    what a confidential round shows is pinned in test_confidentiality_walk.py."""
    place = PlaceFactory(name="Eastbrook", slug="eastbrook")
    today = dt.date.today()
    earlier = RoundFactory(
        place=place,
        name="Autumn baseline",
        state=RoundState.CLOSED,
        opens_on=today - dt.timedelta(days=200),
        closes_on=today - dt.timedelta(days=170),
        confidentiality=confidentiality,
    )
    fill_round(earlier, partners=partners, respondents=respondents, base=1)
    current = RoundFactory(place=place, name="Spring check-in", confidentiality=confidentiality)
    # Partners are per place: reuse the earlier round's partners for the current one.
    for partner in place.partners.order_by("name"):
        for r in range(respondents):
            answer(
                current,
                partner,
                {c: 2 + (i + r + partner.pk) % 4 for i, c in enumerate(CODES)},
                evidence={"A": f"Current note {partner.name} {r}"},
                perspective=[Perspective.MANAGER, Perspective.FRONTLINE][r % 2],
            )
    return place, earlier, current


def member_client(place, role=Role.BOARD) -> Client:
    client = Client()
    client.force_login(MembershipFactory(place=place, role=role).user)
    return client


def urls(place, round_) -> list[str]:
    return [
        reverse("reports:dashboard", args=[place.slug, round_.pk]),
        reverse("reports:precondition", args=[place.slug, round_.pk, "A"]),
        reverse("reports:summary_json", args=[place.slug, round_.pk]),
        reverse("reports:trends", args=[place.slug]),
    ]


@pytest.fixture
def small():
    return place_with_rounds(partners=2, respondents=1)


# --- Access ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.BOARD, Role.FACILITATOR, Role.LEAD])
def test_every_member_role_sees_every_report_page(small, role):
    place, _, current = small
    client = member_client(place, role)
    for url in urls(place, current):
        assert client.get(url).status_code == 200, url


def test_member_of_another_place_gets_404_everywhere(small, outsider):
    place, _, current = small
    client = Client()
    client.force_login(outsider)
    for url in urls(place, current):
        assert client.get(url).status_code == 404, url


def test_anonymous_is_sent_to_sign_in(small, client):
    place, _, current = small
    for url in urls(place, current):
        response = client.get(url)
        assert (
            response.status_code == 302
            and "sign-in" in response["Location"]
            or (response.status_code == 302 and "login" in response["Location"])
        ), url


def test_another_places_round_id_under_my_place_is_404(small):
    place, _, _ = small
    other_round = RoundFactory(place=PlaceFactory())
    client = member_client(place)
    for url in urls(place, other_round)[:3]:
        assert client.get(url).status_code == 404, url


def test_unknown_precondition_code_is_404(small):
    place, _, current = small
    client = member_client(place)
    url = reverse("reports:precondition", args=[place.slug, current.pk, "Z"])
    assert client.get(url).status_code == 404


# --- Round dashboard -------------------------------------------------------------------------


def test_dashboard_shows_the_nine_with_change_and_conversation_starters(small):
    place, _, current = small
    response = member_client(place).get(urls(place, current)[0])
    html = response.content.decode()
    summary = round_summary(current)
    a = summary.precondition("A")
    assert "The nine preconditions" in html
    assert f"{a.place_score:.1f}" in html
    # change shown as a signed number plus a word, never an arrow or a verdict colour
    assert re.search(r'<span class="change change-(higher|lower|same)">', html)
    assert "▲" not in html and "▼" not in html
    assert "since Autumn baseline" in html
    assert "Where views differ most" in html and "Where they agree" in html
    for p in summary.most_disputed(3):
        assert reverse("reports:precondition", args=[place.slug, current.pk, p.code]) in html
    # Its charts are SVG drawn on the server (decision 0055): no radar, no plotly to load.
    assert 'class="dot-strip"' in html and "radar" not in html
    assert "plotly" not in html and "js/charts.js" not in html


def test_dashboard_response_rate_uses_meters_not_inline_widths(small):
    place, _, current = small
    html = member_client(place).get(urls(place, current)[0]).content.decode()
    assert html.count("<meter") == 2
    assert "2 of 2" in html  # partners and people who answered (one respondent each)


def test_heatmap_rows_are_ordered_and_cells_labelled_with_numbers(small):
    place, _, current = small
    html = member_client(place).get(urls(place, current)[0]).content.decode()
    summary = round_summary(current)
    heat = html[html.index('class="table table-sm heatmap') :]
    positions = [heat.index(row.name) for row in summary.partners]
    assert positions == sorted(positions)
    # Each cell: the score, then its difference from the place view, which the shading follows.
    assert re.search(
        r'<td class="num diff-(much-lower|lower|near|higher|much-higher)">\d\.\d'
        r'<span class="heat-diff" title="[^"]+">(0\.0|[+\u2212]\d\.\d)</span></td>',
        heat,
    )


def test_breakdown_notes_hidden_groups_below_minimum(small, settings):
    place, _, current = small
    html = member_client(place).get(urls(place, current)[0]).content.decode()
    # two respondents (one per partner, different sectors): every group is under 3
    # ... so each table has one "Other" row, itself under 3 and hidden.
    assert "Hidden: fewer than 3 people" in html
    assert "Other sectors (2 people from 2 sectors)" in html
    assert "only combined in the “Other” row" in html


def test_dashboard_of_round_without_answers_says_so_and_loads_no_chart_script():
    place = PlaceFactory()
    round_ = RoundFactory(place=place)
    html = member_client(place).get(urls(place, round_)[0]).content.decode()
    assert "Nobody has submitted a response" in html
    assert "plotly.min.js" not in html


# --- Precondition page -------------------------------------------------------------------------


def test_precondition_page_shows_distribution_partners_notes_and_framework_text(small):
    place, _, current = small
    html = member_client(place).get(urls(place, current)[1]).content.decode()
    assert "How respondents rated it" in html and "Partner scores" in html
    assert "In the framework&#x27;s terms" in html or "In the framework's terms" in html
    assert "A person&#x27;s story" in html or "A person's story" in html
    assert "Current note Partner 00 0" in html
    assert '<script id="distribution-data" type="application/json">' in html


def test_evidence_is_attributed_to_partner_and_perspective_never_the_person(small):
    place, _, current = small
    invitation = current.invitations.select_related("partner").first()
    html = member_client(place, Role.LEAD).get(urls(place, current)[1]).content.decode()
    assert f"{invitation.partner.name} (" in html and ", manager ·" in html
    assert invitation.name not in html and invitation.email not in html
    # A board member sees the partner (a named round) but not a perspective held by one
    # person of that partner: it would point at them.
    html = member_client(place).get(urls(place, current)[1]).content.decode()
    assert f"{invitation.partner.name} (" in html and ", manager ·" not in html


def test_evidence_filters_by_partner_and_level():
    place, _, current = place_with_rounds(partners=3, respondents=2)
    partner = place.partners.get(name="Partner 01")
    url = urls(place, current)[1]
    client = member_client(place)

    html = client.get(url, {"partner": partner.pk}).content.decode()
    assert "Current note Partner 01 0" in html and "Current note Partner 01 1" in html
    assert "Current note Partner 00" not in html and "Current note Partner 02" not in html
    assert "2 notes match the filter" in html

    level = 2 + (0 + 0 + partner.pk) % 4  # the level Partner 01's first respondent chose for A
    html = client.get(url, {"level": str(level), "partner": partner.pk}).content.decode()
    assert "Current note Partner 01 0" in html and "Current note Partner 01 1" not in html


def test_bad_filter_shows_an_error_and_all_notes(small):
    place, _, current = small
    html = member_client(place).get(urls(place, current)[1], {"level": "7"}).content.decode()
    assert "There is a problem" in html and '<a href="#id_level">Level: ' in html
    assert 'aria-invalid="true" aria-describedby="id_level_error"' in html
    assert "Current note Partner 00 0" in html and "Current note Partner 01 0" in html


# --- Trends and JSON ----------------------------------------------------------------------------


def test_trends_table_lists_rounds_oldest_first_with_group_figures(small):
    place, earlier, current = small
    html = member_client(place).get(urls(place, current)[3]).content.decode()
    assert html.index("Autumn baseline") < html.index("Spring check-in")
    assert "Vision" in html and "Behaviours" in html
    assert '<script id="trend-nine-data" type="application/json">' in html
    vision_now = round_summary(current).groups[0].score
    assert f"{vision_now:.1f}" in html


def test_dashboard_puts_words_beside_spread_and_change(small):
    place, _, current = small
    html = member_client(place).get(urls(place, current)[0]).content.decode()
    summary = round_summary(current)
    for p in summary.preconditions:
        if p.spread is not None:
            assert (
                f'<span class="num">{p.spread:.1f}</span> <span class="spread-words">'
                + (figures.spread_words(p.spread))
                in html
            )
        if p.change is not None:
            assert figures.change_words(p.change) in html
    # the technical term and the JSON link live in "About these figures", after the figures
    about = html.index('id="about-figures-heading"')
    assert "standard deviation" in html[about:] and "standard deviation" not in html[:about]
    assert "Figures as JSON" in html[about:] and "Figures as JSON" not in html[:about]
    assert "(SD)" not in html
    assert "about the same" in html[about:]


def test_dashboard_has_no_headline_group_tiles_and_groups_follow_the_nine(small):
    """Vision and Behaviours once opened the page in tiles ("At a glance"): a grade by
    another name. They now follow the nine, in a table, never in a figure card."""
    place, _, current = small
    html = member_client(place).get(urls(place, current)[0]).content.decode()
    assert "At a glance" not in html
    cards = re.findall(r'<div class="figure-card">\s*<h3[^>]*>([^<]*)</h3>', html)
    assert cards and not {"Vision", "Behaviours"} & set(cards)
    nine = html.index('id="nine-heading"')
    # The conversation first, then the lived-experience view, then the nine, then the groups.
    talk, lived = html.index('id="talk-heading"'), html.index('id="lived-heading"')
    assert talk < lived < nine < html.index('id="groups-heading"')
    group_table = html[html.index('id="groups-heading"') :]
    vision = round_summary(current).groups[0]
    assert f'<th scope="row">{vision.name}<span class="d-block small fw-normal">' in group_table


def test_trends_lead_with_the_nine_and_follow_with_the_groups(small):
    place, _, current = small
    html = member_client(place).get(urls(place, current)[3]).content.decode()
    assert html.index('id="nine-heading"') < html.index('id="groups-heading"')


def test_summary_json_is_the_round_summary(small):
    place, _, current = small
    response = member_client(place).get(urls(place, current)[2])
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    gap = data.pop("lived_experience_gap")
    assert data == json.loads(json.dumps(round_summary(current).as_dict()))
    assert gap == json.loads(json.dumps(lived_experience_gap(current).as_dict()))
    assert data["previous_round_name"] == "Autumn baseline"
    assert len(data["preconditions"]) == 9


def test_place_page_links_each_opened_round_to_its_dashboard_and_trends(small):
    place, earlier, current = small
    draft = RoundFactory(place=place, name="Next year", state=RoundState.DRAFT)
    html = member_client(place).get(reverse("places:detail", args=[place.slug])).content.decode()
    assert reverse("reports:dashboard", args=[place.slug, earlier.pk]) in html
    assert reverse("reports:dashboard", args=[place.slug, current.pk]) in html
    assert reverse("reports:dashboard", args=[place.slug, draft.pk]) not in html
    assert reverse("reports:trends", args=[place.slug]) in html


# --- Strict CSP readiness -------------------------------------------------------------------------


def test_report_pages_have_no_inline_styles_scripts_or_handlers(small):
    place, _, current = small
    client = member_client(place)
    for url in urls(place, current)[:2] + urls(place, current)[3:]:
        html = client.get(url).content.decode()
        assert "style=" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)


# --- Query counts: the same for small and bigger rounds ------------------------------------------

# session + user, membership, round, then the aggregation's fixed set (reports.aggregation).
# Both sizes have a perspective group big enough to show: a round where every group is
# hidden skips the perspective breakdown's score query, one query fewer.
# First request (page not cached yet): the aggregation and the page; the cache key is the
# place's data version, loaded with the membership, so it costs no query of its own.
# The dashboard adds 3 for the workshop section (agreed views 2, carried actions 1 when none);
# the summary includes the lived-experience gap (its counts; hidden here, so no more).
# summary.json reuses the summary the dashboard cached, gap included: round and the page's own.
# The precondition page's notes cost 3: who may be credited with them, how many there are,
# and the page of them shown (test_evidence_pages.py).
EXPECTED_QUERIES = {"dashboard": 21, "precondition": 18, "summary_json": 4, "trends": 6}
# Repeat request: session, user and membership (with its place and so the data version);
# the page's own part comes from the cache (locmem in tests; the database cache adds its read).
EXPECTED_QUERIES_WARM = {"dashboard": 3, "precondition": 3, "summary_json": 3, "trends": 3}


@pytest.mark.parametrize("size", [(3, 1), (8, 3)], ids=["small", "bigger"])
def test_query_counts_do_not_grow_with_data(size, django_assert_num_queries):
    place, _, current = place_with_rounds(partners=size[0], respondents=size[1])
    client = member_client(place)
    names = ["dashboard", "precondition", "summary_json", "trends"]
    for name, url in zip(names, urls(place, current), strict=True):
        with django_assert_num_queries(EXPECTED_QUERIES[name]):
            assert client.get(url).status_code == 200
    for name, url in zip(names, urls(place, current), strict=True):
        with django_assert_num_queries(EXPECTED_QUERIES_WARM[name]):
            assert client.get(url).status_code == 200


def test_cached_summary_is_replaced_when_an_answer_changes(client):
    from assessments.models import Rating

    place, _, current = place_with_rounds(partners=3, respondents=1)
    client = member_client(place)
    url = reverse("reports:summary_json", args=[place.slug, current.pk])
    before = client.get(url).json()
    rating = Rating.objects.filter(
        response__invitation__round=current, response__status="submitted", score__isnull=False
    ).first()
    rating.score = 1 if rating.score != 1 else 5
    rating.save()
    after = client.get(url).json()
    assert after != before
    expected = round_summary(current).as_dict()
    assert {k: v for k, v in after.items() if k != "lived_experience_gap"} == expected


def test_dashboard_shows_actions_carried_from_earlier_workshops(client):

    from assessments.models import Round
    from places.models import Membership

    load_demo(extras=True)
    board = Membership.objects.get(user__email="board@example.org").user
    open_round = Round.objects.get(place__slug="harrowdene", state="open")
    client.force_login(board)
    html = client.get(
        reverse("reports:dashboard", args=["harrowdene", open_round.pk])
    ).content.decode()
    assert "Actions agreed at earlier workshops" in html
    assert "Hold a learning review of the hub pilot" in html
    assert "Autumn 2025 review" in html


# --- Finding the results -------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.LEAD, Role.BOARD])
def test_rounds_list_links_each_opened_round_to_its_results(small, role):
    place, earlier, current = small
    draft = RoundFactory(place=place, name="Next year", state=RoundState.DRAFT)
    html = member_client(place, role).get(reverse("assessments:round_list", args=[place.slug]))
    html = html.content.decode()
    for round_ in (earlier, current):
        link = reverse("reports:dashboard", args=[place.slug, round_.pk])
        assert (
            f'<a href="{link}">View results<span class="visually-hidden"> of {round_.name}' in html
        )
    assert reverse("reports:dashboard", args=[place.slug, draft.pk]) not in html


def test_the_leads_round_page_links_to_its_results(small):
    place, _, current = small
    url = reverse("assessments:round_detail", args=[place.slug, current.pk])
    html = member_client(place, Role.LEAD).get(url).content.decode()
    link = reverse("reports:dashboard", args=[place.slug, current.pk])
    assert f'<a href="{link}">View results</a>' in html


def test_the_dashboard_links_to_its_pdf_and_exports_for_those_allowed(small):
    place, _, current = small
    pdf_link = reverse("exports:round_pdf", args=[place.slug, current.pk])
    export_link = reverse("exports:export", args=[place.slug, current.pk])
    for role in (Role.LEAD, Role.FACILITATOR):
        html = member_client(place, role).get(urls(place, current)[0]).content.decode()
        assert pdf_link in html and export_link in html
    board = member_client(place, Role.BOARD).get(urls(place, current)[0]).content.decode()
    assert export_link not in board
    assert pdf_link in board  # the board paper (decision 0032)
