from __future__ import annotations

from django import forms

from ninefold.forms import StaffForm
from ninefold.text import control_characters_in
from reports.models import BOARD_NOTE_MAX_LENGTH, SUMMARY_MAX_LENGTH

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


class ParagraphsField(forms.CharField):
    """Free text in paragraphs, limited in length as people count it: browsers send each line
    break as CR LF, counted here as one character. The page carries no ``maxlength``
    attribute, which would let a browser cut a pasted text short without a word; the limit
    is checked on the server, with a message, and the text stays in the form."""

    def to_python(self, value):
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n") if text else text

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


TOO_LONG = "Shorten this to %(limit_value)s characters or fewer; it has %(show_value)s."


class KeyMessagesForm(StaffForm):
    """The facilitator's key messages of a round (reports.services.key_messages_save)."""

    summary = ParagraphsField(
        label="Key messages",
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=(
            "What the board should take from this round, in a few short paragraphs. "
            f"Up to {SUMMARY_MAX_LENGTH} characters; a blank line starts a new paragraph."
        ),
        error_messages={
            "required": "Write the key messages before you save them",
            "max_length": TOO_LONG,
        },
    )
    board_note = ParagraphsField(
        label="What we ask the board to note",
        required=False,
        max_length=BOARD_NOTE_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"Up to {BOARD_NOTE_MAX_LENGTH} characters.",
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def _clean_text(self, name: str) -> str:
        text = self.cleaned_data.get(name, "")
        unwanted = control_characters_in(text.replace("\n", "").replace("\t", ""))
        if unwanted:
            raise forms.ValidationError(
                "Remove the control characters (" + ", ".join(unwanted) + ") from this text",
                code="control_characters",
            )
        return text

    def clean_summary(self) -> str:
        return self._clean_text("summary")

    def clean_board_note(self) -> str:
        return self._clean_text("board_note")


class IdentityExportForm(StaffForm):
    """The export page's choice to include names and emails in the ratings files (a GET form:
    the download links take ``identify=1``; reports.views.exports checks who may ask)."""

    identify = forms.BooleanField(
        label="Include the name and email of each respondent",
        required=False,
        widget=forms.CheckboxInput(attrs={"value": "1"}),
        help_text=(
            "Only partnership leads can do this, and it is recorded in the place's activity "
            "log. Respondents were told their answers are attributed to their organisation, not "
            "to them: include names only when you have a reason to."
        ),
    )
