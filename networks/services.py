"""Writes for networks: a place's consent, validated fully in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from networks.models import NetworkPlace
from places.services import activity_record


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
