"""Form helpers every app's views share. Apps import this module; it imports no app.

Every staff form (the forms leads, facilitators, board members, network viewers and site
administrators fill in) derives from ``StaffForm`` or ``StaffModelForm`` (decision 0036). They
are drawn by Django's form renderer with the project's templates: ``templates/forms/form.html``
for ``{{ form }}`` and ``templates/forms/field.html`` for ``{{ form.field.as_field_group }}``,
so every staff field has the same label, hint, "(optional)" marker and error markup. The
respondent's form keeps its own hand-written markup (decision 0010).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

# The hint under every staff date: day, month and year as the three boxes take them.
DATE_HINT = "For example, 31 3 2027"


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Attach a service's ValidationError to ``form``: each field's errors on that field when
    the form has it, everything else at the top of the form (the error summary lists both)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- A form on one row of a list, refused ---------------------------------------------------
# Some staff forms sit on each row of a list page (an action's status, a member's role) and
# post to a view that returns to the list. When one is refused, what was typed and any error a
# service raised are kept in the session under ``key`` for that row, and the list redraws the
# row's form from them once: the error at its field, nothing typed lost.


def keep_refused_row(request, key: str, row, form: forms.BaseForm, errors=()) -> None:
    """Keep a refused row form's posted values (and a service's ``errors``) for its list."""
    refused = request.session.get(key, {})
    refused[str(row)] = {
        "data": {
            form[name].html_name: request.POST.get(form[name].html_name, "") for name in form.fields
        },
        "errors": list(errors),
    }
    request.session[key] = refused


def refused_row_form(request, key: str, row, form_class, **kwargs) -> forms.BaseForm | None:
    """The row's form as refused, bound and with its errors, or None; shown once. A service's
    errors go on the form's first field."""
    session = getattr(request, "session", None)
    refused = session.get(key) if session is not None else None
    if not refused or str(row) not in refused:
        return None
    kept = refused.pop(str(row))
    session[key] = refused
    form = form_class(kept["data"], **kwargs)
    if form.is_valid():
        for error in kept["errors"]:
            form.add_error(next(iter(form.fields)), error)
    return form


class StaffBoundField(BoundField):
    """A field of a staff form: Bootstrap's class on its control, and whether its label says
    "(optional)".

    A form whose fields are each optional but one of which is needed (a list pasted or
    uploaded) names them in ``either_fields``: they are not marked, and the page puts them in
    a fieldset whose legend says that one is needed.
    """

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, forms.MultiWidget):
            return attrs  # each part carries its own class (DayMonthYearWidget)
        if isinstance(
            widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple
        ):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        if self.errors:
            css += " is-invalid"
        attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
        return attrs

    @property
    def marked_optional(self) -> bool:
        """Only optional fields are marked, never required ones. A lone checkbox is not
        "optional" (unticked is an answer), nor is a choice that offers the empty value as one
        of its answers ("Any level", "No view recorded yet")."""
        if self.field.required or isinstance(self.field.widget, forms.CheckboxInput):
            return False
        if self.name in getattr(self.form, "either_fields", ()):
            return False  # one of these is needed: the form's legend says so
        if isinstance(self.field.widget, forms.SelectMultiple | forms.CheckboxSelectMultiple):
            return True  # no empty answer among its choices (and reading them costs a query)
        choices = getattr(self.field, "choices", None)
        return not (choices is not None and any(value in ("", None) for value, _ in choices))


class StaffFormRenderer(TemplatesSetting):
    """The project's templates draw staff forms and fields (decision 0036)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = StaffBoundField


STAFF_RENDERER = StaffFormRenderer()


class StaffFormMixin:
    """What makes a form a staff form; see the module's docstring."""

    default_renderer = STAFF_RENDERER
    bound_field_class = StaffBoundField


class StaffForm(StaffFormMixin, forms.Form):
    pass


class StaffModelForm(StaffFormMixin, forms.ModelForm):
    pass


