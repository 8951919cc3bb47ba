"""A small streaming XLSX writer for the raw-data export (decision 0121).

Only what the export needs: worksheets of text and numbers, no styles, no formulas. Each
sheet is written row by row into a zip archive whose bytes are handed on as they are made,
so memory stays flat and the download starts at once, whatever the size of the round.

Text is always stored as text (an inline string): nothing is ever read as a formula, a
link or a number. Callers neutralise formula-like text first (``reports.exports``); control
characters that XML cannot hold are dropped here.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from html import escape
from typing import Any

# Characters XML 1.0 cannot hold: most control characters, and U+FFFE and U+FFFF.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Rows between two hand-overs of the archive's bytes.
ROWS_PER_PIECE = 2000

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def clean_text(value: str) -> str:
    return XML_ILLEGAL.sub("", value)


def _cell(value: Any) -> str:
    """One cell, without its reference: cells follow each other, empty ones as ``<c/>``."""
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        value = str(value)
    if isinstance(value, str):
        text = clean_text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'<c t="inlineStr"><is><t{space}>{text}</t></is></c>'
    return f"<c><v>{value!r}</v></c>"


class _Cells:
    """``_cell`` with a memory: partners, preconditions and labels repeat on every row."""

    def __init__(self, size: int = 20000) -> None:
        self._known: dict[tuple[type, Any], str] = {}
        self._size = size

    def row(self, values: Iterable[Any]) -> str:
        known, parts = self._known, []
        for value in values:
            # The type is in the key: 1 and 1.0 and True are equal, their cells are not.
            key = (type(value), value)
            cell = known.get(key)
            if cell is None:
                if len(known) >= self._size:
                    known.clear()
                cell = known[key] = _cell(value)
            parts.append(cell)
        return f"<row>{''.join(parts)}</row>"


class _Pieces:
    """Where the zip archive is written: bytes collect here until they are taken."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def workbook(sheets: Iterable[tuple[str, Iterable[list[Any]]]]) -> Iterator[bytes]:
    """The XLSX file of ``sheets`` (name, rows), in pieces of many rows.

    Rows are lists of text, numbers or None; the first row of a sheet is usually its header.
    Sheets are consumed one after the other, each only once.
    """
    pieces = _Pieces()
    names: list[str] = []
    # Level 1 deflate: a third larger than the default level and several times faster.
    with zipfile.ZipFile(pieces, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for index, (name, rows) in enumerate(sheets, start=1):
            names.append(name)
            with archive.open(f"xl/worksheets/sheet{index}.xml", "w") as sheet:
                sheet.write(f'{_XML}<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
                cells = _Cells()
                lines: list[str] = []
                for row in rows:
                    lines.append(cells.row(row))
                    if len(lines) == ROWS_PER_PIECE:
                        sheet.write("".join(lines).encode())
                        lines.clear()
                        yield pieces.take()
                sheet.write("".join(lines).encode())
                sheet.write(b"</sheetData></worksheet>")
        for path, text in _package(names).items():
            archive.writestr(path, text)
    yield pieces.take()


def _package(names: list[str]) -> dict[str, str]:
    """The parts around the sheets: content types, relationships, workbook, styles."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    sheets = "".join(
        f'<sheet name="{escape(clean_text(name))}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(names) + 1)
    )
    styles_id = len(names) + 1
    return {
        "[Content_Types].xml": (
            f"{_XML}<Types "
            'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'{_XML}<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{sheets}</sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_XML}<Relationships xmlns="{_PKG_REL}">{sheet_rels}'
            f'<Relationship Id="rId{styles_id}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            f'{_XML}<styleSheet xmlns="{_MAIN}">'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            "</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>"
        ),
    }
