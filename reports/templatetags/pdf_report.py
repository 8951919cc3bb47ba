"""Formatting filters for the PDF report. They format figures; they never compute them."""

from __future__ import annotations

from django import template

from ninefold import figures

register = template.Library()


# Figures are written by ninefold.figures, the same way on every page and in every PDF.
register.filter("fig", figures.fmt)
fig_signed = register.filter("fig_signed", figures.signed_change)
register.filter("percent", figures.percent)
register.filter("spread_words", figures.spread_words)
register.filter("change_words", figures.change_words)


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
