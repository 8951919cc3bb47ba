from __future__ import annotations

from django import template

from ninefold.forms import refused_row_form
from workshop.forms import REFUSED_STATUS_KEY, ActionStatusForm

register = template.Library()


@register.simple_tag(takes_context=True)
def action_status_form(context, action) -> ActionStatusForm:
    """The status form on an action's row: what was typed and its errors if the last update
    of this action was refused (kept in the session by ``views.action_status``), otherwise the
    action's current status and note."""
    prefix = f"action-{action.pk}"
    refused = refused_row_form(
        context.get("request"), REFUSED_STATUS_KEY, action.pk, ActionStatusForm, prefix=prefix
    )
    if refused is not None:
        return refused
    return ActionStatusForm(
        prefix=prefix, initial={"status": action.status, "status_note": action.status_note}
    )


@register.simple_tag
def agreed_label(view) -> str:
    if view is None:
        return "no view recorded"
    if view.disagree:
        return "we disagree"
    if view.level:
        return f"agreed level {view.level}"
    return "no view recorded"
