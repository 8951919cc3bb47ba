"""Erasing what is held about one email address, at that person's request (decision 0113).

A respondent's invitations are deleted with their answers and evidence notes: in a small
partnership a partner, a perspective and a note in someone's own words can point to them
even without a name, so keeping "anonymised" answers would not be erasure. A closed round's
figures change as a result, and its reports say so (``Round.figures_changed_at``). Colleague
invitations to the address go too, and the name and address are taken out of the activity
log. An account is not deleted here: it may be a place's only lead; a site administrator
deletes accounts in the admin, and a lead removes someone from the place's people.

The log says an erasure happened and what it removed, never whose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from assessments.models import Invitation, Rating, Response, Round, RoundState
from places.models import LeadInvitation, Place, PlaceInvitation
from places.services import activity_record
from privacy.scrub import scrub_activity


@dataclass
class Erased:
    invitations: int = 0
    responses: int = 0
    colleague_invitations: int = 0
    lead_invitations: int = 0
    activity_entries: int = 0
    closed_rounds_changed: list[str] = field(default_factory=list)
    account_kept: bool = False

    @property
    def anything(self) -> bool:
        return bool(
            self.invitations
            or self.colleague_invitations
            or self.lead_invitations
            or self.activity_entries
        )


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@transaction.atomic
def erase_personal_data(
    *, email: str, places: QuerySet[Place], actor, site_wide: bool = False
) -> Erased:
    email = email.strip()
    now = timezone.now()
    result = Erased()
    place_ids = list(places.values_list("pk", flat=True))
    invitations = list(
        Invitation.objects.select_for_update(of=("self",))
        .filter(email__iexact=email, round__place_id__in=place_ids)
        .select_related("round")
    )
    ids = [i.pk for i in invitations]
    words = {email} | {i.name for i in invitations}
    touched: dict[int, list[str]] = {}
    for invitation in invitations:
        touched.setdefault(invitation.round.place_id, [])
    changed_rounds = {
        i.round_id: i.round for i in invitations if i.round.state == RoundState.CLOSED
    }

    responses = Response.objects.filter(invitation_id__in=ids)
    result.responses = responses.filter(status="submitted").count()
    Rating.objects.filter(response__in=responses).delete()
    responses.delete()
    result.invitations, _ = Invitation.objects.filter(pk__in=ids).delete()
    result.invitations = len(ids)  # the count above includes the links deleted with them
    Round.objects.filter(pk__in=changed_rounds).update(figures_changed_at=now)
    result.closed_rounds_changed = sorted(r.name for r in changed_rounds.values())

    colleague = PlaceInvitation.objects.filter(email__iexact=email, place_id__in=place_ids)
    for place_id in colleague.values_list("place_id", flat=True):
        touched.setdefault(place_id, [])
    result.colleague_invitations, _ = colleague.delete()
    if site_wide:
        result.lead_invitations, _ = LeadInvitation.objects.filter(email__iexact=email).delete()
    result.activity_entries = scrub_activity(place_ids, words)
    result.account_kept = get_user_model().objects.filter(email__iexact=email).exists()

    if not site_wide:
        # A lead's request is always logged in their place, even when nothing was held.
        for place_id in place_ids:
            touched.setdefault(place_id, [])
    Place.objects.filter(pk__in=touched).bump_data_version()
    for place in Place.objects.filter(pk__in=touched):
        rounds = [r.name for r in changed_rounds.values() if r.place_id == place.pk]
        activity_record(
            place=place,
            actor=actor,
            verb="personal-data-erased",
            description=(
                "Erased what was held about one person at their request: "
                f"{_plural(sum(1 for i in invitations if i.round.place_id == place.pk), 'invitation', 'invitations')} "
                f"with their answers and notes"
                + (
                    f"; the figures of the closed round(s) {', '.join(rounds)} changed"
                    if rounds
                    else ""
                )
                + (" (by a site administrator)" if site_wide else "")
                + "."
            ),
        )
    return result
