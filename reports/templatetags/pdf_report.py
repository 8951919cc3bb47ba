"""Helpers for the PDF report that are not figures. Figures, shares and changes are written
by the one figures library (``{% load figures %}``, ninefold/templatetags/figures.py); a value
looked up by key with ``get_item`` of ``{% load reports %}``, as on the web pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def name_list(names: list[str], limit: int = 3) -> str:
    """'A, B and C', or 'A, B, C and 4 more' when the list is long."""
    names = list(names)
    if not names:
        return "–"
    if len(names) <= limit:
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
