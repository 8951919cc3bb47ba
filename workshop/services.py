"""Writes for workshops and networks: each validates fully and runs in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from assessments.models import Round
from places.models import Partner
from places.services import activity_record
from preconditions.models import Precondition
from workshop.models import Action, AgreedView, NetworkPlace


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


@transaction.atomic
def network_place_set_consent(
    *, network_place: NetworkPlace, share: bool, named: bool, user
) -> NetworkPlace:
    """Give or withdraw consent. Withdrawing the share withdraws the name with it."""
    # Lock only the consent row; its place and network are read for the activity log.
    network_place = (
        NetworkPlace.objects.select_for_update(of=("self",))
        .select_related("place", "network")
        .get(pk=network_place.pk)
    )
    network_place.consent_share = share
    network_place.consent_named = named and share
    network_place.consented_by = user
    network_place.consented_at = timezone.now()
    network_place.full_clean()
    network_place.save()
    if not share:
        shown = "does not share its figures"
    elif network_place.consent_named:
        shown = "shares its figures, by name"
    else:
        shown = "shares its figures, anonymised"
    activity_record(
        place=network_place.place,
        actor=user,
        verb="network-consent",
        description=f"In {network_place.network.name} the place now {shown}.",
    )
    return network_place
