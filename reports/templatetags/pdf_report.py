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


@register.filter
def name_list(names: list[str], limit: int = 3) -> str:
    """'A, B and C', or 'A, B, C and 4 more' when the list is long."""
    names = list(names)
    if not names:
        return "–"
    if len(names) <= limit:
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
