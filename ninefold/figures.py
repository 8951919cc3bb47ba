"""How a figure is written, everywhere: pages, PDFs, workshop screens and exports.

The aggregation module computes figures (docs/aggregation.md); this module only writes them
down, so "3.4", "+0.3", "0.0" and "45%" look the same wherever they appear. Apps import it;
it imports no app.
"""

from __future__ import annotations

MINUS = "\u2212"  # a real minus sign: a hyphen reads as a dash next to figures


def fmt(value: float | None, *, signed: bool = False) -> str:
    """A figure to one decimal place; a missing figure is a dash. ``signed`` keeps the sign
    as Python writes it (``+0.3``, ``-0.2``), which is what the CSV and JSON exports carry."""
    if value is None:
        return "–"
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def signed_change(value: float | None) -> str:
    """A change for people to read: ``+0.3``, ``−0.2``, and ``0.0`` for anything that rounds
    to nothing at one decimal (never ``-0.0`` or ``±0.0``, which suggest a direction)."""
    if value is None:
        return "–"
    if round(value, 1) == 0:
        return "0.0"
    return fmt(value, signed=True).replace("-", MINUS)


def percent(ratio: float | None) -> str:
    """A share (0–1) as a whole percentage, or a dash."""
    return "–" if ratio is None else f"{ratio * 100:.0f}%"
