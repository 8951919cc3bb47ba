"""The respondent's form: one radio group and one evidence note per precondition.

The form only checks and cleans what was posted; ``response_save`` decides what is
stored. Its markup is written by hand in templates/assessments/respond/ (see
docs/decisions/0010) so that every label, hint and error is tied to its field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django import forms

from assessments.models import EVIDENCE_MAX_LENGTH
from assessments.services.responses import DONT_KNOW, MISSING_BEFORE_SUBMIT, Answer
from preconditions.models import Precondition, ScaleLevel

# Keys a genuine form posts besides the per-precondition fields.
BASE_KEYS = {"csrfmiddlewaretoken", "version", "action"}

CHOICE_ERROR = "Choose one of the levels shown, or Don't know."


class EvidenceField(forms.CharField):
    """A note whose line breaks count as one character each, as the page counts them."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class Row:
    """What the template needs to draw one precondition."""

    precondition: Precondition
    choice_name: str
    choice_value: str
    choice_errors: list[str]
    evidence_name: str
    evidence_value: str
    evidence_errors: list[str]
    saved: Answer | None = None  # set when a stale copy differs from what is saved
    saved_label: str = ""
    typed_label: str = ""

    @property
    def evidence_remaining(self) -> int:
        return EVIDENCE_MAX_LENGTH - len(self.evidence_value)

    @property
    def evidence_over(self) -> int:
        return -self.evidence_remaining

    @property
    def evidence_differs(self) -> bool:
        return self.saved is not None and self.saved.evidence != self.evidence_value

    @property
    def choice_differs(self) -> bool:
        return self.saved is not None and self.saved.choice != self.choice_value


def choice_name(code: str) -> str:
    return f"{code}-choice"


def evidence_name(code: str) -> str:
    return f"{code}-evidence"


class RespondForm(forms.Form):
    version = forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={
            "required": "This page is damaged or out of date. Open your link again.",
            "invalid": "This page is damaged or out of date. Open your link again.",
            "min_value": "This page is damaged or out of date. Open your link again.",
        },
    )

    def __init__(
        self,
        *args,
        preconditions: Sequence[Precondition],
        scale: Sequence[ScaleLevel],
        submitting: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.preconditions = list(preconditions)
        # Submitting needs every item answered. Checked here, beside the form's own checks,
        # so that one submit reports every problem at once: an over-long note and the items
        # still unanswered together (response_save checks again when it saves).
        self.submitting = submitting
        choices = [(str(level.value), level.label) for level in scale]
        choices.append((DONT_KNOW, "Don't know"))
        for item in self.preconditions:
            self.fields[choice_name(item.code)] = forms.ChoiceField(
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": CHOICE_ERROR},
            )
            self.fields[evidence_name(item.code)] = EvidenceField(
                required=False,
                strip=False,
                max_length=EVIDENCE_MAX_LENGTH,
                widget=forms.Textarea,
                error_messages={
                    "max_length": (
                        f"Keep this note to {EVIDENCE_MAX_LENGTH} characters or fewer "
                        "(it has %(show_value)d)."
                    )
                },
            )

    def clean(self):
        cleaned = super().clean()
        if self.is_bound:
            unexpected = sorted(set(self.data) - BASE_KEYS - set(self.fields))
            if unexpected:
                raise forms.ValidationError(
                    "This form contained fields that do not belong to your answers ("
                    + ", ".join(unexpected[:5])
                    + "). Nothing was saved. Check your answers below and save again.",
                    code="unexpected_fields",
                )
            for key in set(self.data) & set(self.fields):
                if len(self.data.getlist(key)) > 1:
                    raise forms.ValidationError(
                        "This form sent more than one value for the same question. "
                        "Nothing was saved. Check your answers below and save again.",
                        code="repeated_fields",
                    )
            if self.submitting:
                for item in self.preconditions:
                    name = choice_name(item.code)
                    if name not in self.errors and not cleaned.get(name):
                        self.add_error(name, MISSING_BEFORE_SUBMIT)
        return cleaned

    def answers(self) -> dict[str, Answer]:
        """The cleaned answers by precondition code (call after is_valid())."""
        return {
            item.code: Answer(
                choice=self.cleaned_data.get(choice_name(item.code)) or "",
                evidence=self.cleaned_data.get(evidence_name(item.code)) or "",
            )
            for item in self.preconditions
        }

    def rows(
        self, saved: dict[str, Answer] | None = None, labels: dict[str, str] | None = None
    ) -> dict[int, Row]:
        """One Row per precondition, keyed by precondition id, showing values as typed."""
        rows = {}
        for item in self.preconditions:
            cname, ename = choice_name(item.code), evidence_name(item.code)
            typed = Answer(
                choice=str(self[cname].value() or ""),
                evidence=str(self[ename].value() or "").replace("\r\n", "\n"),
            )
            row = Row(
                precondition=item,
                choice_name=cname,
                choice_value=typed.choice,
                choice_errors=list(self.errors.get(cname, [])),
                evidence_name=ename,
                evidence_value=typed.evidence,
                evidence_errors=list(self.errors.get(ename, [])),
            )
            if saved is not None and saved.get(item.code, Answer()) != typed:
                row.saved = saved.get(item.code, Answer())
                row.saved_label = (labels or {}).get(row.saved.choice, row.saved.choice)
                row.typed_label = (labels or {}).get(typed.choice, typed.choice)
            rows[item.pk] = row
        return rows

    def answered_count(self) -> int:
        return sum(1 for item in self.preconditions if self[choice_name(item.code)].value())


def initial_from_answers(answers: dict[str, Answer], version: int) -> dict[str, object]:
    initial: dict[str, object] = {"version": version}
    for code, answer in answers.items():
        initial[choice_name(code)] = answer.choice
        initial[evidence_name(code)] = answer.evidence
    return initial
