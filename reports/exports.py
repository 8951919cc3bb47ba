"""Raw-data exports of a round: submitted ratings as CSV or XLSX, and the round summary as CSV.

- One row per respondent and precondition, submitted responses only (drafts never count).
- No names or emails unless the caller asks for them (views allow that to leads only).
- Any cell that a spreadsheet could take for a formula (=, +, -, @ first, after any leading
  spaces and control characters; or a tab or carriage return first: ``ninefold.text``) is
  prefixed with an apostrophe, so opening the file runs nothing.
- CSV is UTF-8 with a byte-order mark, which Excel needs to read accents correctly.
- Ratings are read with ``.iterator()`` and CSV is written row by row, so a big round
  streams instead of being held in memory.

The summary export takes every figure from ``reports.aggregation.round_summary``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from assessments.models import Perspective, Rating, ResponseStatus, Round
from ninefold.text import is_formula_like
from places.models import Sector
from reports import aggregation

BOM = "\ufeff"
DONT_KNOW = "don't know"

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
    """Make a cell safe to open in a spreadsheet: text that could start a formula gets a '."""
    if isinstance(value, str) and is_formula_like(value):
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


def rating_rows(round_: Round, *, include_identity: bool = False) -> Iterator[list[Any]]:
    """One row per submitted rating, ordered by partner, response and precondition (1 query).

    Values are raw (score as int, or "don't know"); callers neutralise text cells.
    """
    fields = [
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
    if include_identity:
        fields += ["response__invitation__name", "response__invitation__email"]
    labels = dict(round_.framework.scale.values_list("value", "label"))
    sectors = dict(Sector.choices)
    perspectives = dict(Perspective.choices)
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
    for values in queryset.iterator(chunk_size=2000):
        (response_id, partner, sector, perspective, code, name, score, evidence, submitted) = (
            values[:9]
        )
        row = [
            response_id,
            partner,
            sectors.get(sector, sector),
            perspectives.get(perspective, perspective),
            code,
            name,
            score if score is not None else DONT_KNOW,
            labels.get(score, "") if score is not None else "",
            evidence,
            _local(submitted),
        ]
        if include_identity:
            row += list(values[9:])
        yield row


class _Echo:
    """A file-like object whose write returns what was written, for streaming csv."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM, one encoded line at a time, every cell neutralised."""
    writer = csv.writer(_Echo())
    yield (BOM + writer.writerow([neutralise(h) for h in header])).encode("utf-8")
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row]).encode("utf-8")


def ratings_csv(round_: Round, *, include_identity: bool = False) -> Iterator[bytes]:
    return csv_lines(
        rating_header(include_identity=include_identity),
        rating_rows(round_, include_identity=include_identity),
    )


def ratings_xlsx(round_: Round, *, include_identity: bool = False) -> bytes:
    """The same rows as the CSV in one worksheet, written in openpyxl's streaming mode."""
    from openpyxl import Workbook  # noqa: PLC0415 - only the export needs it
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cell(value: Any) -> Any:
        # XML cannot hold most control characters; openpyxl refuses them, so a pasted
        # form feed in a note would otherwise break the whole export.
        value = neutralise(value)
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Ratings")
    sheet.append(rating_header(include_identity=include_identity))
    for row in rating_rows(round_, include_identity=include_identity):
        sheet.append([cell(value) for value in row])
    about = workbook.create_sheet("About")
    about.append(["Place", cell(round_.place.name)])
    about.append(["Round", cell(round_.name)])
    about.append(["Exported", _local(timezone.now())])
    about.append(["Rows", "One per person and precondition; submitted answers only."])
    about.append(["Source", cell(round_.framework.source_credit)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _figure(value: float | None) -> float | str:
    """A figure to one decimal as a number (so spreadsheets can sort it), or empty."""
    return round(value, 1) if value is not None else ""


def summary_rows(round_: Round) -> Iterator[list[Any]]:
    """One row per precondition, every figure from ``round_summary``, rounded to one decimal
    as everywhere in Ninefold."""
    summary = aggregation.round_summary(round_, breakdowns=False)
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


def summary_csv(round_: Round) -> bytes:
    return b"".join(csv_lines(SUMMARY_COLUMNS, summary_rows(round_)))
