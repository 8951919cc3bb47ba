from __future__ import annotations

from django import forms

from ninefold.forms import StaffForm

DONT_KNOW = "dk"


class EvidenceFilterForm(StaffForm):
    """Filters for the evidence notes of one precondition (sent by GET)."""

    level = forms.ChoiceField(
        label="Level",
        required=False,
        error_messages={"invalid_choice": "Choose one of the levels listed"},
    )
    partner = forms.TypedChoiceField(
        label="Partner",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose one of the partners listed"},
    )

    def __init__(self, *args, scale: dict[int, str], partners: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [
            ("", "Any level"),
            *((str(v), f"{v} {label}") for v, label in scale.items()),
            (DONT_KNOW, "Don't know"),
        ]
        self.fields["partner"].choices = [("", "All partners"), *partners]

    def score_filter(self) -> int | None | str:
        """The ``score`` argument of ``aggregation.evidence_notes``."""
        level = self.cleaned_data.get("level") if self.is_valid() else ""
        if not level:
            return "any"
        return None if level == DONT_KNOW else int(level)

    def partner_filter(self) -> int | None:
        return self.cleaned_data.get("partner") if self.is_valid() else None
