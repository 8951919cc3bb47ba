"""The fast exports write exactly what the exports wrote before them (decisions 0120, 0121).

``OldExport`` below is the earlier implementation, kept here as the reference: ORM rows one
at a time, every cell neutralised by ``is_formula_like``, Python's csv module one line at a
time, openpyxl for the XLSX. On SQLite this checks the Python path, on PostgreSQL (CI runs
both) the CSV written by ``COPY`` with the neutralising done in SQL.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assessments.models import Perspective, Rating, Response, ResponseStatus
from ninefold.text import is_blank, is_formula_like
from places.models import Sector
from reports import exports, xlsx
from tests.factories import PartnerFactory, PlaceFactory, RoundFactory
from tests.helpers import answer

HOSTILE = [
    '=HYPERLINK("http://evil.example/","click")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\tleading tab",
    "\rleading return",
    ' =HYPERLINK("http://evil.example","x")',
    "\n=1+1",
    "\u3000=1+1",
    "\u00a0+1",
    "\u2003\u2028-1",
    "\u200b=1",
    "＝1+1",
    "\U000e0001=tagged",
    "Plain note, with a comma and “quotes” — and an accent: café",
    'Two lines,\nand a "quote"\r\nand a return',
    "  spaces around  ",
    "page\x0cbreak\x1b and <b>markup</b> & more",
    "\\.",
    "1 + 1 = 2",
    "",
]


class OldExport:
    """The exports as they were before, for comparison only."""

    @staticmethod
    def neutralise(value):
        return "'" + value if isinstance(value, str) and is_formula_like(value) else value

    @staticmethod
    def local(moment):
        return "" if moment is None else timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")

    @classmethod
    def rows(cls, round_, include_identity):
        fields = exports.RATING_FIELDS + (exports.IDENTITY_FIELDS if include_identity else [])
        labels = dict(round_.framework.scale.values_list("value", "label"))
        sectors, perspectives = dict(Sector.choices), dict(Perspective.choices)
        queryset = (
            Rating.objects.filter(
                response__invitation__round=round_, response__status=ResponseStatus.SUBMITTED
            )
            .order_by(
                "response__invitation__partner__name",
                "response_id",
                "precondition__order",
                "precondition__code",
            )
            .values_list(*fields)
        )
        for values in queryset:
            response_id, partner, sector, perspective, code, name, score, evidence, at = values[:9]
            yield [
                response_id,
                partner,
                sectors.get(sector, sector),
                perspectives.get(perspective, perspective),
                code,
                name,
                score if score is not None else exports.DONT_KNOW,
                labels.get(score, "") if score is not None else "",
                evidence,
                cls.local(at),
                *values[9:],
            ]

    @classmethod
    def csv(cls, round_, include_identity):
        out = io.StringIO()
        writer = csv.writer(out)
        out.write(exports.BOM)
        writer.writerow(exports.rating_header(include_identity=include_identity))
        for row in cls.rows(round_, include_identity):
            writer.writerow([cls.neutralise(cell) for cell in row])
        return out.getvalue().encode("utf-8")

    @classmethod
    def xlsx(cls, round_, include_identity):
        def cell(value):
            value = cls.neutralise(value)
            return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Ratings")
        sheet.append(exports.rating_header(include_identity=include_identity))
        for row in cls.rows(round_, include_identity):
            sheet.append([cell(value) for value in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


@pytest.fixture
def round_(db):
    place = PlaceFactory(name="Tollbridge", slug="tollbridge")
    round_ = RoundFactory(place=place, name="Winter 2026")
    council = PartnerFactory(place=place, name="Tollbridge Council", sector=Sector.LOCAL_AUTHORITY)
    codes = "ABCDEFGHI"
    for n, start in enumerate(range(0, len(HOSTILE), 9)):
        notes = dict(zip(codes, HOSTILE[start : start + 9], strict=False))
        partner = PartnerFactory(place=place, name=["Ærø Trust", "Bay Housing", "Zed"][n % 3])
        scores = {code: (None if i == 7 else 1 + i % 5) for i, code in enumerate(codes)}
        first = answer(round_, partner, scores, evidence=notes)
        first.name, first.email = HOSTILE[start], f"person{n}@example.org"
        first.save()
    answer(round_, council, {"A": 2, "C": None}, perspective=Perspective.LIVED_EXPERIENCE)
    answer(round_, council, {"A": 5, "B": 5}, submitted=False)  # a draft never counts
    # Summer and winter times: the local time of day differs from UTC in one of them.
    for response, moment in zip(
        Response.objects.filter(status=ResponseStatus.SUBMITTED).order_by("pk"),
        [
            dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC),
            dt.datetime(2026, 1, 5, 9, 5, tzinfo=dt.UTC),
        ]
        * 3,
        strict=False,
    ):
        Response.objects.filter(pk=response.pk).update(submitted_at=moment)
    return round_


@pytest.mark.parametrize("include_identity", [False, True])
def test_the_ratings_csv_is_byte_for_byte_the_old_one(round_, include_identity):
    new = b"".join(exports.ratings_csv(round_, include_identity=include_identity))
    old = OldExport.csv(round_, include_identity)

    assert new == old
    rows = list(csv.reader(io.StringIO(old.decode("utf-8-sig"))))
    assert len(rows) == 1 + 3 * 9 + 2  # header, three people of nine answers, the council's two
    assert "2026-07-02 00:30" in old.decode() and "2026-01-05 09:05" in old.decode()


@pytest.mark.parametrize("include_identity", [False, True])
def test_the_ratings_xlsx_holds_the_old_cells(round_, include_identity):
    new = b"".join(exports.ratings_xlsx(round_, include_identity=include_identity))
    old = OldExport.xlsx(round_, include_identity)

    def cells(body: bytes) -> list[tuple]:
        sheet = load_workbook(io.BytesIO(body))["Ratings"]
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]

    assert cells(new) == cells(old)
    assert len(cells(new)) == 1 + 3 * 9 + 2
    about = dict(load_workbook(io.BytesIO(new))["About"].iter_rows(values_only=True))
    assert about["Place"] == "Tollbridge" and about["Round"] == "Winter 2026"


def test_the_csv_reaches_the_server_in_pieces_of_many_rows(round_, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_ROWS", 10)
    header = exports.rating_header(include_identity=False)
    pieces = list(exports.csv_lines(header, exports.rating_rows(round_), neutralised=True))
    assert len(pieces) == 3  # the header and 29 rows, in pieces of 10 rows
    assert b"".join(pieces) == OldExport.csv(round_, False)
    if connection.vendor == "postgresql":
        pieces = list(exports.copy_csv(round_, chunk_bytes=1500))
        assert len(pieces) > 2 and all(piece.endswith(b"\r\n") for piece in pieces)
        assert b"".join(pieces) == OldExport.csv(round_, False)


def test_the_sql_pattern_decides_as_is_formula_like():
    """The pattern PostgreSQL uses is built from the same Unicode tables: Python's re reads
    the same escapes, so it can be checked here on every blank character."""
    pattern = re.compile(exports.formula_pattern())
    blanks = [chr(c) for c in range(1, 0x110000) if not 0xD800 <= c <= 0xDFFF and is_blank(chr(c))]
    assert len(blanks) > 200
    samples = [*HOSTILE, *(b + "=1" for b in blanks), *(b + "x=1" for b in blanks), "x", "'=1"]
    for text in samples:
        assert bool(pattern.match(text)) == is_formula_like(text), repr(text)


def test_xlsx_text_is_never_a_formula_and_illegal_characters_go():
    body = b"".join(xlsx.workbook([("S", [["=1+1", "a\x0bb\ufffe", 3, None, "<&>"]])]))
    row = next(load_workbook(io.BytesIO(body))["S"].iter_rows(values_only=True))
    assert row == ("=1+1", "ab", 3, None, "<&>")
