"""The confidentiality rule as the aggregation module applies it (docs/confidentiality.md)."""

import pytest

from assessments.models import Confidentiality
from reports.aggregation import LEAD, SHARED, evidence_notes, lived_experience_gap, round_summary
from tests.reports.small_groups import BIG, MID, NOTE, PAIR, SMALL, SOLO, small_groups_round

pytestmark = pytest.mark.django_db

CONFIDENTIAL, NAMED = Confidentiality.CONFIDENTIAL, Confidentiality.NAMED


@pytest.fixture(autouse=True)
def _minimum(settings):
    settings.NINEFOLD_MIN_GROUP_SIZE = 3


def _names(summary) -> set[str]:
    """Every partner name a summary carries, anywhere."""
    names = {row.name for row in summary.partners}
    for p in summary.preconditions:
        names |= {s.name for s in p.partner_scores}
        names |= set(p.lowest_partners) | set(p.highest_partners)
    return names


def test_small_partners_are_pooled_and_never_named_highest_or_lowest():
    summary = round_summary(small_groups_round(confidentiality=CONFIDENTIAL))
    assert not _names(summary) & set(SMALL)
    assert str(summary.as_dict()).count(SOLO) == 0 and str(summary.as_dict()).count(PAIR) == 0
    rows = {row.name: row for row in summary.partners}
    pool = rows["Other partners (3 people from 2 organisations)"]
    assert pool.pooled and not pool.hidden and pool.partner_id is None
    assert pool.scores["A"] == pytest.approx(3.0)  # Solo 1, Pair 5: partners weigh the same
    assert summary.partners[-1] is pool  # not ranked among partners
    a = summary.precondition("A")
    # Place figures still include every partner.
    assert a.place_score == pytest.approx((4 + 3 + 1 + 5) / 4)
    assert (a.min_score, a.max_score, a.partners_scored) == (1.0, 5.0, 4)
    assert a.lowest_partners == ["another partner"] == a.highest_partners
    assert [s.name for s in a.partner_scores][-1].startswith("Other partners")


def test_the_same_round_named_or_seen_by_a_lead_shows_every_partner():
    named = round_summary(small_groups_round(confidentiality=NAMED))
    assert set(SMALL) <= _names(named)
    assert named.precondition("A").lowest_partners == [SOLO]
    lead = round_summary(small_groups_round(confidentiality=CONFIDENTIAL), audience=LEAD)
    assert set(SMALL) <= _names(lead) and lead.names_partners


def test_a_pool_under_the_minimum_takes_in_the_smallest_named_partner():
    # Solo alone (1 person) could be worked out from the place score and the named rows.
    round_ = small_groups_round(confidentiality=CONFIDENTIAL, partners=(BIG, MID, SOLO))
    summary = round_summary(round_)
    assert [row.name for row in summary.partners] == [
        BIG,
        "Other partners (4 people from 2 organisations)",
    ]
    assert summary.partners[-1].scores["A"] == pytest.approx(2.0)  # Mid 3, Solo 1
    assert not _names(summary) & {SOLO, MID}


def test_a_pool_of_everyone_still_under_the_minimum_shows_no_figures():
    round_ = small_groups_round(confidentiality=CONFIDENTIAL, partners=(SOLO,))
    summary = round_summary(round_)
    [row] = summary.partners
    assert row.hidden and row.name == "Other partners (1 person from 1 organisation)"
    assert set(row.scores.values()) == {None}
    assert summary.precondition("A").partner_scores[0].score is None
    assert summary.precondition("A").lowest_partners == ["another partner"]


