"""Display helpers for report pages that are not figures. Figures, shares and changes are
written by the one figures library (``{% load figures %}``, ninefold/templatetags/figures.py)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def heat_class(score: float | None) -> str:
    """The heatmap cell class for a partner score: its nearest level, or none."""
    if score is None:
        return "heat-none"
    return f"heat-{min(5, max(1, int(score + 0.5)))}"


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None
