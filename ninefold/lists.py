"""Reading a whole list pasted in a box or uploaded as a CSV file, shared by every list import.

The partner list (places.partner_import) and the respondent list
(assessments.services.invitations) use the same mechanics, kept here so they
cannot drift apart:

- ``read_upload`` / ``decode_upload``: an uploaded file must be at most
  ``MAX_UPLOAD_BYTES`` and UTF-8 text (a byte-order mark is allowed);
  anything else is refused with a message saying how to re-save it.
- ``read_table``: splits the text into rows numbered as a spreadsheet numbers
  them (a cell quoted over several lines stays one row), picks the separator
  (tab, semicolon or comma) from the first line, trims every cell, skips blank
  rows, finds and checks the header row, refuses a list with too many rows and
  sets aside rows with the wrong number of cells.
- ``check_rows``: refuses formula-like cells, runs the caller's own check on
  every other row and gathers every problem, by row number, into one
  ``ListError``.

Nothing here touches the database; each caller's per-row check does.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

# Cells a spreadsheet could take for a formula are refused: the one rule of ninefold/text.py.
from ninefold.text import is_formula_like

MAX_UPLOAD_BYTES = 1024 * 1024  # 1 MB is thousands of rows; anything bigger is a mistake.
MAX_LISTED_PROBLEMS = 200  # enough to fix in one pass; the rest are counted

T = TypeVar("T")


class ListError(Exception):
    """The whole list is refused; ``problems`` names each one, by row where it has one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ListShape:
    """What one kind of list looks like: its columns and limits, and how to word its problems."""

    columns: tuple[str, ...]
    noun: str  # the plural of what a row is, as in "The list has 3 partners"
    max_rows: int
    empty_hint: str  # what to put in the list, said when it is empty
    aliases: Mapping[str, str] = field(default_factory=dict)  # other header names a column has


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet numbers it, counting blank rows and the header
    values: dict[str, str]  # column name -> trimmed cell, in ``ListShape.columns`` order


@dataclass(frozen=True)
class Table:
    rows: list[Row]  # rows with one cell per column
    problems: list[tuple[int, str]]  # (row number, problem) for rows refused by the reader


def _too_large(size: int, max_bytes: int) -> str:
    return (
        f"The file is {filesizeformat(size)}; the limit is {filesizeformat(max_bytes)}. "
        "Is it the right file?"
    )