def test_sector_breakdown_pools_small_sectors_and_sectors_holding_a_pooled_partner():
    summary = round_summary(small_groups_round(confidentiality=CONFIDENTIAL))
    sectors = {g.key: g for g in summary.breakdowns[0].groups}
    # Education (1) and Housing (2) are pooled; together 3 people, shown.
    assert set(sectors) == {"local_authority", "nhs", "other"}
    assert sectors["other"].label == "Other sectors (3 people from 2 sectors)"
    assert sectors["other"].scores["A"] == pytest.approx(3.0)
    # A sector of 3+ that holds a pooled partner joins the pool too: NHS 3 with Solo would
    # give Solo away next to the named Fen Valley Trust row.
    round_ = small_groups_round(confidentiality=CONFIDENTIAL)
    round_.place.partners.filter(name=SOLO).update(sector="nhs")
    sectors = {g.key: g for g in round_summary(round_).breakdowns[0].groups}
    assert "nhs" not in sectors and "local_authority" in sectors


def test_perspective_groups_of_one_and_two_are_pooled_and_lived_experience_is_hidden():
    round_ = small_groups_round(confidentiality=CONFIDENTIAL)
    perspectives = {g.key: g for g in round_summary(round_).breakdowns[1].groups}
    # Managers 3 shown; frontline 2, senior leaders 2, lived experience 2, commissioner 1.
    assert set(perspectives) == {"manager", "other"}
    assert perspectives["other"].label == "Other perspectives (7 people from 4 perspectives)"
    assert not perspectives["other"].hidden
    gap = lived_experience_gap(round_)
    assert gap.hidden and gap.items == [] and gap.lived_respondents == 2


def test_a_pooled_breakdown_row_under_the_minimum_takes_in_the_smallest_group():
    # Big 4 (managers 2, frontline 2) and Solo 1 (commissioner): the commissioner alone
    # would be the total minus the others, so the smallest shown group joins it.
    round_ = small_groups_round(confidentiality=NAMED, partners=(BIG, SOLO))
    breakdown = round_summary(round_).breakdowns[1]
    assert [g.key for g in breakdown.groups] == ["other"]
    assert breakdown.groups[0].respondents == 5 and not breakdown.groups[0].hidden


def test_notes_are_attributed_only_to_what_is_safe():
    round_ = small_groups_round(confidentiality=CONFIDENTIAL)
    by_text = {n.text: n for n in evidence_notes(round_, code="A")}
    big = by_text[f"{NOTE[BIG]} (1)."]
    assert big.source == f"{BIG} (Local authority)" and big.perspective_label == ""  # 2 managers
    for small in (SOLO, PAIR):
        # Education 1 and Housing 2 are under the minimum: no partner, no sector.
        assert by_text[f"{NOTE[small]} (1)."].source == "A partner organisation"
    # The perspective only where at least 3 people of the round share it: the one
    # commissioner no, Pair's manager (one of 3 managers) yes.
    assert by_text[f"{NOTE[SOLO]} (1)."].perspective_label == ""
    assert by_text[f"{NOTE[PAIR]} (1)."].perspective_label == "Manager"
    assert SOLO not in repr(by_text) and PAIR not in repr(by_text)
    # Filtering by a pooled partner would attribute its notes: it gives none.
    solo = round_.place.partners.get(name=SOLO)
    assert evidence_notes(round_, partner_id=solo.pk) == []
    assert evidence_notes(round_, partner_id=solo.pk, audience=LEAD) != []


def test_a_note_from_a_pooled_partner_names_its_sector_when_that_is_big_enough():
    round_ = small_groups_round(confidentiality=CONFIDENTIAL, partners=(BIG, MID, SOLO))
    round_.place.partners.filter(name=SOLO).update(sector="nhs")  # NHS now 4 people
    note = next(n for n in evidence_notes(round_, code="A") if n.text.startswith(NOTE[SOLO]))
    assert note.source == "A partner organisation (NHS)"


def test_the_default_audience_is_the_safe_one():
    round_ = small_groups_round(confidentiality=CONFIDENTIAL)
    assert round_summary(round_) == round_summary(round_, audience=SHARED)
    assert not round_summary(round_).names_partners
