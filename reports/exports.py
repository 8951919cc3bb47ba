"""Raw-data exports of a round: submitted ratings as CSV or XLSX, and the round summary as CSV.

- One row per respondent and precondition, submitted responses only (drafts never count).
- No names or emails unless the caller asks for them (views allow that to leads only).
- Any cell that a spreadsheet could take for a formula (=, +, -, @ first, after any leading
  spaces and control characters; or a tab or carriage return first: ``ninefold.text``) is
  prefixed with an apostrophe, so opening the file runs nothing.
- CSV is UTF-8 with a byte-order mark, which Excel needs to read accents correctly.
- A big round streams: memory stays flat whatever its size, and the CSV leaves in pieces of
  many rows. On PostgreSQL the database writes the CSV itself (``COPY … TO STDOUT``, with the
  neutralising done in SQL); elsewhere rows are read through the chunked cursor and written
  by Python's csv module. Both give the same bytes (decision 0120). The XLSX is written row
  by row into a zip that streams too (``reports.xlsx``, decision 0121).

The summary export takes every figure from ``reports.aggregation.round_summary``, cached.
"""

from __future__ import annotations

import csv
import functools
import io
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from assessments.models import Invitation, Perspective, Rating, Response, ResponseStatus, Round
from ninefold.text import FORMULA_CHARACTERS, FORMULA_STARTS, is_blank, is_formula_like
from places.models import Partner, Place, Sector
from preconditions.models import Precondition
from reports import aggregation, xlsx
from reports import cache as report_cache

BOM = "\ufeff"
DONT_KNOW = "don't know"
# Rows per piece handed to the server (and per database fetch on the Python path).
CHUNK_ROWS = 2000

RATING_COLUMNS = [
    "response",
    "partner",
    "sector",
    "perspective",
    "precondition code",
    "precondition",
    "score",
    "level",
    "evidence",
    "submitted at",
]
IDENTITY_COLUMNS = ["name", "email"]
# What each row is read from (the columns above, before labels and formatting).
RATING_FIELDS = [
    "response_id",
    "response__invitation__partner__name",
    "response__invitation__partner__sector",
    "response__invitation__perspective",
    "precondition__code",
    "precondition__name",
    "score",
    "evidence",
    "response__submitted_at",
]
IDENTITY_FIELDS = ["response__invitation__name", "response__invitation__email"]

SUMMARY_COLUMNS = [
    "code",
    "precondition",
    "group",
    "place score",
    "spread (SD)",
    "lowest partner score",
    "highest partner score",
    "partners scored",
    "people who scored",
    "don't know",
    *[f"level {n}" for n in range(1, 6)],
    "previous score",
    "change",
]


def neutralise(value: Any) -> Any:
    """Make a cell safe to open in a spreadsheet: text that could start a formula gets a '.

    Doing it twice changes nothing (a cell starting with ' is not formula-like)."""
    # A letter or digit first is the common case and is never formula-like: no further look.
    if isinstance(value, str) and value and not value[0].isalnum() and is_formula_like(value):
        return "'" + value
    return value


def export_filename(round_: Round, what: str, extension: str) -> str:
    place = slugify(round_.place.slug) or "place"
    name = slugify(round_.name) or f"round-{round_.pk}"
    return f"ninefold-{place}-{name}-{what}.{extension}"


def _local(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def rating_header(*, include_identity: bool) -> list[str]:
    return RATING_COLUMNS + (IDENTITY_COLUMNS if include_identity else [])


def _rating_queryset(round_: Round):
    return Rating.objects.filter(
        response__invitation__round=round_, response__status=ResponseStatus.SUBMITTED
    ).order_by(
        "response__invitation__partner__name",
        "response_id",
        "precondition__order",
        "precondition__code",
    )


def _moment(raw: datetime | str | None) -> datetime | None:
    """A timestamp as the database driver gave it (SQLite: naive, in the connection's time
    zone) as an aware datetime, as the ORM would have converted it."""
    if raw is None:
        return None
    moment = raw if isinstance(raw, datetime) else parse_datetime(raw)
    return timezone.make_aware(moment, connection.timezone) if timezone.is_naive(moment) else moment


def rating_rows(round_: Round, *, include_identity: bool = False) -> Iterator[list[Any]]:
    """One row per submitted rating, ordered by partner, response and precondition (1 query).

    Scores are numbers (or "don't know"); every text cell is already neutralised. Rows are
    fetched ``CHUNK_ROWS`` at a time through the database's chunked cursor (server-side on
    PostgreSQL), without the ORM's per-row conversions: the nine rows of a response share
    its partner, labels and submission time, which are worked out once.
    """
    fields = RATING_FIELDS + (IDENTITY_FIELDS if include_identity else [])
    labels = {
        value: neutralise(label)
        for value, label in round_.framework.scale.values_list("value", "label")
    }
    # Text that repeats (partners, preconditions, labels, times) is made safe once.
    sectors = {value: neutralise(label) for value, label in Sector.choices}
    perspectives = {value: neutralise(label) for value, label in Perspective.choices}
    safe: dict[Any, Any] = {}
    times: dict[Any, str] = {}
    queryset = _rating_queryset(round_).values_list(*fields)
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CHUNK_ROWS):
            for values in chunk:
                (response_id, partner, sector, perspective, code, name, score, evidence, at) = (
                    values[:9]
                )
                for text in (partner, code, name):
                    if text not in safe:
                        safe[text] = neutralise(text)
                if sector not in sectors:
                    sectors[sector] = neutralise(sector)
                if perspective not in perspectives:
                    perspectives[perspective] = neutralise(perspective)
                if at not in times:
                    if len(times) > CHUNK_ROWS:
                        times.clear()
                    times[at] = _local(_moment(at))
                row = [
                    response_id,
                    safe[partner],
                    sectors[sector],
                    perspectives[perspective],
                    safe[code],
                    safe[name],
                    score if score is not None else DONT_KNOW,
                    labels.get(score, "") if score is not None else "",
                    neutralise(evidence),
                    times[at],
                ]
                if include_identity:
                    row += [neutralise(text) for text in values[9:]]
                yield row


