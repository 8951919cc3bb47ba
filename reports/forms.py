from __future__ import annotations

from django import forms

from ninefold.text import control_characters_in
from reports.models import BOARD_NOTE_MAX_LENGTH, SUMMARY_MAX_LENGTH

DONT_KNOW = "dk"


class EvidenceFilterForm(forms.Form):
    """Filters for the evidence notes of one precondition (sent by GET)."""

    level = forms.ChoiceField(label="Level", required=False)
    partner = forms.TypedChoiceField(label="Partner", required=False, coerce=int, empty_value=None)

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


class KeyMessagesForm(forms.Form):
    """The facilitator's key messages of a round (reports.services.key_messages_save)."""

    summary = forms.CharField(
        label="Key messages",
        # No maxlength attribute: a browser would cut a pasted text short without a word.
        widget=forms.Textarea(attrs={"rows": 10, "class": "form-control"}),
        help_text=(
            "What the board should take from this round, in a few short paragraphs. "
            f"Up to {SUMMARY_MAX_LENGTH:,} characters; a blank line starts a new paragraph."
        ),
        error_messages={"required": "Write the key messages before you save them."},
    )
    board_note = forms.CharField(
        label="What we ask the board to note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        help_text=f"Up to {BOARD_NOTE_MAX_LENGTH:,} characters.",
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    limits = {"summary": SUMMARY_MAX_LENGTH, "board_note": BOARD_NOTE_MAX_LENGTH}

    def _clean_text(self, name: str) -> str:
        # Browsers send line breaks as CR LF: count and keep them as one character each.
        text = self.cleaned_data.get(name, "").replace("\r\n", "\n").replace("\r", "\n")
        unwanted = control_characters_in(text.replace("\n", "").replace("\t", ""))
        if unwanted:
            raise forms.ValidationError(
                "Remove the control characters (" + ", ".join(unwanted) + ") from this text.",
                code="control_characters",
            )
        text = text.strip()
        if len(text) > self.limits[name]:
            raise forms.ValidationError(
                f"Shorten this to {self.limits[name]:,} characters or fewer; it has {len(text):,}.",
                code="max_length",
            )
        return text

    def clean_summary(self) -> str:
        return self._clean_text("summary")

    def clean_board_note(self) -> str:
        return self._clean_text("board_note")
