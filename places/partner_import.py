"""Reading a pasted or uploaded list of partners (name, sector), checked as a whole.

Nothing here writes: ``parse_partner_list`` returns either the rows to create or
every problem found, each with the row number the person sees in their file.
A list with any problem is refused whole, so nothing is ever half-imported.
Decoding, splitting into rows, the header and formula-like cells are handled
by ninefold.lists, shared with the respondent list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ninefold.lists import ListError, ListShape, Row, check_rows, read_table
from ninefold.text import is_formula_like
from places.models import Partner, Place, Sector

MAX_ROWS = 500
NAME_MAX_LENGTH = Partner._meta.get_field("name").max_length
SHAPE = ListShape(
    columns=("name", "sector"),
    noun="partners",
    max_rows=MAX_ROWS,
    empty_hint="Give one partner per row: name, then sector.",
)


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


def parse_partner_list(text: str, *, place: Place, header_required: bool) -> ParsedList:
    """Check a whole list against the rules and the place's existing partners.

    Costs one query (the place's partner names), none when the list is refused
    as a whole. Rows may be comma-, semicolon- or tab-separated (a paste from a
    spreadsheet is tab-separated). The first row is a header ``name,sector`` in
    any order; it may be left out of a paste.
    """
    result = ParsedList()
    try:
        table = read_table(text, SHAPE, header_required=header_required)
    except ListError as error:
        result.errors = error.problems
        return result

    sectors = _sector_lookup()
    existing = {
        _normalise(name): archived is not None
        for name, archived in Partner.objects.filter(place=place).values_list("name", "archived_at")
    }
    seen: dict[str, int] = {}

    def check(row: Row, problems: list[str]) -> PartnerRow:
        name, sector_text = re.sub(r"\s+", " ", row.values["name"]), row.values["sector"]
        if not name:
            problems.append("the name is empty")
        elif len(name) > NAME_MAX_LENGTH:
            problems.append(f"the name is longer than {NAME_MAX_LENGTH} characters")
        sector = sectors.get(_normalise(sector_text))
        if sector is None and not is_formula_like(sector_text):
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
            seen.setdefault(key, row.number)
        return PartnerRow(row=row.number, name=name, sector=sector or "")

    try:
        result.rows = check_rows(table, check)
    except ListError as error:
        result.errors = error.problems
    return result
