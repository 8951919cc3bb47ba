from __future__ import annotations

from django import template

from workshop.forms import REFUSED_STATUS_KEY, ActionStatusForm

register = template.Library()


@register.simple_tag(takes_context=True)
def action_status_form(context, action) -> ActionStatusForm:
    """The status form on an action's row: what was typed and its errors if the last update
    of this action was refused (kept in the session by ``views.action_status``), otherwise the
    action's current status and note."""
    prefix = f"action-{action.pk}"
    request = context.get("request")
    session = getattr(request, "session", None)
    refused = session.get(REFUSED_STATUS_KEY) if session is not None else None
    if refused and str(action.pk) in refused:
        data = refused.pop(str(action.pk))
        session[REFUSED_STATUS_KEY] = refused  # shown once
        form = ActionStatusForm(data, prefix=prefix)
        form.is_valid()
        return form
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
