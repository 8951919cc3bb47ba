from __future__ import annotations

from django import forms

from ninefold.forms import StaffForm


class ConsentForm(StaffForm):
    share = forms.BooleanField(
        label="Share our place's figures with this network",
        required=False,
        help_text="Place scores, spread and response rates of our latest round; never names of partners or people.",
    )
    named = forms.BooleanField(
        label="Show our place by name",
        required=False,
        help_text='Otherwise we appear as "Place A", "Place B"…',
    )

    def clean(self):
        data = super().clean()
        if data.get("named") and not data.get("share"):
            self.add_error("named", "A place can only be named if it agrees to share")
        return data
