"""Forms of the workshop steps and of the consent page."""

from __future__ import annotations

from django import forms

from ninefold.forms import DayMonthYearField, StaffForm
from ninefold.text import validate_not_formula_like, validate_one_line
from places.models import Place
from places.selectors import partners_for_new_invitations
from preconditions.models import Precondition
from workshop.models import REASONS_MAX_LENGTH, Action, ActionStatus

DISAGREE = "disagree"
NOT_YET = ""


class AgreedViewForm(StaffForm):
    view = forms.ChoiceField(
        label="Agreed level",
        widget=forms.RadioSelect,
        required=False,
        help_text='Choose the level the room agrees on, or "we disagree".',
        error_messages={"invalid_choice": "Choose one of the levels shown"},
    )
    reasons = forms.CharField(
        label="Reasons",
        required=False,
        max_length=REASONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the room settled here, or where and why views still differ.",
    )

    def __init__(self, *args, scale: dict[int, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["view"].choices = [
            *[(str(level), f"{level} – {label}") for level, label in sorted(scale.items())],
            (DISAGREE, "We disagree"),
            (NOT_YET, "No view recorded yet"),
        ]

    def clean(self):
        data = super().clean()
        view = data.get("view", NOT_YET)
        if view == DISAGREE and not data.get("reasons", "").strip():
            self.add_error("reasons", "Say briefly where and why views differ")
        data["level"] = int(view) if view not in (DISAGREE, NOT_YET) else None
        data["disagree"] = view == DISAGREE
        return data

    @staticmethod
    def initial_for(view) -> dict:
        if view is None:
            return {"view": NOT_YET}
        shown = DISAGREE if view.disagree else (str(view.level) if view.level else NOT_YET)
        return {"view": shown, "reasons": view.reasons}


class ActionForm(StaffForm):
    what = forms.CharField(
        label="What will be done",
        max_length=500,
        validators=[validate_not_formula_like],
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what will be done"},
    )
    owner = forms.ModelChoiceField(
        label="Owner organisation",
        queryset=None,
        empty_label="Choose an organisation",
        error_messages={
            "required": "Choose the organisation that owns the action",
            "invalid_choice": "Choose one of this place's partners",
        },
    )
    due_on = DayMonthYearField(label="Due date")
    preconditions = forms.ModelMultipleChoiceField(
        label="Linked preconditions",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose from the preconditions listed"},
    )

    def __init__(self, *args, place: Place, framework_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # An action is new work: an archived partner cannot take it on.
        self.fields["owner"].queryset = partners_for_new_invitations(place)
        self.fields["preconditions"].queryset = Precondition.objects.filter(
            framework_id=framework_id
        ).order_by("order", "code")
        self.fields["preconditions"].label_from_instance = lambda p: f"{p.code}. {p.name}"


# Session key of status updates refused, by action: what was typed, redrawn with its errors
# at the field the next time the list of actions is shown (the form posts from a list page and
# returns to it).
REFUSED_STATUS_KEY = "workshop_refused_action_status"


class ActionStatusForm(StaffForm):
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        error_messages={
            "required": "Choose the action's status",
            "invalid_choice": "Choose one of the statuses listed",
        },
    )
    status_note = forms.CharField(
        label="Note",
        required=False,
        max_length=Action._meta.get_field("status_note").max_length,
        validators=[validate_one_line],
        help_text="What happened, in a sentence.",
    )
