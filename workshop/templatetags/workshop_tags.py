from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def agreed_label(view) -> str:
    if view is None:
        return "no view recorded"
    if view.disagree:
        return "we disagree"
    if view.level:
        return f"agreed level {view.level}"
    return "no view recorded"