class DayMonthYearWidget(forms.MultiWidget):
    """Three text boxes, Day, Month and Year, taking numbers (the GOV.UK date pattern).

    The boxes are named and identified ``<name>_day``, ``<name>_month`` and ``<name>_year``.
    """

    template_name = "forms/widgets/day_month_year.html"
    parts = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = {
            part: forms.TextInput(
                attrs={
                    "class": f"form-control date-input-{part}",
                    "inputmode": "numeric",
                    "spellcheck": "false",
                }
            )
            for part, _, _ in self.parts
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: datetime.date | None) -> list[str | None]:
        if value is None:
            return [None, None, None]
        return [str(value.day), str(value.month), str(value.year)]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        subwidgets = context["widget"]["subwidgets"]
        for (part, _, _), subwidget in zip(self.parts, subwidgets, strict=True):
            # ids that say which box they are (Django numbers them _0, _1, _2)
            if "id" in subwidget["attrs"]:
                subwidget["attrs"]["id"] = f"{context['widget']['attrs']['id']}_{part}"
        context["widget"]["parts"] = [
            (label, subwidget)
            for (_, label, _), subwidget in zip(self.parts, subwidgets, strict=True)
        ]
        return context


_NUMBER = {
    "day": re.compile(r"[0-9]{1,2}"),
    "month": re.compile(r"[0-9]{1,2}"),
    "year": re.compile(r"[0-9]{4}"),
}


class DayMonthYearField(forms.MultiValueField):
    """A date typed as day, month and year, with messages that say what is wrong.

    ``what`` names the date inside messages ("the closing date"); by default the label, in
    lower case, after "the". Years outside ``min_year``..``max_year`` are refused as out of
    range (a typo such as 2207, or 27 for 2027, is far likelier than a real date there).
    """

    widget = DayMonthYearWidget

    def __init__(
        self,
        *,
        label: str,
        what: str | None = None,
        min_year: int = 2000,
        max_year: int = 2099,
        help_text: str = DATE_HINT,
        **kwargs: Any,
    ) -> None:
        parts = [forms.CharField(required=False) for _ in DayMonthYearWidget.parts]
        super().__init__(
            fields=parts, require_all_fields=False, label=label, help_text=help_text, **kwargs
        )
        self.what = what or f"the {label[0].lower()}{label[1:]}"
        self.min_year, self.max_year = min_year, max_year
        if "required" not in (kwargs.get("error_messages") or {}):
            self.error_messages["required"] = f"Enter {self.what}"

    def clean(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        values = [str(part or "").strip() for part in (value or [])]
        values += [""] * (3 - len(values))
        typed = dict(zip((part for part, _, _ in DayMonthYearWidget.parts), values, strict=True))
        if not any(values):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        missing = [part for part, text in typed.items() if not text]
        what = self.what[0].upper() + self.what[1:]
        if missing:
            raise ValidationError(
                f"{what} must include a {' and a '.join(missing)}", code="incomplete"
            )
        wrong = [part for part, text in typed.items() if not _NUMBER[part].fullmatch(text)]
        if wrong == ["year"]:
            raise ValidationError(
                f"{what} must have a year of 4 numbers, for example 2027", code="invalid_year"
            )
        if wrong:
            raise ValidationError(
                f"{what} must be a real date, in numbers, for example 31 3 2027", code="invalid"
            )
        day, month, year = (int(typed[part]) for part in ("day", "month", "year"))
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            raise ValidationError(f"{what} must be a real date", code="invalid") from None
        if not self.min_year <= year <= self.max_year:
            raise ValidationError(
                f"{what} must be between {self.min_year} and {self.max_year}", code="out_of_range"
            )
        self.run_validators(date)
        return date

    def compress(self, data_list: list[Any]) -> datetime.date | None:  # clean() does the work
        raise NotImplementedError

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.clean(data) != initial
        except ValidationError:
            return True
