from __future__ import annotations

from django import template

from reports import aggregation
from workshop.selectors import networks_for_viewer

register = template.Library()


@register.simple_tag(name="fmt")
def fmt(value: float | None, signed: bool = False) -> str:
    """A figure as the aggregation module formats it everywhere (one decimal, dash if none)."""
    if signed and value is not None and round(value, 1) == 0:
        return "±0.0"  # not "-0.0", which reads as a fall
    return aggregation.fmt(value, signed=signed)


@register.simple_tag
def agreed_label(view) -> str:
    if view is None:
        return "no view recorded"
    if view.disagree:
        return "we disagree"
    if view.level:
        return f"agreed level {view.level}"
    return "no view recorded"


@register.filter
def percent(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio * 100:.0f}%"


@register.inclusion_tag("workshop/_home_networks.html", takes_context=True)
def networks_for_user(context) -> dict:
    """The networks the signed-in user views, as a list of links (1 query; none if anonymous)."""
    return {"networks": networks_for_viewer(context["user"])}
