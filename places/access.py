"""The one way views reach a place: membership checked in the same query.

Anything outside the user's places is a 404 (it must not even be confirmed to
exist); a member whose role is not allowed the action gets a 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from places.models import LeadInvitation, Membership, Partner, Place, PlaceInvitation, Role

LEADS = (Role.LEAD,)
FACILITATORS_AND_LEADS = (Role.LEAD, Role.FACILITATOR)
EVERYONE = (Role.LEAD, Role.FACILITATOR, Role.BOARD)

M = TypeVar("M", bound=Model)


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


# The permission a lead invitation gives (decision 0024); a site administrator can also grant
# it by hand in the admin.
CREATE_PLACES_PERMISSION = "places.add_place"


def may_create_places(user) -> bool:
    """Whether the user may set up a new place, as ``settings.PLACE_CREATORS`` says."""
    if not user.is_authenticated or not user.is_active:
        return False
    if settings.PLACE_CREATORS == "anyone" or user.is_staff or user.is_superuser:
        return True
    if settings.PLACE_CREATORS != "invited":
        return False
    # One query, the user's own permissions and their groups' together (``has_perm`` takes two
    # and this runs on every home page).
    app_label, codename = CREATE_PLACES_PERMISSION.split(".")
    return Permission.objects.filter(
        Q(user=user) | Q(group__user=user), content_type__app_label=app_label, codename=codename
    ).exists()


def require_site_staff(user) -> None:
    """Site administrators' pages (inviting leads): anyone else gets a 403."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise PermissionDenied("Only a site administrator can do this.")


def get_place_for_user(user, slug: str, roles: Iterable[str] | None = None) -> Place:
    return get_membership(user, slug, roles).place


def object_of_place(
    queryset: QuerySet[M] | type[M], place: Place, *, via: str = "place", **lookups
) -> M:
    """The one object matching ``lookups`` that belongs to ``place``, or a 404 (one query).

    ``via`` is the path from the object to its place ("round__place" for a respondent's
    invitation). Another place's object is a 404 like a missing one: its id must not even be
    confirmed to exist. Objects found directly under the place get the place already loaded
    with the membership, which saves a query wherever the page shows the place.
    """
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    try:
        found = queryset.get(**{via: place}, **lookups)
    except queryset.model.DoesNotExist:
        raise Http404(f"No such {queryset.model._meta.verbose_name}.") from None
    if via == "place":
        found.place = place
    return found


def get_partner(user, slug: str, partner_id: int, roles: Iterable[str] | None = LEADS):
    """The user's membership and one partner of that place (another place's partner: 404)."""
    membership = get_membership(user, slug, roles)
    return membership, object_of_place(Partner, membership.place, pk=partner_id)


def get_member(user, slug: str, membership_id: int, roles: Iterable[str] | None = LEADS):
    """The user's membership and another membership of the same place (elsewhere: 404)."""
    membership = get_membership(user, slug, roles)
    target = object_of_place(
        Membership.objects.select_related("user"), membership.place, pk=membership_id
    )
    return membership, target


def get_place_invitation(user, slug: str, invitation_id: int, roles: Iterable[str] | None = LEADS):
    """The user's membership and one colleague invitation of that place (elsewhere: 404)."""
    membership = get_membership(user, slug, roles)
    invitation = object_of_place(
        PlaceInvitation.objects.select_related("invited_by"), membership.place, pk=invitation_id
    )
    return membership, invitation


def get_lead_invitation(user, invitation_id: int) -> LeadInvitation:
    """One lead invitation, for a site administrator only (others: 403; missing: 404)."""
    require_site_staff(user)
    try:
        return LeadInvitation.objects.get(pk=invitation_id)
    except LeadInvitation.DoesNotExist:
        raise Http404("No such invitation.") from None
