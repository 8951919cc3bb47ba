"""Key messages: what the facilitator writes at the front of a round's board paper.

One record per round, created on the first save. It keeps the latest text with who saved it
and when, and whether it is still a draft or marked final; every save and every change of
state is also written to the place's activity log, which is the history (decision 0063).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from assessments.models import Round
from ninefold.text import text_limit

SUMMARY_MAX_LENGTH = 2500
BOARD_NOTE_MAX_LENGTH = 1500


class KeyMessagesState(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"


class KeyMessages(models.Model):
    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="key_messages")
    summary = models.TextField("key messages", blank=True, **text_limit(SUMMARY_MAX_LENGTH))
    board_note = models.TextField(
        "what we ask the board to note", blank=True, **text_limit(BOARD_NOTE_MAX_LENGTH)
    )
    state = models.CharField(
        max_length=8, choices=KeyMessagesState.choices, default=KeyMessagesState.DRAFT
    )
    # Moves on every save: a form sent from an older copy of the page is refused, not saved
    # over someone else's words (the same guard as decision 0012).
    revision = models.PositiveIntegerField(default=0)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    saved_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "key messages"
        verbose_name_plural = "key messages"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=KeyMessagesState.values),
                name="key_messages_state_valid",
                violation_error_message="Key messages are either a draft or final.",
            ),
        ]

    def __str__(self) -> str:
        return f"Key messages of {self.round.name} ({self.get_state_display().lower()})"

    @property
    def is_final(self) -> bool:
        return self.state == KeyMessagesState.FINAL
