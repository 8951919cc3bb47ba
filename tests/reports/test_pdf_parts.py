"""The PDF's building blocks: SVG charts, conversation prompts, note selection, filters."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET  # parses only SVG that this project generated

import pytest

from ninefold.figures import signed_change as fig_signed
from reports import palette, pdf, svg
from reports.aggregation import EvidenceNote
from reports.prompts import GENERIC, PROMPTS, prompts_for
from reports.templatetags.pdf_report import name_list
from tests.factories import default_framework

NS = "{http://www.w3.org/2000/svg}"


def test_radar_draws_current_previous_and_range_in_the_dashboard_colours():
    drawn = svg.radar(
        list("ABC"),
        [3.0, 4.0, 2.0],
        names=["North", "East", "West"],
        low=[2.0, 3.0, 1.0],
        high=[4.0, 5.0, 3.0],
        previous=[2.5, 3.5, 2.5],
    )
    root = ET.fromstring(drawn)
    polygons = {p.get("stroke"): p for p in root.iter(f"{NS}polygon")}
    assert polygons[palette.CURRENT].get("stroke-dasharray") is None
    assert polygons[palette.PREVIOUS].get("stroke-dasharray")  # dashed
    band = next(root.iter(f"{NS}path"))
    assert band.get("fill") == palette.RANGE_LINE and band.get("fill-rule") == "evenodd"
    assert _texts(drawn)[-3:] == ["A. North", "B. East", "C. West"]


def test_radar_leaves_a_gap_for_a_missing_score_instead_of_drawing_zero():
    root = ET.fromstring(svg.radar(list("ABCD"), [3.0, None, 3.0, 3.0], names=["N", "E", "S", "W"]))
    current = [p for p in root.iter(f"{NS}polyline") if p.get("stroke") == palette.CURRENT]
    assert len(current) == 1 and len(current[0].get("points").split()) == 3
    assert sum(1 for c in root.iter(f"{NS}circle")) == 3


def test_legend_wraps_onto_rows_within_its_width_instead_of_growing():
    items = [
        ("current", "Spring 2026 partnership check-in"),
        ("previous", "Baseline 2025 first assessment"),
        ("range", "Range of partner scores"),
        ("current", "x" * 120),  # too long for a line of its own: shortened
    ]
    root = ET.fromstring(svg.legend(items, width=300))
    assert root.get("viewBox").split()[2] == "300" and root.get("width") == "300"
    rows = set()
    for text in root.iter(f"{NS}text"):
        right = float(text.get("x")) + svg.LEGEND_CHAR_WIDTH * len(text.text)
        assert right <= 300, text.text
        rows.add(text.get("y"))
    height = float(root.get("height"))
    assert len(rows) >= 3 and all(float(y) < height for y in rows)


def test_trend_puts_the_lowest_level_on_the_bottom_line_and_a_custom_scale_on_its_own():
    root = ET.fromstring(svg.trend(["Spring", "Autumn"], [("A", [1.0, 5.0])]))
    grid = [
        float(line.get("y1"))
        for line in root.iter(f"{NS}line")
        if line.get("stroke") == palette.GRID
    ]
    assert [float(c.get("cy")) for c in root.iter(f"{NS}circle")] == [max(grid), min(grid)]
    root = ET.fromstring(svg.trend(["Spring"], [("A", [2.0])], lowest=0, levels=3))
    assert [t.text for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"] == list("0123")


def test_chart_text_is_escaped():
    drawn = svg.trend(["<script>x</script>"], [("A&B", [1.0])])
    assert "<script>" not in drawn and "&lt;script&gt;" in drawn and "A&amp;B" in drawn
    ET.fromstring(drawn)  # well-formed


def test_distribution_prints_every_count_including_dont_know():
    root = ET.fromstring(
        svg.distribution(
            {1: 0, 2: 3, 3: 8}, {1: "Absent", 2: "Emerging", 3: "Developing"}, dont_know=2
        )
    )
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts == ["1 Absent", "0", "2 Emerging", "3", "3 Developing", "8", "Don't know", "2"]


@pytest.mark.django_db
def test_every_precondition_has_two_or_three_prompts_and_others_get_generic_ones():
    for code, name in default_framework().preconditions.values_list("code", "name"):
        assert 2 <= len(PROMPTS[code]) <= 3
        assert prompts_for(code, name) == PROMPTS[code]
    assert prompts_for("Z9", "Something else") == GENERIC
    assert prompts_for("A", "Housing first") == GENERIC


def _note(partner: str, score: int | None, text: str) -> EvidenceNote:
    return EvidenceNote("A", score, text, partner, "NHS", "Manager", dt.datetime(2026, 1, 1))


def test_note_selection_spans_levels_and_partners_and_skips_repeats():
    notes = [
        _note("One", 5, "Great."),
        _note("One", 5, "Also great."),
        _note("Two", 5, "great. "),
        _note("Three", 1, "Poor."),
        _note("Four", 3, "Mixed."),
        _note("Five", None, "No idea."),
    ]
    chosen = pdf._select_notes(notes, 4)
    assert [n.text for n in chosen] == ["Great.", "Mixed.", "Poor.", "No idea."]


def test_signed_figures_and_name_lists():
    assert fig_signed(0.04) == "0.0" and fig_signed(-0.04) == "0.0"
    assert fig_signed(-0.3) == "−0.3" and fig_signed(0.26) == "+0.3"
    assert fig_signed(None) == "–"
    assert name_list(["A"]) == "A" and name_list(["A", "B"]) == "A and B"
    assert name_list(list("ABCDE")) == "A, B, C and 2 more"


# --- names in full, and the dot strip (decision 0065) --------------------------------------


def _texts(svg_text: str) -> list[str]:
    """Each <text> of a drawing as one string, its wrapped lines (tspans) joined by spaces."""
    root = ET.fromstring(str(svg_text))
    return [
        " ".join(part.strip() for part in t.itertext() if part.strip())
        for t in root.iter(f"{NS}text")
    ]


NAMES = {
    "A": "Beneficiary impact over organisation focus",
    "B": "Citizen-centred: from concept to delivery",
    "C": "Issues are acknowledged as systemic and requiring collaboration",
}


def test_the_radar_names_each_axis_in_full_and_wraps_it():
    drawn = svg.radar(list(NAMES), [3.0, 2.0, 4.0], names=list(NAMES.values()), width=440)
    texts = _texts(drawn)
    for code, name in NAMES.items():
        assert f"{code}. {name}" in texts
    assert not any(t in NAMES for t in texts)  # never a letter alone
    root = ET.fromstring(drawn)
    longest = max(len(span.text) for span in root.iter(f"{NS}tspan"))
    assert longest <= 22  # wrapped


def test_the_lived_experience_chart_names_each_precondition_and_prints_the_values():
    drawn = svg.gap([("A. " + NAMES["A"], 2.0, 3.5), ("B. " + NAMES["B"], None, 3.0)])
    texts = _texts(drawn)
    assert "A. " + NAMES["A"] in texts and "B. " + NAMES["B"] in texts
    assert "2.0 / 3.5" in texts and "– / 3.0" in texts
    root = ET.fromstring(drawn)
    assert len(list(root.iter(f"{NS}circle"))) == 2  # 1 + the legend's


def test_the_trend_legend_names_each_series_in_full():
    drawn = svg.trend(
        ["Spring", "Autumn"],
        [(f"{code}. {name}", [2.0, 3.0]) for code, name in NAMES.items()],
    )
    texts = _texts(drawn)
    for code, name in NAMES.items():
        assert f"{code}. {name}" in texts


def test_the_dot_strip_draws_each_partner_the_pool_hollow_and_the_place_line():
    drawn = svg.dot_strip([(2.0, False), (2.0, False), (4.5, False), (3.0, True)], 2.9)
    root = ET.fromstring(drawn)
    circles = list(root.iter(f"{NS}circle"))
    assert len(circles) == 4
    assert [c.get("fill") for c in circles].count("#fff") == 1  # the pooled partners
    two = [c for c in circles if c.get("cx") == circles[0].get("cx")]
    assert len({c.get("cy") for c in two}) == 2  # equal scores stack, both visible
    lines = list(root.iter(f"{NS}line"))
    place = [ln for ln in lines if ln.get("stroke-width") == "1.6"]
    assert len(place) == 1
    # 2.9 on a 1-5 scale across 8..242: 8 + 234 * 1.9 / 4
    assert float(place[0].get("x1")) == pytest.approx(8 + 234 * 1.9 / 4, abs=0.01)