def read_upload(upload: UploadedFile, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """Decode an uploaded file, refusing one that is too large before reading any of it."""
    if upload.size > max_bytes:
        raise ListError([_too_large(upload.size, max_bytes)])
    return decode_upload(upload.read(), max_bytes=max_bytes)


def decode_upload(data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """UTF-8 text, with or without a byte-order mark; anything else raises ListError.

    Other encodings are refused rather than guessed at: a guess that is wrong
    stores garbled names without anyone noticing.
    """
    if len(data) > max_bytes:
        raise ListError([_too_large(len(data), max_bytes)])
    if b"\x00" in data:
        # UTF-16 (Excel's "Unicode text") and binary files such as .xlsx.
        raise ListError(
            [
                "This file is not a text file. Save the list as CSV (comma-separated values) "
                "and upload that."
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ListError(
            [
                "This file is not in UTF-8, the text encoding Ninefold reads. In Excel choose "
                "'Save as' → 'CSV UTF-8'; in LibreOffice tick 'Edit filter settings' and pick "
                "'Unicode (UTF-8)'. Then upload it again."
            ]
        ) from None


def _delimiter(first_line: str) -> str:
    # A paste from a spreadsheet is tab-separated; some European spreadsheets
    # save CSV with semicolons.
    if "\t" in first_line:
        return "\t"
    if ";" in first_line and "," not in first_line:
        return ";"
    return ","


def _numbered_rows(text: str) -> list[tuple[int, list[str]]]:
    """Every non-blank row with its number, cells trimmed and trailing empty cells dropped."""
    # A lone carriage return (old Mac files) ends a line too; csv refuses it otherwise.
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    first = next((line for line in text.split("\n") if line.strip()), "")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first))
    numbered = []
    try:
        # Records, not physical lines: a quoted cell over two lines is one spreadsheet row.
        for number, raw in enumerate(reader, start=1):
            cells = [cell.strip() for cell in raw]
            while cells and cells[-1] == "":
                cells.pop()
            if cells:
                numbered.append((number, cells))
    except csv.Error as exc:
        raise ListError([f"The list could not be read as CSV: {exc}."]) from None
    return numbered


def _columns_from_header(
    number: int, cells: list[str], shape: ListShape, *, header_required: bool
) -> list[str] | None:
    """The column order a header row gives, or None when the first row is not a header."""
    names = [cell.casefold() for cell in cells]
    names = [shape.aliases.get(name, name) for name in names]
    if sorted(names) == sorted(shape.columns):
        return names
    if header_required or any(name in shape.columns for name in names):
        problem = f"Row {number}: the columns must be exactly {', '.join(shape.columns)}."
        missing = [column for column in shape.columns if column not in names]
        unexpected = [name for name in names if name not in shape.columns]
        if missing:
            problem += f" Missing: {', '.join(missing)}."
        if unexpected:
            shown = ", ".join(name or "(an empty column name)" for name in unexpected)
            problem += f" Not expected: {shown}."
        raise ListError([problem])
    return None


def read_table(
    text: str,
    shape: ListShape,
    *,
    header_required: bool = True,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> Table:
    """Split a list into numbered rows of named cells, or raise ListError for the list as a whole.

    The first non-blank row is a header naming the columns in any order (with
    ``header_required=False`` it may be left out, and the columns are then in
    ``shape.columns`` order). A row with too few or too many cells is not
    returned but listed in ``Table.problems``.
    """
    if len(text.encode("utf-8")) > max_bytes:
        raise ListError(
            [f"The list is larger than the {filesizeformat(max_bytes)} limit. Split it into parts."]
        )
    numbered = _numbered_rows(text)
    if not numbered:
        raise ListError([f"The list is empty. {shape.empty_hint}"])
    header_number, header = numbered[0]
    columns = _columns_from_header(header_number, header, shape, header_required=header_required)
    if columns is None:
        columns = list(shape.columns)
    else:
        numbered = numbered[1:]
    if not numbered:
        raise ListError([f"The list has column names but no {shape.noun} below them."])
    if len(numbered) > shape.max_rows:
        raise ListError(
            [f"The list has {len(numbered)} {shape.noun}; add at most {shape.max_rows} at a time."]
        )

    rows, problems = [], []
    for number, cells in numbered:
        if len(cells) == len(columns):
            by_name = dict(zip(columns, cells, strict=True))
            rows.append(Row(number, {column: by_name[column] for column in shape.columns}))
        else:
            given = f"{len(cells)} {'value' if len(cells) == 1 else 'values'}"
            problems.append(
                (number, f"has {given}; give exactly {len(columns)}: {', '.join(columns)}")
            )
    return Table(rows, problems)


def check_rows(table: Table, check: Callable[[Row, list[str]], T | None]) -> list[T]:
    """Run ``check`` on every row, or raise ListError naming every problem found, by row.

    ``check(row, problems)`` gets the row and the problems already found in it
    (formula-like cells); it appends its own and returns what the row makes,
    which is kept only when the row has no problem at all.
    """
    found = list(table.problems)
    made: list[T] = []
    for row in table.rows:
        problems = [
            f"the {column} {value[:40]!r} starts with '{value.lstrip()[:1] or value[0]}', "
            "which spreadsheets "
            "treat as a formula; remove that first character"
            for column, value in row.values.items()
            if is_formula_like(value)
        ]
        result = check(row, problems)
        if problems:
            found.append((row.number, "; ".join(problems)))
        else:
            made.append(result)
    if found:
        found.sort(key=lambda item: item[0])
        lines = [f"Row {number}: {problem}." for number, problem in found]
        if len(lines) > MAX_LISTED_PROBLEMS:
            hidden = len(lines) - MAX_LISTED_PROBLEMS
            lines = lines[:MAX_LISTED_PROBLEMS] + [f"…and {hidden} more rows with problems."]
        raise ListError(lines)
    return made
