from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.template.defaultfilters import filesizeformat

from ninefold.forms import StaffForm, StaffModelForm
from ninefold.lists import MAX_UPLOAD_BYTES, ListError, read_upload
from ninefold.text import validate_name
from places.models import RETENTION_MONTHS_MAX, Place, Role, Sector
from places.partner_import import MAX_ROWS, PartnerRow, parse_partner_list

PASTE_MAX_CHARS = 100_000


class PlaceForm(StaffModelForm):
    class Meta:
        model = Place
        fields = ["name", "description"]
        labels = {"name": "Name of the place", "description": "Description"}
        help_texts = {
            "name": "As partners know it, for example 'Harrowdene' or 'North Kestrel'.",
            "description": "Who is in the partnership and what it is for.",
        }
        error_messages = {"name": {"required": "Enter the name of the place"}}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class PlaceEditForm(PlaceForm):
    """The place's settings, for its leads: the retention period as well."""

    retention_months = forms.IntegerField(
        min_value=1,
        max_value=RETENTION_MONTHS_MAX,
        error_messages={
            "required": "Enter how many months to keep respondents' details, from 1 to "
            f"{RETENTION_MONTHS_MAX}",
            "invalid": "Enter a whole number of months",
            "min_value": "Keep them for at least 1 month",
            "max_value": f"Keep them for at most {RETENTION_MONTHS_MAX} months",
        },
    )

    class Meta(PlaceForm.Meta):
        fields = ["name", "description", "retention_months"]
        labels = {
            **PlaceForm.Meta.labels,
            "retention_months": "Keep respondents' names and email addresses for (months)",
        }
        help_texts = {
            **PlaceForm.Meta.help_texts,
            "retention_months": (
                f"Counted from the day each round closes, 1 to {RETENTION_MONTHS_MAX} months. "
                "After that their names and email addresses are removed and their answers are "
                "kept without them, so the round's figures do not change. See the privacy notice."
            ),
        }
        widgets = {
            **PlaceForm.Meta.widgets,
            "retention_months": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }


def _refuse_formula(value: str) -> str:
    validate_name(value)  # the rule for every name (ninefold/text.py)
    return value


class PartnerForm(StaffForm):
    name = forms.CharField(
        label="Organisation name",
        max_length=200,
        error_messages={"required": "Enter the organisation's name"},
    )
    sector = forms.ChoiceField(
        label="Sector",
        choices=[("", "Choose a sector"), *Sector.choices],
        error_messages={
            "required": "Choose the partner's sector",
            "invalid_choice": "Choose one of the sectors listed",
        },
    )

    def clean_name(self) -> str:
        return _refuse_formula(" ".join(self.cleaned_data["name"].split()))


class PartnerListForm(StaffForm):
    """A list of partners pasted into the box, or uploaded as a CSV file: one or the other
    (the page says so in a legend)."""

    either_fields = ("text", "file")

    text = forms.CharField(
        label="Paste the list",
        required=False,
        max_length=PASTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=(
            "One partner per line: the name, a comma (or a tab, when copied from a "
            "spreadsheet, or a semicolon), then the sector. A first line 'name,sector' "
            "is optional."
        ),
    )
    file = forms.FileField(
        label="Or upload a CSV file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=(
            f"Columns 'name' and 'sector', with that header row; UTF-8; at most "
            f"{filesizeformat(MAX_UPLOAD_BYTES)} and {MAX_ROWS} partners."
        ),
    )

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.place = place
        self.rows: list[PartnerRow] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        text, upload = cleaned.get("text"), cleaned.get("file")
        if self.errors:
            return cleaned
        if text and upload:
            self.add_error("text", "Paste a list or upload a file, not both at once")
            return cleaned
        if upload:
            field = "file"
            try:
                content = read_upload(upload)
            except ListError as error:
                for problem in error.problems:
                    self.add_error(field, problem)
                return cleaned
        elif text:
            field, content = "text", text
        else:
            self.add_error("text", "Paste a list of partners or upload a CSV file")
            return cleaned
        parsed = parse_partner_list(content, place=self.place, header_required=field == "file")
        for error in parsed.errors:
            self.add_error(field, error)
        self.rows = parsed.rows
        return cleaned


class InviteColleagueForm(StaffForm):
    email = forms.EmailField(
        label="Their email address",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Enter your colleague's email address",
            "invalid": "Enter an email address in the right form, like name@example.org",
        },
    )
    role = forms.ChoiceField(
        label="Their role in this place",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose their role in this place",
            "invalid_choice": "Choose one of the roles listed",
        },
        help_text=(
            "Leads manage the place, its partners, rounds and people. Facilitators see "
            "the dashboards and export reports. Board members see the dashboards."
        ),
    )


class InviteLeadForm(StaffForm):
    email = forms.EmailField(
        label="Their email address",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Enter the email address of the person to invite",
            "invalid": "Enter an email address in the right form, like name@example.org",
        },
    )


class RoleForm(StaffForm):
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        error_messages={
            "required": "Choose a role",
            "invalid_choice": "Choose one of the roles listed",
        },
    )


class JoinForm(StaffForm):
    """A new account made from an invitation: the email address is the invitation's."""

    full_name = forms.CharField(
        label="Your name",
        max_length=200,
        validators=[validate_name],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your name"},
    )
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters; not a common password, not all numbers.",
        error_messages={"required": "Choose a password"},
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password again"},
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords are not the same")
        elif first:
            user = get_user_model()(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned
