"""The aggregation rules of docs/aggregation.md, checked against figures worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assessments.models import Confidentiality, Perspective, RoundState
from places.models import Sector
from preconditions.models import Framework
from reports.aggregation import LEAD, evidence_notes, fmt, place_trend, round_summary
from tests.factories import PartnerFactory, PlaceFactory, RoundFactory
from tests.helpers import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    # Named organisations: these tests pin partner-level figures at any size. What a
    # confidential round shows is pinned in test_confidentiality.py.
    return RoundFactory(place=PlaceFactory(), confidentiality=Confidentiality.NAMED)


def test_place_score_weighs_partners_equally_whatever_their_respondents(round_):
    big = PartnerFactory(place=round_.place, name="Big")
    small = PartnerFactory(place=round_.place, name="Small")
    for _ in range(3):
        answer(round_, big, {"A": 4})
    answer(round_, small, {"A": 1})

    a = round_summary(round_).precondition("A")

    # partner scores 4.0 and 1.0; place = (4 + 1) / 2 = 2.5, not (4+4+4+1)/4 = 3.25
    assert a.place_score == pytest.approx(2.5)
    assert a.spread == pytest.approx(1.5)  # population SD of [4, 1]
    assert (a.min_score, a.max_score) == (1.0, 4.0)
    assert a.lowest_partners == ["Small"] and a.highest_partners == ["Big"]
    assert a.respondents == 4
    assert a.distribution == {1: 1, 2: 0, 3: 0, 4: 3, 5: 0}


def test_partner_score_is_mean_of_its_respondents(round_):
    partner = PartnerFactory(place=round_.place)
    answer(round_, partner, {"C": 2})
    answer(round_, partner, {"C": 5})
    c = round_summary(round_).precondition("C")
    assert c.partner_scores[0].score == pytest.approx(3.5)
    assert c.place_score == pytest.approx(3.5)
    assert c.spread == 0.0


def test_dont_know_is_counted_never_averaged(round_):
    one = PartnerFactory(place=round_.place, name="One")
    two = PartnerFactory(place=round_.place, name="Two")
    answer(round_, one, {"B": 3})
    answer(round_, one, {"B": None})
    answer(round_, two, {"B": None})

    b = round_summary(round_).precondition("B")

    assert b.place_score == pytest.approx(3.0)  # partner Two has no score at all
    assert b.partners_scored == 1
    assert b.respondents == 1 and b.dont_know == 2
    assert sum(b.distribution.values()) == 1


def test_drafts_never_count(round_):
    partner = PartnerFactory(place=round_.place)
    answer(round_, partner, {"D": 2})
    answer(round_, partner, {"D": 5}, submitted=False)

    summary = round_summary(round_)

    assert summary.precondition("D").place_score == pytest.approx(2.0)
    assert summary.response_rate.people_submitted == 1
    assert summary.response_rate.people_draft == 1
    assert summary.response_rate.people_invited == 2


def test_archived_partner_keeps_its_past_answers(round_):
    partner = PartnerFactory(place=round_.place, name="Closed charity")
    answer(round_, partner, {"E": 4})
    partner.archived_at = timezone.now()
    partner.save()

    e = round_summary(round_).precondition("E")
    assert e.place_score == pytest.approx(4.0)
    assert e.partner_scores[0].archived is True


def test_single_partner_has_zero_spread_and_no_disagreement(round_):
    answer(round_, PartnerFactory(place=round_.place), {"F": 3})
    summary = round_summary(round_)
    assert summary.precondition("F").spread == 0.0
    assert summary.most_disputed() == []  # one partner cannot disagree with itself


def test_empty_round_has_no_figures_and_no_errors(round_):
    summary = round_summary(round_)
    assert not summary.has_answers
    assert [p.place_score for p in summary.preconditions] == [None] * 9
    assert [g.score for g in summary.groups] == [None, None]
    assert summary.response_rate.people_ratio is None
    assert fmt(summary.precondition("A").place_score) == "–"


def test_group_scores_are_means_of_place_scores(round_):
    partner = PartnerFactory(place=round_.place)
    answer(round_, partner, {"A": 1, "B": 2, "C": 3, "D": 5, "E": 4, "I": 2})
    groups = {g.code: g for g in round_summary(round_).groups}
    assert groups["vision"].score == pytest.approx((1 + 2 + 3 + 5) / 4)
    assert groups["behaviours"].score == pytest.approx((4 + 2) / 2)
    assert groups["vision"].codes == list("ABCD")


def test_change_is_against_the_previous_closed_round_only():
    place = PlaceFactory()
    partner = PartnerFactory(place=place)
    today = dt.date(2026, 6, 1)
    older = RoundFactory(
        place=place,
        state=RoundState.CLOSED,
        opens_on=today.replace(month=1),
        closes_on=today.replace(month=2),
    )
    previous = RoundFactory(
        place=place,
        state=RoundState.CLOSED,
        opens_on=today.replace(month=3),
        closes_on=today.replace(month=4),
    )
    still_open = RoundFactory(
        place=place,
        state=RoundState.OPEN,
        opens_on=today.replace(month=4),
        closes_on=today.replace(month=7),
    )
    current = RoundFactory(
        place=place, state=RoundState.OPEN, opens_on=today, closes_on=today.replace(month=8)
    )
    answer(older, partner, {"G": 1})
    answer(previous, partner, {"G": 2})
    answer(still_open, partner, {"G": 5})
    answer(current, partner, {"G": 4})

    summary = round_summary(current)
    g = summary.precondition("G")
    assert summary.previous_round_id == previous.pk
    assert g.previous_score == pytest.approx(2.0)
    assert g.change == pytest.approx(2.0)
    assert fmt(g.change, signed=True) == "+2.0"
    assert round_summary(older).precondition("G").change is None


def test_breakdown_pools_groups_below_the_minimum_size(round_, settings):
    settings.NINEFOLD_MIN_GROUP_SIZE = 3
    nhs = PartnerFactory(place=round_.place, sector=Sector.NHS)
    police = PartnerFactory(place=round_.place, sector=Sector.POLICE_JUSTICE)
    housing = PartnerFactory(place=round_.place, sector=Sector.HOUSING)
    for score in (2, 3, 4):
        answer(round_, nhs, {"H": score}, perspective=Perspective.FRONTLINE)
    answer(round_, police, {"H": 5}, perspective=Perspective.SENIOR_LEADER)
    answer(round_, police, {"H": 1}, perspective=Perspective.FRONTLINE)
    for _ in range(3):
        answer(round_, housing, {"H": 5}, perspective=Perspective.MANAGER)
    answer(round_, housing, {"H": 5}, perspective=Perspective.COMMISSIONER)

    summary = round_summary(round_)
    sector = {g.key: g for g in summary.breakdowns[0].groups}
    # Police (2 people) alone would be hidden but computable from the others and the place
    # score, so the smallest shown sector (NHS, 3) joins it in "Other sectors".
    assert set(sector) == {"housing", "other"}
    assert sector["housing"].scores["H"] == pytest.approx(5.0)
    assert sector["other"].respondents == 5 and not sector["other"].hidden
    assert sector["other"].scores["H"] == pytest.approx(3.0)  # NHS 3.0, police 3.0
    assert summary.breakdowns[0].hidden_count == 2

    perspective = {g.key: g for g in summary.breakdowns[1].groups}
    assert set(perspective) == {"frontline", "other"}
    assert perspective["frontline"].respondents == 4 and not perspective["frontline"].hidden
    # partners weigh the same: NHS frontline mean 3.0, police frontline 1.0 -> 2.0
    assert perspective["frontline"].scores["H"] == pytest.approx(2.0)
    # senior leader (1) and commissioner (1) take in the managers (3): police 5.0, housing 5.0
    assert perspective["other"].respondents == 5
    assert perspective["other"].scores["H"] == pytest.approx(5.0)


def test_evidence_is_attributed_to_partner_and_perspective_not_person(round_):
    partner = PartnerFactory(place=round_.place, name="Riverside Trust")
    invitation = answer(
        round_,
        partner,
        {"A": 2},
        evidence={"A": "We saw referrals bounce."},
        perspective=Perspective.FRONTLINE,
    )
    answer(round_, partner, {"A": 4}, submitted=False, evidence={"A": "Draft note, not shown"})
    notes = evidence_notes(round_, code="A", audience=LEAD)
    assert [(n.text, n.partner, n.perspective_label) for n in notes] == [
        ("We saw referrals bounce.", "Riverside Trust", "Frontline worker")
    ]
    # Beyond the leads, a named round still gives the perspective only where at least the
    # minimum of that partner's people share it: here it would point at one person.
    shared = evidence_notes(round_, code="A")
    assert [(n.partner, n.perspective_label) for n in shared] == [("Riverside Trust", "")]
    assert invitation.name not in repr(notes) and invitation.email not in repr(notes)
    assert evidence_notes(round_, code="A", score=4) == []


def test_trend_lists_rounds_oldest_first_with_group_scores():
    place = PlaceFactory()
    partner = PartnerFactory(place=place)
    first = RoundFactory(
        place=place,
        state=RoundState.CLOSED,
        opens_on=dt.date(2025, 1, 1),
        closes_on=dt.date(2025, 2, 1),
    )
    second = RoundFactory(
        place=place,
        state=RoundState.OPEN,
        opens_on=dt.date(2025, 6, 1),
        closes_on=dt.date(2025, 7, 1),
    )
    RoundFactory(
        place=place,
        state=RoundState.DRAFT,
        opens_on=dt.date(2025, 9, 1),
        closes_on=dt.date(2025, 10, 1),
    )
    answer(first, partner, {"A": 2, "E": 3})
    answer(second, partner, {"A": 4, "E": 5})
    trend = place_trend(place.pk)
    assert [p.round_name for p in trend.points] == [first.name, second.name]
    assert trend.points[1].scores["A"] == pytest.approx(4.0)
    assert trend.points[0].groups == {"vision": 2.0, "behaviours": 3.0}


def test_round_summary_query_count_does_not_grow_with_size(django_assert_num_queries):
    place = PlaceFactory()
    small = RoundFactory(place=place)
    big = RoundFactory(place=place)
    lone = PartnerFactory(place=place)
    for _ in range(3):
        answer(small, lone, {"A": 3}, perspective=Perspective.COMMISSIONER)
    for i in range(6):
        partner = PartnerFactory(place=place)
        for _ in range(3):
            answer(
                big,
                partner,
                dict.fromkeys("ABCDEFGHI", i % 5 + 1),
                perspective=Perspective.COMMISSIONER,
            )
    small = type(small).objects.select_related("place", "framework").get(pk=small.pk)
    big = type(big).objects.select_related("place", "framework").get(pk=big.pk)
    # 13 queries with a visible perspective group and no previous closed round, the last
    # the lived-experience gap's counts (hidden here, so no more)
    with django_assert_num_queries(13):
        round_summary(small)
    with django_assert_num_queries(13):
        round_summary(big)


def test_summary_is_json_ready(round_):
    import json

    answer(round_, PartnerFactory(place=round_.place), {"A": 3})
    data = round_summary(round_).as_dict()
    text = json.dumps(data)
    assert data["preconditions"][0]["distribution"]["3"] == 1
    assert "readiness" not in text.lower()


def test_works_for_any_framework_version(round_):
    from preconditions.services import framework_new_version

    copy = framework_new_version(framework=Framework.objects.get(is_default=True))
    other = RoundFactory(place=round_.place, framework=copy)
    answer(other, PartnerFactory(place=round_.place), {"I": 5})
    assert round_summary(other).precondition("I").place_score == 5.0


def test_the_place_score_is_one_function_for_the_round_its_change_and_the_trend(monkeypatch):
    """Weighted the same way in all three: partners 4.0 (three people) and 1.0 (one) give
    2.5, not 3.25; a partner of only "don't know" is left out. Then the one function is
    swapped, and all three figures follow it."""
    from reports import aggregation

    place = PlaceFactory()
    big, small, unsure = (PartnerFactory(place=place, name=n) for n in ("Big", "Small", "Unsure"))
    before = RoundFactory(
        place=place,
        state=RoundState.CLOSED,
        opens_on=dt.date(2025, 1, 1),
        closes_on=dt.date(2025, 2, 1),
    )
    now = RoundFactory(
        place=place,
        state=RoundState.OPEN,
        opens_on=dt.date(2025, 6, 1),
        closes_on=dt.date(2025, 7, 1),
    )
    for round_, low in ((before, 1), (now, 2)):
        for _ in range(3):
            answer(round_, big, {"A": 4})
        answer(round_, small, {"A": low})
        answer(round_, unsure, {"A": None})

    a = round_summary(now).precondition("A")
    trend = place_trend(place.pk)
    assert (a.previous_score, a.place_score) == (pytest.approx(2.5), pytest.approx(3.0))
    assert [p.scores["A"] for p in trend.points] == [pytest.approx(2.5), pytest.approx(3.0)]

    monkeypatch.setattr(aggregation, "place_score_of", lambda scores: 9.0)
    a = round_summary(now).precondition("A")
    assert (a.previous_score, a.place_score) == (9.0, 9.0)
    assert [p.scores["A"] for p in place_trend(place.pk).points] == [9.0, 9.0]
