"""Display helpers for report pages that are not figures. Figures, shares and changes are
written by the one figures library (``{% load figures %}``, ninefold/templatetags/figures.py)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    """``mapping[key]``, or None (a missing key or no mapping): the one such filter, which the
    web pages and the PDF both load."""
    return mapping.get(key) if mapping else None