def csv_lines(
    header: list[str], rows: Iterable[list[Any]], *, neutralised: bool = False
) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM, every cell neutralised (here, unless the rows say they are),
    in pieces of ``CHUNK_ROWS`` rows: a big file reaches the socket in a few hundred writes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow([neutralise(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow(row if neutralised else [neutralise(cell) for cell in row])
        count += 1
        if count == CHUNK_ROWS:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            count = 0
    yield buffer.getvalue().encode("utf-8")


def ratings_csv(round_: Round, *, include_identity: bool = False) -> Iterator[bytes]:
    """The ratings as CSV: PostgreSQL writes it (``COPY``), other databases go through Python.

    Both give the same bytes (tests/reports/test_exports_fast.py); decision 0120.
    """
    if connection.vendor == "postgresql":
        return copy_csv(round_, include_identity=include_identity)
    return csv_lines(
        rating_header(include_identity=include_identity),
        rating_rows(round_, include_identity=include_identity),
        neutralised=True,
    )


# --------------------------------------------------------------------------------------------
# PostgreSQL: the CSV written by the database (COPY … TO STDOUT)
# --------------------------------------------------------------------------------------------


def _ranges(characters: Iterable[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for code in characters:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return ranges


def _escape(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


@functools.cache
def formula_pattern() -> str:
    """``is_formula_like`` as a PostgreSQL regular expression.

    The blank characters a spreadsheet skips are listed from Python's own Unicode tables, so
    the database decides exactly as ``ninefold.text.is_formula_like`` does. PostgreSQL text
    cannot hold U+0000, so the list starts at U+0001. Listing them means looking at every
    code point (about a second), so the pattern is kept in the shared cache for the release
    and in each process.
    """
    key = f"ninefold:formula-pattern:{report_cache.release()}:{unicodedata.unidata_version}"
    return cache.get_or_set(key, _build_formula_pattern, timeout=None)


def _build_formula_pattern() -> str:
    blanks = "".join(
        _escape(low) if low == high else f"{_escape(low)}-{_escape(high)}"
        for low, high in _ranges(
            code
            for code in range(1, sys.maxunicode + 1)
            if not 0xD800 <= code <= 0xDFFF and is_blank(chr(code))
        )
    )
    starts = "".join(_escape(ord(c)) for c in FORMULA_STARTS)
    formulas = "".join(_escape(ord(c)) for c in sorted(FORMULA_CHARACTERS))
    return f"^([{starts}]|[{blanks}]*[{formulas}])"


def _safe(column: str) -> str:
    """SQL for a text cell as ``neutralise`` makes it; empty text becomes NULL, which COPY
    writes as an empty unquoted field (an empty string would be written as "")."""
    return f"NULLIF(CASE WHEN {column} ~ %(formula)s THEN '''' || {column} ELSE {column} END, '')"


def _label_case(column: str, labels: dict[Any, str], name: str, params: dict) -> str:
    """A CASE mapping stored values to their labels, as parameters; other values stay."""
    whens = []
    for n, (value, label) in enumerate(labels.items()):
        params[f"{name}_v{n}"], params[f"{name}_l{n}"] = value, neutralise(label) or None
        whens.append(f"WHEN %({name}_v{n})s THEN %({name}_l{n})s")
    return f"CASE {column} {' '.join(whens)} ELSE {_safe(column)} END"


def copy_sql(round_: Round, *, include_identity: bool = False) -> tuple[str, dict]:
    """``COPY (…) TO STDOUT`` giving the rows of ``rating_rows``, every cell neutralised."""
    params: dict[str, Any] = {
        "formula": formula_pattern(),
        "round": round_.pk,
        "submitted": ResponseStatus.SUBMITTED.value,
        "dont_know": DONT_KNOW,
        "timezone": timezone.get_current_timezone_name(),
    }
    scale = dict(round_.framework.scale.values_list("value", "label"))
    columns = [
        "rating.response_id",
        _safe("partner.name"),
        _label_case("partner.sector", dict(Sector.choices), "sector", params),
        _label_case("invitation.perspective", dict(Perspective.choices), "perspective", params),
        _safe("precondition.code"),
        _safe("precondition.name"),
        "COALESCE(rating.score::text, %(dont_know)s)",
        _label_case("rating.score", scale, "level", params).replace(
            f"ELSE {_safe('rating.score')}", "ELSE NULL"
        ),
        _safe("rating.evidence"),
        "to_char(response.submitted_at AT TIME ZONE %(timezone)s, 'YYYY-MM-DD HH24:MI')",
    ]
    if include_identity:
        columns += [_safe("invitation.name"), _safe("invitation.email")]
    tables = {
        "rating": Rating._meta.db_table,
        "response": Response._meta.db_table,
        "invitation": Invitation._meta.db_table,
        "partner": Partner._meta.db_table,
        "precondition": Precondition._meta.db_table,
    }
    select = ",\n  ".join(columns)
    # Only table names from the models and expressions written here; every value is a parameter.
    sql = f"""COPY (
SELECT
  {select}
FROM {tables["rating"]} rating
JOIN {tables["response"]} response ON response.id = rating.response_id
JOIN {tables["invitation"]} invitation ON invitation.id = response.invitation_id
JOIN {tables["partner"]} partner ON partner.id = invitation.partner_id
JOIN {tables["precondition"]} precondition ON precondition.id = rating.precondition_id
WHERE invitation.round_id = %(round)s AND response.status = %(submitted)s
ORDER BY partner.name, rating.response_id, precondition."order", precondition.code
) TO STDOUT (FORMAT csv)"""  # noqa: S608
    return sql, params


def copy_csv(
    round_: Round, *, include_identity: bool = False, chunk_bytes: int = 256 * 1024
) -> Iterator[bytes]:
    """The ratings CSV as PostgreSQL writes it, handed on in pieces of about ``chunk_bytes``.

    COPY ends rows with a line feed; Python's csv module (and so the other databases) with
    a carriage return and line feed, which is put back here so the bytes are the same.
    """
    sql, params = copy_sql(round_, include_identity=include_identity)
    header = next(csv_lines(rating_header(include_identity=include_identity), []))
    buffer = bytearray(header)
    with connection.cursor() as cursor, cursor.copy(sql, params) as copy:
        for row in copy:
            buffer += row[:-1]
            buffer += b"\r\n"
            if len(buffer) >= chunk_bytes:
                yield bytes(buffer)
                buffer.clear()
    yield bytes(buffer)


# --------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------


def ratings_xlsx(round_: Round, *, include_identity: bool = False) -> Iterator[bytes]:
    """The same rows as the CSV in a "Ratings" worksheet, and an "About" sheet, streamed.

    Written by ``reports.xlsx`` (decision 0121): text stays text, never a formula, link or
    number, after the same neutralising as the CSV.
    """

    def ratings() -> Iterator[list[Any]]:
        yield rating_header(include_identity=include_identity)
        yield from rating_rows(round_, include_identity=include_identity)

    def about() -> Iterator[list[Any]]:
        yield ["Place", neutralise(round_.place.name)]
        yield ["Round", neutralise(round_.name)]
        yield ["Exported", _local(timezone.now())]
        yield ["Rows", "One per person and precondition; submitted answers only."]
        yield ["Source", neutralise(round_.framework.source_credit)]

    return xlsx.workbook([("Ratings", ratings()), ("About", about())])


def _figure(value: float | None) -> float | str:
    """A figure to one decimal as a number (so spreadsheets can sort it), or empty."""
    return round(value, 1) if value is not None else ""


def summary_rows(round_: Round, *, place: Place | None = None) -> Iterator[list[Any]]:
    """One row per precondition, every figure from ``round_summary`` (through the report
    cache: a repeat download reads nothing else), rounded to one decimal as everywhere in
    Ninefold. ``place`` is the round's place as the view loaded it, if it did."""
    summary = aggregation.cached_round_summary(round_, breakdowns=False, place=place)
    for p in summary.preconditions:
        yield [
            p.code,
            p.name,
            p.group_name,
            _figure(p.place_score),
            _figure(p.spread),
            _figure(p.min_score),
            _figure(p.max_score),
            p.partners_scored,
            p.respondents,
            p.dont_know,
            *[p.distribution.get(level, 0) for level in range(1, 6)],
            _figure(p.previous_score),
            _figure(p.change),
        ]


def summary_csv(round_: Round, *, place: Place | None = None) -> bytes:
    return b"".join(csv_lines(SUMMARY_COLUMNS, summary_rows(round_, place=place)))
