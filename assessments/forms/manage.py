"""Forms a partnership lead uses to run rounds and invite respondents."""

from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef

from assessments.models import Confidentiality, Perspective
from ninefold.forms import DayMonthYearField, StaffForm
from ninefold.lists import MAX_UPLOAD_BYTES
from ninefold.text import validate_name
from places.models import Partner, Place
from places.selectors import partners_for_new_invitations
from preconditions.models import Framework, Precondition, ScaleLevel

CONFIDENTIALITY_ERRORS = {
    "required": "Choose how results are shown",
    "invalid_choice": "Choose confidential or named organisations",
}

CONFIDENTIALITY_HELP = (
    "Confidential (recommended): nobody but you sees a figure, a name or a note's source "
    "that relates to fewer than 3 people; smaller partners are combined as “Other "
    "partners”. Named organisations: each partner's results are shown under its name, "
    "even if one person answered for it. Respondents are told which before they answer. "
    "You can make a round confidential later, but never named again once anyone has answered."
)


class SafeDefaultChoiceField(forms.ChoiceField):
    """A choice whose absence means the safe default (confidential), never "named" by
    omission: a post from a page without the field still creates a round."""

    def to_python(self, value):
        return super().to_python(value) or Confidentiality.CONFIDENTIAL


class RoundForm(StaffForm):
    name = forms.CharField(
        label="Name of the round",
        max_length=200,
        validators=[validate_name],
        help_text="For example “Spring 2026 diagnostic”.",
        error_messages={"required": "Enter the round's name"},
    )
    purpose = forms.CharField(
        label="Purpose",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the partnership is asking now. The invitation email quotes it.",
    )
    opens_on = DayMonthYearField(label="Opening date")
    closes_on = DayMonthYearField(label="Closing date")
    framework = forms.ModelChoiceField(
        label="Framework",
        queryset=Framework.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choose the framework respondents will rate",
            "invalid_choice": "Choose one of the frameworks listed",
        },
        help_text=(
            "The framework (and its version) respondents will rate: the nine preconditions, "
            "or a framework a site administrator has added."
        ),
    )
    confidentiality = SafeDefaultChoiceField(
        label="How results are shown",
        choices=Confidentiality.choices,
        initial=Confidentiality.CONFIDENTIAL,
        help_text=CONFIDENTIALITY_HELP,
        error_messages=CONFIDENTIALITY_ERRORS,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only frameworks respondents can answer: some items and a scale (one may be half-made
        # in the admin).
        frameworks = Framework.objects.filter(
            Exists(Precondition.objects.filter(framework=OuterRef("pk"))),
            Exists(ScaleLevel.objects.filter(framework=OuterRef("pk"))),
        ).order_by("-is_default", "name", "-version")
        self.fields["framework"].queryset = frameworks
        default = frameworks.filter(is_default=True).first()
        if default is not None:
            self.fields["framework"].initial = default.pk

    def clean(self) -> dict:
        data = super().clean()
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on and closes_on <= opens_on:
            self.add_error("closes_on", "The closing date must be after the opening date")
        return data


class ConfidentialityForm(StaffForm):
    confidentiality = forms.ChoiceField(
        label="How results are shown",
        choices=Confidentiality.choices,
        help_text=CONFIDENTIALITY_HELP,
        error_messages=CONFIDENTIALITY_ERRORS,
    )


class ExtendForm(StaffForm):
    closes_on = DayMonthYearField(label="New closing date")


class InvitationForm(StaffForm):
    name = forms.CharField(
        label="Name",
        max_length=200,
        validators=[validate_name],
        error_messages={"required": "Enter the respondent's name"},
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter the respondent's email address",
            "invalid": "Enter an email address in the right form, like name@example.org",
        },
    )
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(),
        label="Partner organisation",
        empty_label="Choose a partner",
        error_messages={
            "required": "Choose the partner the respondent answers for",
            "invalid_choice": "Choose one of this place's partners",
        },
    )
    perspective = forms.ChoiceField(
        label="Perspective",
        choices=[("", "Choose a perspective"), *Perspective.choices],
        error_messages={
            "required": "Choose the respondent's perspective",
            "invalid_choice": "Choose one of the perspectives listed",
        },
        help_text=(
            "People with lived experience get a plainer invitation and the easy-read form "
            "(they can switch to the standard one)."
        ),
    )
    send_now = forms.BooleanField(
        required=False,
        initial=True,
        label="Email the invitation now",
        help_text="Only while the round is open; otherwise send it later from the round page.",
    )

    def __init__(self, *args, place: Place, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners_for_new_invitations(place)


class BulkInvitationForm(StaffForm):
    """A list pasted or uploaded: one of the two is needed (the page says so in a legend)."""

    either_fields = ("text", "file")
    text = forms.CharField(
        required=False,
        label="Paste the list",
        max_length=MAX_UPLOAD_BYTES,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        help_text=(
            "First line: name, email, partner, perspective. Then one person a line, "
            "cells separated by commas, semicolons or tabs (as copied from a spreadsheet)."
        ),
    )
    file = forms.FileField(
        required=False,
        label="Or upload a CSV file",
        help_text="UTF-8 CSV with the same columns, at most 1 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )
    send_now = forms.BooleanField(
        required=False,
        initial=True,
        label="Email the invitations now",
        help_text="Only while the round is open; otherwise send them later from the round page.",
    )

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        if not data.get("text", "").strip() and not data.get("file"):
            self.add_error("text", "Paste a list of respondents or upload a CSV file")
        elif data.get("text", "").strip() and data.get("file"):
            self.add_error("text", "Paste a list or upload a file, not both")
        return data
