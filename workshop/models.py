"""The workshop that follows a round: what the room agreed (agreed views) and its actions.

Networks comparing places have their own app, ``networks`` (decision 0083).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.models import Round
from ninefold.text import text_limit, validate_not_formula_like, validate_one_line
from places.models import Partner, Place
from preconditions.models import Precondition

REASONS_MAX_LENGTH = 4000


class AgreedView(models.Model):
    """What the room agreed about one precondition at the workshop after a round.

    Either a level (1–5), or ``disagree`` ("we disagree"), or neither while the
    conversation has not reached a view yet; never both.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="agreed_views")
    precondition = models.ForeignKey(
        Precondition, on_delete=models.PROTECT, related_name="agreed_views"
    )
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    disagree = models.BooleanField(default=False, help_text='The room recorded "we disagree".')
    reasons = models.TextField(blank=True, **text_limit(REASONS_MAX_LENGTH))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "precondition__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "precondition"],
                name="agreed_view_unique_per_round_precondition",
                violation_error_message="This round already has an agreed view for that precondition.",
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | (Q(level__gte=1) & Q(level__lte=5)),
                name="agreed_view_level_1_to_5",
                violation_error_message="An agreed level runs from 1 to 5.",
            ),
            models.CheckConstraint(
                condition=~(Q(level__isnull=False) & Q(disagree=True)),
                name="agreed_view_level_or_disagree",
                violation_error_message='Record either a level or "we disagree", not both.',
            ),
        ]

    def __str__(self) -> str:
        shown = "we disagree" if self.disagree else (self.level or "no view yet")
        return f"{self.precondition.code}: {shown} ({self.round.name})"

    def clean(self) -> None:
        if (
            self.round_id
            and self.precondition_id
            and self.precondition.framework_id != self.round.framework_id
        ):
            raise ValidationError({"precondition": "The precondition must be the round's own."})


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


FINISHED_STATUSES = frozenset({ActionStatus.DONE, ActionStatus.DROPPED})


class Action(models.Model):
    """Something the partnership agreed to do at a workshop; followed up in later rounds."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="actions")
    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        related_name="actions",
        help_text="The round whose workshop agreed the action.",
    )
    what = models.CharField(max_length=500, validators=[validate_not_formula_like])
    owner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="actions",
        help_text="The partner organisation that owns the action.",
    )
    due_on = models.DateField("due date")
    preconditions = models.ManyToManyField(Precondition, related_name="actions", blank=True)
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default="open")
    status_note = models.CharField(max_length=500, blank=True, validators=[validate_one_line])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values),
                name="action_status_valid",
                violation_error_message="Choose a status from the list.",
            ),
            models.CheckConstraint(
                condition=~Q(what=""),
                name="action_what_not_empty",
                violation_error_message="Say what the action is.",
            ),
        ]

    def __str__(self) -> str:
        return self.what

    def overdue_on(self, today: dt.date) -> bool:
        """Past its due date and neither done nor dropped (a dropped action is finished)."""
        return self.status not in FINISHED_STATUSES and self.due_on < today

    @property
    def is_overdue(self) -> bool:
        """Computed when read, never stored: a page cached per day shows it right
        (reports.cache keys the dashboard and the PDF on the date)."""
        return self.overdue_on(timezone.localdate())

    def clean(self) -> None:
        errors = {}
        if self.round_id and self.place_id and self.round.place_id != self.place_id:
            errors["round"] = "The round must belong to the action's place."
        if self.owner_id and self.place_id and self.owner.place_id != self.place_id:
            errors["owner"] = "The owner must be a partner of the action's place."
        if errors:
            raise ValidationError(errors)
