from __future__ import annotations

from django import template

from ninefold import figures

register = template.Library()


@register.simple_tag(name="fmt")
def fmt(value: float | None, signed: bool = False) -> str:
    """A figure (or, with ``signed``, a change) written as on every other page."""
    return figures.signed_change(value) if signed else figures.fmt(value)


@register.simple_tag
def agreed_label(view) -> str:
    if view is None:
        return "no view recorded"
    if view.disagree:
        return "we disagree"
    if view.level:
        return f"agreed level {view.level}"
    return "no view recorded"


register.filter("percent", figures.percent)
