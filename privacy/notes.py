"""A lead removes the text of an evidence note (it named someone, say). The rating stays, so
no figure changes; the note then reads as removed wherever it was shown."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import Rating
from places.services import activity_record


@transaction.atomic
def note_redact(*, rating: Rating, actor) -> Rating:
    """Empty the note's text and record when; the activity log says which note, not what it
    said (that would keep the text)."""
    rating = (
        Rating.objects.select_for_update(of=("self",))
        .select_related("precondition", "response__invitation__round__place")
        .get(pk=rating.pk)
    )
    if rating.evidence_redacted_at is not None:
        raise ValidationError("This note's text has already been removed.")
    if not rating.evidence:
        raise ValidationError("This rating has no note to remove.")
    rating.evidence = ""
    rating.evidence_redacted_at = timezone.now()
    rating.save(update_fields=["evidence", "evidence_redacted_at"])  # reports.freshness bumps
    round_ = rating.response.invitation.round
    activity_record(
        place=round_.place,
        actor=actor,
        verb="note-redacted",
        description=(
            f"Removed the text of an evidence note on {rating.precondition.code} "
            f"in the round “{round_.name}” (note {rating.pk}). Its rating is kept."
        ),
    )
    return rating
