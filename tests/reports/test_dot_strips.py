"""The dashboard's server-drawn charts: dot strips of partner views, the lived-experience
strips and the heatmap shaded by each partner's difference from the place view (decisions
0055 and 0056). Every value they draw comes from reports.aggregation for the viewer's
audience."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape

from assessments.models import Confidentiality, Perspective
from ninefold import figures
from reports import charts, palette
from reports.aggregation import LEAD, lived_experience_gap, round_summary
from reports.views.dashboard import heat_cell
from tests.factories import MembershipFactory, PartnerFactory, RoundFactory
from tests.helpers import answer
from tests.reports.small_groups import BIG, MID, PAIR, SMALL, SOLO, small_groups_round

pytestmark = pytest.mark.django_db

CONFIDENTIAL = Confidentiality.CONFIDENTIAL


@pytest.fixture(autouse=True)
def _minimum(settings):
    settings.NINEFOLD_MIN_GROUP_SIZE = 3


def drawn(strip) -> str:
    return render_to_string("reports/_dot_strip.html", {"strip": strip})


def test_each_partner_is_a_dot_and_the_place_view_a_line():
    round_ = RoundFactory(confidentiality=Confidentiality.NAMED)
    for name, score in (("Alpha", 1), ("Beta", 3), ("Gamma", 5)):
        answer(round_, PartnerFactory(place=round_.place, name=name), {"A": score})
    item = round_summary(round_).precondition("A")
    strip = charts.dot_strip(item, min_group_size=3)
    svg = drawn(strip)
    assert svg.count('class="strip-dot"') == 3 and "strip-pool" not in svg
    # 1 and 5 sit at the padded ends, the place view (3.0) in the middle.
    xs = sorted(m["x"] for m in strip["markers"])
    assert xs == [charts.STRIP_PAD, 50.0, 100 - charts.STRIP_PAD]
    assert strip["line"]["x"] == 50.0 and 'x1="50.0%"' in svg
    assert "place view 3.0" in svg
    # The text alternative gives every value, lowest first, and the words for the spread.
    assert "Alpha: 1.0; Beta: 3.0; Gamma: 5.0" in strip["label"]
    assert "Partners views differ widely" in strip["label"]
    assert 'role="img"' in svg and "Alpha: 1.0" in svg


def test_dots_at_the_same_score_are_drawn_one_above_the_other():
    round_ = RoundFactory(confidentiality=Confidentiality.NAMED)
    for name in ("Alpha", "Beta"):
        answer(round_, PartnerFactory(place=round_.place, name=name), {"A": 4})
    answer(round_, PartnerFactory(place=round_.place, name="Gamma"), {"A": 1})
    strip = charts.dot_strip(round_summary(round_).precondition("A"), min_group_size=3)
    at_four = [m for m in strip["markers"] if m["score"] == 4.0]
    assert len({m["y"] for m in at_four}) == 2
    assert (
        strip["height"]
        > charts.dot_strip(round_summary(round_).precondition("B"), min_group_size=3)["height"]
    )


def test_pooled_partners_are_one_square_and_never_named():
    summary = round_summary(small_groups_round(confidentiality=CONFIDENTIAL))
    strip = charts.dot_strip(summary.precondition("A"), min_group_size=3)
    svg = drawn(strip)
    assert svg.count('class="strip-dot"') == 2  # Big and Mid by name
    assert svg.count('class="strip-pool"') == 1
    assert "Other partners (3 people from 2 organisations): 3.0" in svg
    assert BIG in svg and MID in svg
    assert not any(name in svg or name in strip["label"] for name in SMALL)


def test_a_lead_sees_every_partner_as_its_own_dot():
    summary = round_summary(small_groups_round(confidentiality=CONFIDENTIAL), audience=LEAD)
    svg = drawn(charts.dot_strip(summary.precondition("A"), min_group_size=3))
    assert svg.count('class="strip-dot"') == 4 and "strip-pool" not in svg
    assert SOLO in svg and PAIR in svg


def test_a_hidden_pool_has_no_dot_and_the_text_says_why():
    summary = round_summary(small_groups_round(confidentiality=CONFIDENTIAL, partners=(SOLO,)))
    strip = charts.dot_strip(summary.precondition("A"), min_group_size=3)
    svg = drawn(strip)
    assert "strip-dot" not in svg and "strip-pool" not in svg
    assert strip["markers"] == []
    assert "not shown, fewer than 3 people" in strip["hidden_note"]
    assert SOLO not in svg and SOLO not in strip["label"]


def test_lived_experience_strips_draw_a_circle_and_a_square_joined():
    round_ = RoundFactory(confidentiality=Confidentiality.NAMED)
    partner = PartnerFactory(place=round_.place)
    for _ in range(3):
        answer(round_, partner, {"A": 2, "B": 4}, perspective=Perspective.LIVED_EXPERIENCE)
        answer(round_, partner, {"A": 4, "B": 4})
    rows = charts.gap_strips(lived_experience_gap(round_))
    assert [row["item"].code for row in rows] == ["A", "B"]
    svg = drawn(rows[0]["strip"])
    assert svg.count('class="strip-lived"') == 1 and svg.count('class="strip-org"') == 1
    assert svg.count('class="strip-join"') == 1
    assert "People with lived experience: 2.0" in svg and "Organisations: 4.0" in svg


def test_a_hidden_lived_experience_comparison_draws_nothing():
    round_ = RoundFactory(confidentiality=Confidentiality.NAMED)
    answer(round_, PartnerFactory(place=round_.place), {"A": 2}, perspective="lived_experience")
    assert charts.gap_strips(lived_experience_gap(round_)) == []


@pytest.mark.parametrize(
    ("first", "kind", "shown"),
    [
        (5, "much-higher", "+1.0"),
        (4, "higher", "+0.5"),
        (3, "near", "0.0"),
        (2, "lower", "\u22120.5"),
        (1, "much-lower", "\u22121.0"),
    ],
)
def test_heatmap_cells_are_shaded_by_the_difference_from_the_place_view(first, kind, shown):
    # Two partners, one at 3: the place score is their mean, so First's difference from it
    # is half the distance between them.
    round_ = RoundFactory(confidentiality=Confidentiality.NAMED)
    answer(round_, PartnerFactory(place=round_.place, name="First"), {"A": first})
    answer(round_, PartnerFactory(place=round_.place, name="Second"), {"A": 3})
    summary = round_summary(round_)
    row = next(r for r in summary.partners if r.name == "First")
    assert row.differences["A"] == pytest.approx((first - 3) / 2)
    assert row.differences["B"] is None  # nobody scored B
    assert heat_cell(row, "A") == (
        f"{first:.1f}",
        shown,
        f"diff-{kind}",
        figures.difference_words(row.differences["A"]),
    )
    assert heat_cell(row, "B")[1:3] == ("", "diff-none")


def test_the_pooled_row_is_shaded_against_the_place_view_and_a_hidden_one_not_at_all():
    summary = round_summary(small_groups_round(confidentiality=CONFIDENTIAL))
    pool = summary.partners[-1]
    assert pool.pooled
    # Pool 3.0 (Solo 1, Pair 5); place 3.25 (Big 4, Mid 3, Solo 1, Pair 5).
    assert pool.differences["A"] == pytest.approx(-0.25)
    assert heat_cell(pool, "A")[2] == "diff-near"
    hidden = round_summary(small_groups_round(confidentiality=CONFIDENTIAL, partners=(SOLO,)))
    assert set(hidden.partners[0].differences.values()) == {None}


def test_the_dashboard_names_every_precondition_in_full_and_never_by_a_lone_letter(client):
    round_ = RoundFactory(confidentiality=Confidentiality.NAMED)
    for name, score in (("Alpha", 2), ("Beta", 4)):
        answer(
            round_, PartnerFactory(place=round_.place, name=name), dict.fromkeys("ABCDEFGHI", score)
        )
    member = MembershipFactory(place=round_.place).user
    client.force_login(member)
    html = client.get(f"/places/{round_.place.slug}/rounds/{round_.pk}/dashboard/").content.decode()
    for item in round_summary(round_).preconditions:
        # In the conversation lists or the nine's strips, the heatmap's header and the table.
        assert html.count(f">{escape(item.name)}</") >= 2, item.name
    # No header, chart label or key entry is a letter on its own.
    assert not re.search(r"<(th|text|abbr|dt)[^>]*>\s*[A-I]\s*</\1>", html)
    assert "radar" not in html and "plotly" not in html
    # A dot per partner in each of the nine's strips and the 3 + 3 conversation starters.
    assert html.count("<title>Alpha: 2.0</title>") == 9 + 6
    assert html.count("<title>Beta: 4.0</title>") == 9 + 6
    heat = html[html.index('aria-label="Partner scores by precondition') :]
    assert 'class="scroll-x heat-scroll" tabindex="0" role="region"' in html
    assert heat.count("diff-much-lower") == 9 and heat.count("diff-much-higher") == 9


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_heatmap_shades_are_the_palettes_and_keep_dark_text_readable():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "charts.css").read_text(encoding="utf-8")
    ink = _luminance("#1d1d1b")
    for kind, shade in palette.DIFFERENCE.items():
        rule = re.search(rf"\.diff-{kind} \{{ background: (#[0-9a-f]{{6}})", css)
        assert rule and rule.group(1) == shade, kind
        assert (_luminance(shade) + 0.05) / (ink + 0.05) >= 4.5, kind
    # Diverging: the two sides differ in hue, not only in how dark they are.
    lower, higher = palette.DIFFERENCE["much-lower"], palette.DIFFERENCE["much-higher"]
    assert int(lower[1:3], 16) > int(lower[5:7], 16)  # orange: more red than blue
    assert int(higher[5:7], 16) > int(higher[1:3], 16)  # blue: more blue than red
