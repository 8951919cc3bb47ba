"""Formatting filters for the PDF report. They format figures; they never compute them."""

from __future__ import annotations

from django import template

from reports import aggregation

register = template.Library()


@register.filter
def fig(value: float | None) -> str:
    """A figure to one decimal, or a dash when there is none."""
    return aggregation.fmt(value)


@register.filter
def fig_signed(value: float | None) -> str:
    """A change to one decimal with its sign (+0.3, −0.2), or a dash."""
    text = aggregation.fmt(value, signed=True)
    if text in ("+0.0", "-0.0"):
        return "0.0"  # no change at one decimal: no sign to suggest a direction
    return text.replace("-", "−")


@register.filter
def percent(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio * 100:.0f}%"


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None
