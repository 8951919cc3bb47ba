from __future__ import annotations

from django import forms

from ninefold.forms import StaffForm


class PersonalDataSearchForm(StaffForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address the person gave you. Upper and lower case do not matter.",
        error_messages={
            "required": "Enter the email address of the person who asked",
            "invalid": "Enter an email address like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    confirm_erase = forms.BooleanField(
        label=(
            "I have checked that this request comes from the person themselves, and I want "
            "to erase what is listed"
        ),
        required=False,
    )
