"""The tag behind templates/_error_summary.html.

`ninefold` is the project package rather than an app, so it has no templatetags folder; the
settings register this module as the template library "error_summary" instead.
"""

from django import forms, template
from django.template import Context

register = template.Library()


@register.simple_tag(takes_context=True)
def forms_with_errors(context: Context) -> list[forms.BaseForm]:
    """The forms whose errors the summary lists: the `forms` passed in, or else the page's `form`.

    Forms without errors (unbound or valid ones) are left out, so an empty list means no summary.
    """
    if "forms" in context:
        candidates = context["forms"] or []
    elif context.get("form"):
        candidates = [context["form"]]
    else:
        candidates = []
    return [form for form in candidates if form.errors]
