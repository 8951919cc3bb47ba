"""Writes for workshops: each validates fully and runs in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from assessments.models import Round
from places.models import Partner
from places.services import activity_record
from preconditions.models import Precondition
from workshop.models import Action, AgreedView


@transaction.atomic
def agreed_view_record(
    *,
    round_: Round,
    precondition: Precondition,
    level: int | None,
    disagree: bool,
    reasons: str,
    user,
) -> AgreedView:
    """Create or replace the room's agreed view of one precondition in one round."""
    view = (
        AgreedView.objects.select_for_update()
        .filter(round=round_, precondition=precondition)
        .first()
    ) or AgreedView(round=round_, precondition=precondition)
    view.level = level
    view.disagree = disagree
    view.reasons = reasons
    view.recorded_by = user
    view.full_clean()
    view.save()
    shown = "we disagree" if disagree else (f"level {level}" if level else "no view yet")
    activity_record(
        place=round_.place,
        actor=user,
        verb="workshop-view-recorded",
        description=f"Agreed view of {precondition.code} in {round_.name}: {shown}.",
    )
    return view


@transaction.atomic
def action_create(
    *,
    round_: Round,
    what: str,
    owner: Partner,
    due_on: date,
    preconditions: Iterable[Precondition],
    user,
) -> Action:
    action = Action(
        place_id=round_.place_id,
        round=round_,
        what=what.strip(),
        owner=owner,
        due_on=due_on,
        created_by=user,
    )
    action.full_clean()
    action.save()
    action.preconditions.set(list(preconditions))
    activity_record(
        place=round_.place,
        actor=user,
        verb="workshop-action-added",
        description=f"Action agreed: {action.what}",
    )
    return action


@transaction.atomic
def action_set_status(*, action: Action, status: str, note: str, user) -> Action:
    action.status = status
    action.status_note = note.strip()
    action.full_clean()
    action.save(update_fields=["status", "status_note", "updated_at"])
    activity_record(
        place=action.place,
        actor=user,
        verb="workshop-action-status",
        description=f"Action '{action.what}' is now {action.get_status_display().lower()}.",
    )
    return action
