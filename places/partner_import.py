"""Reading a pasted or uploaded list of partners (name, sector), checked as a whole.

Nothing here writes: ``parse_partner_list`` returns either the rows to create or
every problem found, each with the row number the person sees in their file.
A list with any problem is refused whole, so nothing is ever half-imported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from places.models import Partner, Place, Sector

MAX_UPLOAD_BYTES = 1024 * 1024  # 1 MB is thousands of partners; anything bigger is a mistake.
MAX_ROWS = 500
NAME_MAX_LENGTH = Partner._meta.get_field("name").max_length
# Spreadsheet programs run a cell that starts with one of these as a formula
# ("CSV injection"); a partner's name never needs to, so such cells are refused.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER = ("name", "sector")


@dataclass
class PartnerRow:
    row: int
    name: str
    sector: str


@dataclass
class ParsedList:
    rows: list[PartnerRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _sector_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for value, label in Sector.choices:
        lookup[_normalise(value)] = value
        lookup[_normalise(label)] = value
        lookup[_normalise(value.replace("_", " "))] = value
    return lookup


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def decode_upload(data: bytes) -> str:
    """UTF-8 text, with or without a byte-order mark; anything else raises ValueError."""
    if b"\x00" in data:
        raise ValueError(
            "This file is not a text file. Save the list as CSV (comma-separated values) "
            "and upload that."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(
            "This file is not in UTF-8, the text encoding Ninefold reads. In Excel choose "
            "'Save as' → 'CSV UTF-8'; in LibreOffice tick 'Edit filter settings' and pick "
            "'Unicode (UTF-8)'. Then upload it again."
        ) from None


def parse_partner_list(text: str, *, place: Place, header_required: bool) -> ParsedList:
    """Check a whole list against the rules and the place's existing partners.

    Costs one query (the place's partner names). Rows may be comma- or
    tab-separated (a paste from a spreadsheet is tab-separated). The first row
    is a header ``name,sector`` in any order; it may be left out of a paste.
    """
    result = ParsedList()
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        result.errors.append("The list is empty. Give one partner per row: name, then sector.")
        return result
    first_line = next(line for line in lines if line.strip())
    delimiter = "\t" if "\t" in first_line else ","
    table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    # csv keeps its own count of physical lines; pair each record with its row number.
    numbered: list[tuple[int, list[str]]] = []
    for number, cells in enumerate(table, start=1):
        cells = [cell.strip() for cell in cells]
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            numbered.append((number, cells))

    name_column, sector_column = 0, 1
    header_number, header = numbered[0]
    lowered = [cell.casefold() for cell in header]
    if sorted(lowered) == sorted(HEADER):
        name_column, sector_column = lowered.index("name"), lowered.index("sector")
        numbered = numbered[1:]
    elif header_required or "name" in lowered or "sector" in lowered:
        result.errors.append(
            f"Row {header_number}: the first row must name the two columns, "
            f"'name' and 'sector'; it says {', '.join(repr(c) for c in header)}."
        )
        return result
    if not numbered:
        result.errors.append("The list has a header row but no partners under it.")
        return result
    if len(numbered) > MAX_ROWS:
        result.errors.append(
            f"The list has {len(numbered)} partners; add at most {MAX_ROWS} at a time."
        )
        return result

    sectors = _sector_lookup()
    existing = {
        _normalise(name): archived is not None
        for name, archived in Partner.objects.filter(place=place).values_list("name", "archived_at")
    }
    seen: dict[str, int] = {}
    for number, cells in numbered:
        problems: list[str] = []
        if len(cells) != 2:
            problems.append(
                f"has {len(cells)} {'value' if len(cells) == 1 else 'values'}; "
                "give exactly two, the name and the sector"
            )
            result.errors.append(f"Row {number}: " + "; ".join(problems) + ".")
            continue
        name, sector_text = cells[name_column], cells[sector_column]
        name = re.sub(r"\s+", " ", name)
        for label, cell in (("name", name), ("sector", sector_text)):
            if cell.startswith(FORMULA_PREFIXES):
                problems.append(
                    f"the {label} {cell[:40]!r} starts with '{cell[0]}', which spreadsheets "
                    "treat as a formula; remove that first character"
                )
        if not name:
            problems.append("the name is empty")
        elif len(name) > NAME_MAX_LENGTH:
            problems.append(f"the name is longer than {NAME_MAX_LENGTH} characters")
        sector = sectors.get(_normalise(sector_text))
        if sector is None and not sector_text.startswith(FORMULA_PREFIXES):
            problems.append(
                f"the sector {sector_text[:40]!r} is not one Ninefold knows; use one of: "
                + ", ".join(label for _, label in Sector.choices)
            )
        key = _normalise(name)
        if key and key in seen:
            problems.append(f"{name!r} is already on row {seen[key]}")
        elif key in existing:
            archived = " (archived — restore it instead)" if existing[key] else ""
            problems.append(f"this place already has a partner called {name!r}{archived}")
        if key:
            seen.setdefault(key, number)
        if problems:
            result.errors.append(f"Row {number}: " + "; ".join(problems) + ".")
        else:
            result.rows.append(PartnerRow(row=number, name=name, sector=sector or ""))
    if result.errors:
        result.rows = []
    return result
