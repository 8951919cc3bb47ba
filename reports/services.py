"""Writes of the reports app: the facilitator's key messages of a round (decision 0063).

Each write validates fully, runs in one transaction with the row locked, records an activity
log entry, and moves the place's data version through ``reports.freshness`` (the PDF
opens with the key messages, so a cached PDF must be rebuilt).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import Round
from places.services import activity_record
from reports.models import KeyMessages, KeyMessagesState

STALE = "stale"
FINAL = "final"


def key_messages_for(round_: Round) -> KeyMessages | None:
    """The round's key messages with who saved and finalised them (one query), or None."""
    return (
        KeyMessages.objects.select_related("saved_by", "finalised_by").filter(round=round_).first()
    )


def _locked(round_: Round) -> KeyMessages:
    return KeyMessages.objects.select_for_update().filter(round=round_).first() or KeyMessages(
        round=round_
    )


def _check_revision(messages: KeyMessages, revision: int) -> None:
    if messages.revision != revision:
        raise ValidationError(
            "Someone saved these key messages after you opened the page. Your text is kept "
            "below: compare it with the saved version shown above, then save again.",
            code=STALE,
        )


@transaction.atomic
def key_messages_save(
    *, round_: Round, summary: str, board_note: str, revision: int, user
) -> KeyMessages:
    """Save the text as a draft. Refused while final (reopen first) or when another save
    came in since the form was opened (``revision``)."""
    messages = _locked(round_)
    if messages.is_final:
        raise ValidationError(
            "These key messages are marked final. Reopen them before you change the text.",
            code=FINAL,
        )
    _check_revision(messages, revision)
    messages.summary = summary
    messages.board_note = board_note
    messages.revision += 1
    messages.saved_by = user
    messages.saved_at = timezone.now()
    messages.full_clean()
    messages.save()
    activity_record(
        place=round_.place,
        actor=user,
        verb="key-messages-saved",
        description=(
            f"Saved the key messages of {round_.name} as a draft "
            f"({len(summary)} + {len(board_note)} characters, version {messages.revision})."
        ),
    )
    return messages


@transaction.atomic
def key_messages_finalise(*, round_: Round, revision: int, user) -> KeyMessages:
    """Mark the saved text final: the PDF stops calling it a draft."""
    messages = _locked(round_)
    if messages.pk is None or not messages.summary.strip():
        raise ValidationError(
            "Write and save the key messages before you mark them final.", code="empty"
        )
    if messages.is_final:
        return messages  # a repeated click: nothing to change
    _check_revision(messages, revision)
    messages.state = KeyMessagesState.FINAL
    messages.finalised_by = user
    messages.finalised_at = timezone.now()
    messages.save()
    activity_record(
        place=round_.place,
        actor=user,
        verb="key-messages-final",
        description=f"Marked the key messages of {round_.name} final (version {messages.revision}).",
    )
    return messages


@transaction.atomic
def key_messages_reopen(*, round_: Round, user) -> KeyMessages:
    """Back to draft, so that the text can be changed; the PDF says "Draft" again."""
    messages = _locked(round_)
    if messages.pk is None or not messages.is_final:
        raise ValidationError("These key messages are already a draft.", code="draft")
    messages.state = KeyMessagesState.DRAFT
    messages.finalised_by = None
    messages.finalised_at = None
    messages.save()
    activity_record(
        place=round_.place,
        actor=user,
        verb="key-messages-reopened",
        description=f"Reopened the key messages of {round_.name} as a draft.",
    )
    return messages
