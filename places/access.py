"""The one way views reach a place: membership checked in the same query.

Anything outside the user's places is a 404 (it must not even be confirmed to
exist); a member whose role is not allowed the action gets a 403.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from places.models import Membership, Partner, Place, PlaceInvitation, Role

LEADS = (Role.LEAD,)
FACILITATORS_AND_LEADS = (Role.LEAD, Role.FACILITATOR)
EVERYONE = (Role.LEAD, Role.FACILITATOR, Role.BOARD)


def places_for_user(user) -> QuerySet[Membership]:
    """The user's memberships with their places, one query."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("place").order_by("place__name")


def get_membership(user, slug: str, roles: Iterable[str] | None = None) -> Membership:
    """Return the user's membership of the place with ``slug`` (one query).

    Raises Http404 when the user is anonymous or not a member, PermissionDenied
    when the user's role is not among ``roles``.
    """
    if not user.is_authenticated:
        raise Http404("No such place.")
    try:
        membership = Membership.objects.select_related("place").get(user=user, place__slug=slug)
    except Membership.DoesNotExist:
        raise Http404("No such place.") from None
    if roles is not None and membership.role not in set(roles):
        raise PermissionDenied("Your role in this place does not allow this.")
    return membership


def get_place_for_user(user, slug: str, roles: Iterable[str] | None = None) -> Place:
    return get_membership(user, slug, roles).place


def get_partner(user, slug: str, partner_id: int, roles: Iterable[str] | None = LEADS):
    """The user's membership and one partner of that place (another place's partner: 404)."""
    membership = get_membership(user, slug, roles)
    try:
        partner = Partner.objects.get(pk=partner_id, place_id=membership.place_id)
    except Partner.DoesNotExist:
        raise Http404("No such partner.") from None
    partner.place = membership.place
    return membership, partner


def get_member(user, slug: str, membership_id: int, roles: Iterable[str] | None = LEADS):
    """The user's membership and another membership of the same place (elsewhere: 404)."""
    membership = get_membership(user, slug, roles)
    try:
        target = Membership.objects.select_related("user").get(
            pk=membership_id, place_id=membership.place_id
        )
    except Membership.DoesNotExist:
        raise Http404("No such person in this place.") from None
    target.place = membership.place
    return membership, target


def get_place_invitation(user, slug: str, invitation_id: int, roles: Iterable[str] | None = LEADS):
    """The user's membership and one colleague invitation of that place (elsewhere: 404)."""
    membership = get_membership(user, slug, roles)
    try:
        invitation = PlaceInvitation.objects.select_related("invited_by").get(
            pk=invitation_id, place_id=membership.place_id
        )
    except PlaceInvitation.DoesNotExist:
        raise Http404("No such invitation.") from None
    invitation.place = membership.place
    return membership, invitation
