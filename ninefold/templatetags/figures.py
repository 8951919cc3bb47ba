"""The one template library that writes figures: ``{% load figures %}``.

Every template (web pages, the PDF reports, the workshop screens) writes a figure, a share or
a change through these, and they only call ``ninefold.figures``: so "3.4", "45%", "+0.3",
"−0.2" and "0.0" (a change that rounds to nothing) read the same everywhere. No other
template library defines figure filters (``tests/test_figures.py`` checks).
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from ninefold import figures

register = template.Library()

register.filter("fmt", figures.fmt)
register.filter("signed_change", figures.signed_change)
register.filter("percent", figures.percent)
register.filter("thousands", figures.count)
register.filter("spread_words", figures.spread_words)
register.filter("change_words", figures.change_words)


@register.simple_tag
def change(value: float | None):
    """Change since the previous round: the signed number and words ("about the same" inside
    the band of docs/aggregation.md, else "higher" or "lower"). No arrow and no colour of
    its own: a move of a few tenths is not a verdict on the place."""
    kind = figures.change_kind(value)
    if kind == "none":
        return format_html('<span class="change change-none">{}</span>', figures.change_words(None))
    return format_html(
        '<span class="change change-{}">{} <span class="change-word">{}</span></span>',
        kind,
        figures.signed_change(value),
        figures.change_words(value),
    )


@register.simple_tag
def gap(value: float | None):
    """Lived experience minus organisations: the signed number and words saying which way.
    A gap that is written "0.0" reads "the same"."""
    if value is None:
        return format_html('<span class="gap gap-none">{}</span>', figures.signed_change(None))
    shown = figures.signed_change(value)
    if shown == figures.signed_change(0):
        return format_html('<span class="gap gap-same">{} the same</span>', shown)
    word = "lower" if value < 0 else "higher"
    return format_html(
        '<span class="gap gap-{}">{} <span class="gap-word">{} for lived experience</span></span>',
        word,
        shown,
        word,
    )
