"""Every staff form looks and fails the same way (decision 0036).

The forms are collected by walking every app's forms modules; REGISTRY says how to build each
with data that fails, and a test keeps it complete, so a new staff form is checked as soon as
it exists. The respondent's form keeps its own markup (decision 0010) and is left out.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.template.loader import render_to_string
from django.utils.html import escape

from ninefold.forms import DATE_HINT, DayMonthYearField, StaffForm, StaffFormMixin
from tests.factories import PartnerFactory, PlaceFactory, UserFactory, default_framework
from tests.helpers import date_fields

ROOT = Path(__file__).resolve().parent.parent
RESPONDENT_MODULES = {"assessments.forms.respond"}  # its own pattern (decision 0010)
BASES = {"ninefold.forms.StaffForm", "ninefold.forms.StaffModelForm"}  # not forms of a page
DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])
DJANGO_INVALID_CHOICES = {
    str(forms.ChoiceField.default_error_messages["invalid_choice"]),
    str(forms.ModelChoiceField.default_error_messages["invalid_choice"]),
    str(forms.ModelMultipleChoiceField.default_error_messages["invalid_choice"]),
}


def staff_form_classes() -> dict[str, type[forms.BaseForm]]:
    """Every form class defined in a forms module (``<app>/forms.py`` or ``<app>/forms/*.py``)
    of a project app, but the respondent's."""
    found = {}
    for config in apps.get_app_configs():
        if Path(config.path).parent != ROOT:
            continue  # Django's own apps
        names = [f"{config.name}.forms"]
        package = Path(config.path) / "forms"
        if package.is_dir():
            names += [f"{config.name}.forms.{m.name}" for m in pkgutil.iter_modules([package])]
        for name in names:
            if name in RESPONDENT_MODULES:
                continue
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError:
                continue
            for _, cls in inspect.getmembers(module, inspect.isclass):
                qualified = f"{name}.{cls.__name__}"
                if (
                    issubclass(cls, forms.BaseForm)
                    and cls.__module__ == name
                    and qualified not in BASES
                ):
                    found[qualified] = cls
    return found


def refused(form: forms.BaseForm, field: str) -> forms.BaseForm:
    """``form`` with an error on ``field``, as a view refusing it would add."""
    form.is_valid()
    form.add_error(field, "Choose whether to include names and emails")
    return form


# name -> builds the form, bound to data that fails, from the `objects` fixture.
REGISTRY: dict[str, Callable[[dict], forms.BaseForm]] = {
    "accounts.forms.EmailAuthenticationForm": lambda o: o["cls"](request=None, data={}),
    "accounts.forms.EmailPasswordResetForm": lambda o: o["cls"]({}),
    "accounts.forms.NewPasswordForm": lambda o: o["cls"](o["user"], {}),
    "accounts.forms.ChangePasswordForm": lambda o: o["cls"](o["user"], {}),
    "places.forms.PlaceForm": lambda o: o["cls"]({}),
    "places.forms.PlaceEditForm": lambda o: o["cls"]({"retention_months": "0"}),
    "places.forms.PartnerForm": lambda o: o["cls"]({"sector": "nonsense"}),
    "places.forms.PartnerListForm": lambda o: o["cls"]({}, place=o["place"]),
    "places.forms.InviteColleagueForm": lambda o: o["cls"]({"email": "not an address"}),
    "places.forms.InviteLeadForm": lambda o: o["cls"]({}),
    "places.forms.RoleForm": lambda o: o["cls"]({}),
    "places.forms.JoinForm": lambda o: o["cls"]({}, email="new@example.org"),
    "privacy.forms.PersonalDataSearchForm": lambda o: o["cls"]({"email": "not an address"}),
    "reports.forms.KeyMessagesForm": lambda o: o["cls"]({"revision": "0"}),
    # A lone checkbox cannot fail; its markup is checked with an error put on it.
    "reports.forms.IdentityExportForm": lambda o: refused(o["cls"]({}), "identify"),
    "reports.forms.EvidenceFilterForm": lambda o: o["cls"](
        {"level": "7", "partner": "0"}, scale=o["scale"], partners=[(o["partner"].pk, "P")]
    ),
    "workshop.forms.AgreedViewForm": lambda o: o["cls"]({"view": "disagree"}, scale=o["scale"]),
    "workshop.forms.ActionForm": lambda o: o["cls"](
        {"owner": "0", **date_fields("due_on", "2027-02-31")},
        place=o["place"],
        framework_id=o["framework"].pk,
    ),
    "workshop.forms.ActionStatusForm": lambda o: o["cls"]({}),
    "networks.forms.ConsentForm": lambda o: o["cls"]({"named": "on"}),
    "assessments.forms.manage.RoundForm": lambda o: o["cls"]({"confidentiality": "x"}),
    "assessments.forms.manage.ConfidentialityForm": lambda o: o["cls"]({"confidentiality": "x"}),
    "assessments.forms.manage.ExtendForm": lambda o: o["cls"]({"closes_on_day": "4"}),
    "assessments.forms.manage.InvitationForm": lambda o: o["cls"](
        {"partner": "0", "perspective": "x"}, place=o["place"]
    ),
    "assessments.forms.manage.BulkInvitationForm": lambda o: o["cls"]({}),
}


def test_the_registry_names_every_staff_form_and_each_is_a_staff_form():
    found = staff_form_classes()
    assert set(REGISTRY) == set(found), "add the new form to REGISTRY (or remove a gone one)"
    for name, cls in found.items():
        assert issubclass(cls, StaffFormMixin), f"{name} must derive from StaffForm (decision 0036)"


@pytest.fixture
def objects(db):
    place = PlaceFactory()
    return {
        "place": place,
        "partner": PartnerFactory(place=place),
        "user": UserFactory(),
        "framework": default_framework(),
        "scale": {1: "Absent", 2: "Emerging", 3: "Developing", 4: "Established"},
    }


class Elements(HTMLParser):
    """Each start tag as (tag, attrs), in order, and the text inside labels and legends."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.captions: list[str] = []
        self._open: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("label", "legend"):
            self._open = []

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag):
        if tag in ("label", "legend") and self._open is not None:
            self.captions.append(" ".join("".join(self._open).split()))
            self._open = None

    def by_id(self, element_id: str) -> tuple[str, dict] | None:
        return next(((t, a) for t, a in self.tags if a.get("id") == element_id), None)


def rendered(name: str, objects) -> tuple[forms.BaseForm, str, str]:
    form = REGISTRY[name]({**objects, "cls": staff_form_classes()[name]})
    assert form.errors, f"{name}: the registry's data must fail"
    return form, render_to_string("_error_summary.html", {"form": form}), str(form)


ERROR = re.compile(
    r'<p class="error-message" id="(?P<id>[\w-]+)_error">'
    r'(?:<span class="visually-hidden">Error: </span>[^<]+(?:<br>)?)+</p>'
)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_a_failed_staff_form_has_the_one_error_markup(name, objects):
    form, summary, html = rendered(name, objects)
    page = Elements(summary + html)
    assert summary.lstrip().startswith(
        '<div class="error-summary" id="error-summary" role="alert" '
        'aria-labelledby="error-summary-title" tabindex="-1">'
    )
    for field in form:
        if not field.errors or field.is_hidden:
            continue
        # the message, once, above the control, in the one markup
        messages = [m for m in ERROR.finditer(html) if m["id"] == field.auto_id]
        assert len(messages) == 1, f"{name}.{field.name}: one error message expected"
        # what describes the field (the control, or the fieldset of a group) names the error
        described = [
            attrs
            for _, attrs in page.tags
            if f"{field.auto_id}_error" in (attrs.get("aria-describedby") or "").split()
        ]
        assert len(described) == 1, f"{name}.{field.name}: aria-describedby names the error"
        invalid = [
            attrs
            for tag, attrs in page.tags
            if tag in ("input", "select", "textarea")
            and re.fullmatch(rf"{field.html_name}(_day|_month|_year)?", attrs.get("name") or "")
        ]
        assert invalid and all(a.get("aria-invalid") == "true" for a in invalid), name
        assert html.index(messages[0].group(0)) < html.index(f'name="{field.html_name}')
        # the summary links to a control that exists
        link = re.search(r'<a href="#([\w-]+)">' + re.escape(f"{escape(field.label)}: "), summary)
        assert link and page.by_id(link.group(1)), f"{name}.{field.name}: summary link"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_messages_are_specific_and_only_optional_fields_are_marked(name, objects):
    form, summary, html = rendered(name, objects)
    assert DJANGO_REQUIRED not in summary + html
    assert "*" not in " ".join(Elements(html).captions) and "asteriskField" not in html
    either = getattr(form, "either_fields", ())
    for field in form:
        if field.is_hidden:
            continue
        messages = field.field.error_messages
        if field.field.required:
            assert messages["required"] != DJANGO_REQUIRED, f"{name}.{field.name}"
        if isinstance(field.field, forms.ChoiceField):
            assert str(messages["invalid_choice"]) not in DJANGO_INVALID_CHOICES, (
                f"{name}.{field.name}"
            )
        if isinstance(field.field, forms.EmailField):
            assert messages.get("invalid", "Enter a valid email address.") not in (
                "Enter a valid email address.",
            ), f"{name}.{field.name}"
        assert not isinstance(field.field, forms.DateField), "dates are DayMonthYearField"
        caption = re.search(
            r"<(?:label|legend) class=\"form-label\"(?: for=\"[\w-]+\")?>([^\n]*?)</(?:label|legend)>",
            field.as_field_group(),
        )
        marked = caption is not None and "(optional)" in caption.group(1)
        offers_empty = any(
            value in ("", None)
            for value, _ in getattr(field.field, "choices", [])
            if not isinstance(field.field, forms.ModelMultipleChoiceField)
        )
        expected = (
            not field.field.required
            and not isinstance(field.field.widget, forms.CheckboxInput)
            and not offers_empty
            and field.name not in either
        )
        assert marked == expected, f"{name}.{field.name}: '(optional)' is {marked}"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_select_placeholders_read_choose_a_thing(name, objects):
    form, _, html = rendered(name, objects)
    assert "---------" not in html and "Choose…" not in html
    for field in form:
        if not isinstance(field.field.widget, forms.Select) or isinstance(
            field.field.widget, forms.SelectMultiple
        ):
            continue
        value, label = next(iter(field.field.choices))
        if value in ("", None) and field.field.required:
            assert re.fullmatch(r"Choose an? [a-z][a-z ]+", str(label)), f"{name}: {label!r}"


def test_no_staff_template_draws_fields_or_errors_by_hand():
    """Staff pages print forms with {{ form }} or field.as_field_group; only the shared
    templates and the respondent's own hold field and error markup."""
    templates = ROOT / "templates"
    for path in templates.rglob("*.html"):
        relative = path.relative_to(templates).as_posix()
        if (
            relative.startswith(("forms/", "assessments/respond/"))
            or relative == "_error_summary.html"
        ):
            continue
        text = path.read_text()
        assert "crispy" not in text, relative
        assert 'class="error-message"' not in text and "invalid-feedback" not in text, relative
        assert "_field.html" not in text, relative


# --- the date field -------------------------------------------------------------------------


class DueForm(StaffForm):
    due = DayMonthYearField(label="Due date")


def due(day: str, month: str, year: str) -> DueForm:
    return DueForm({"due_day": day, "due_month": month, "due_year": year})


def test_a_date_is_typed_as_day_month_and_year():
    form = due("31", "3", "2027")
    assert form.is_valid() and form.cleaned_data["due"] == dt.date(2027, 3, 31)
    assert due(" 05 ", "03", "2027").is_valid()


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the due date"),
        ("31", "", "2027", "The due date must include a month"),
        ("", "", "2027", "The due date must include a day and a month"),
        ("31", "3", "", "The due date must include a year"),
        ("31", "2", "2027", "The due date must be a real date"),
        ("31", "13", "2027", "The due date must be a real date"),
        ("0", "3", "2027", "The due date must be a real date"),
        ("thirty", "3", "2027", "The due date must be a real date, in numbers"),
        ("31", "March", "2027", "The due date must be a real date, in numbers"),
        ("٣", "3", "2027", "The due date must be a real date, in numbers"),
        ("31", "3", "27", "The due date must have a year of 4 numbers"),
        ("31", "3", "2207", "The due date must be between 2000 and 2099"),
    ],
)
def test_a_wrong_date_says_what_is_wrong_and_keeps_what_was_typed(day, month, year, message):
    form = due(day, month, year)
    assert not form.is_valid()
    assert form.errors["due"][0].startswith(message)
    html = form["due"].as_field_group()
    for part, typed in (("day", day), ("month", month), ("year", year)):
        box = re.search(rf'<input type="text" name="due_{part}"[^>]*>', html).group(0)
        assert (f'value="{typed}"' in box) if typed else ("value=" not in box)
        assert 'aria-invalid="true"' in box and 'inputmode="numeric"' in box
    summary = render_to_string("_error_summary.html", {"form": form})
    assert '<a href="#id_due_day">Due date: ' in summary


def test_a_date_is_a_fieldset_with_a_legend_a_hint_and_three_labelled_boxes():
    html = DueForm(initial={"due": dt.date(2027, 3, 5)})["due"].as_field_group()
    page = Elements(html)
    assert [tag for tag, _ in page.tags][:2] == ["fieldset", "legend"]
    assert page.tags[0][1]["aria-describedby"] == "id_due_helptext"
    assert DATE_HINT == "For example, 31 3 2027" and DATE_HINT in html
    assert page.captions == ["Due date", "Day", "Month", "Year"]
    boxes = {a["id"]: a.get("value") for t, a in page.tags if t == "input"}
    assert boxes == {"id_due_day": "5", "id_due_month": "3", "id_due_year": "2027"}


def test_an_optional_date_may_be_left_empty_but_not_half_filled():
    class Optional(StaffForm):
        review = DayMonthYearField(label="Review date", required=False)

    empty = Optional({})
    assert empty.is_valid() and empty.cleaned_data["review"] is None
    half = Optional({"review_month": "3"})
    assert not half.is_valid()
    assert half.errors["review"] == ["The review date must include a day and a year"]
    assert "(optional)" in half["review"].as_field_group()


# Django's own wording for limits it checks (lengths, numbers): a sentence with a full stop that
# the project does not write. Everything else is the project's own message.
DJANGO_OWN = re.compile(r"^Ensure this value")


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_messages_end_without_a_full_stop(name, objects):
    """GOV.UK style (decision 0036): an error message is an instruction, with no full stop, on
    the field and in the summary alike; the messages each field declares follow it too."""
    form, _, _ = rendered(name, objects)
    written = [str(e) for errors in form.errors.values() for e in errors]
    for field in form.fields.values():
        written += [str(m) for m in field.error_messages.values() if "%(" not in str(m)]
    project = {m for m in written if not DJANGO_OWN.match(m)}
    declared_by_django = {
        str(m)
        for field in form.fields.values()
        for cls in type(field).__mro__
        if cls.__module__.startswith("django.")
        for m in cls.__dict__.get("default_error_messages", {}).values()
    }
    ending = sorted(m for m in project - declared_by_django if m.rstrip().endswith("."))
    assert ending == [], f"{name}: messages ending with a full stop: {ending}"
