"""Display helpers for report figures. They format figures; they never compute them."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ninefold import figures

register = template.Library()

# Changes smaller than this show the gap as "the same": they vanish at one decimal anyway.
STEADY = 0.05


# Figures, and the words beside them, are written by ninefold.figures, the same way on every
# page and in every PDF.
register.filter("fmt", figures.fmt)
register.filter("percent", figures.percent)
register.filter("spread_words", figures.spread_words)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def change(value: float | None):
    """Change since the previous round: the signed number and words ("about the same" inside
    the band of docs/aggregation.md, else "higher" or "lower"). No arrow and no colour of
    its own: a move of a few tenths is not a verdict on the place."""
    kind = figures.change_kind(value)
    if kind == "none":
        return mark_safe('<span class="change change-none">no earlier figure</span>')  # noqa: S308
    return format_html(
        '<span class="change change-{}">{} <span class="change-word">{}</span></span>',
        kind,
        figures.signed_change(value),
        figures.change_words(value),
    )


@register.simple_tag
def gap(value: float | None):
    """Lived experience minus organisations: the signed number and words saying which way."""
    if value is None:
        return mark_safe('<span class="gap gap-none">–</span>')  # noqa: S308
    if abs(value) < STEADY:
        return format_html(
            '<span class="gap gap-same">{} the same</span>', figures.signed_change(0)
        )
    word = "lower" if value < 0 else "higher"
    return format_html(
        '<span class="gap gap-{}">{} <span class="gap-word">{} for lived experience</span></span>',
        word,
        figures.signed_change(value),
        word,
    )
