from __future__ import annotations

from django import template

from workshop.selectors import networks_for_viewer

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


@register.inclusion_tag("workshop/_home_networks.html", takes_context=True)
def networks_for_user(context) -> dict:
    """The networks the signed-in user views, as a list of links (1 query; none if anonymous)."""
    return {"networks": networks_for_viewer(context["user"])}
