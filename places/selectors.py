"""Reads for places, partners, people and the activity log."""

from __future__ import annotations

from django.db.models import F, QuerySet

from places.models import ActivityLog, LeadInvitation, Membership, Partner, Place, PlaceInvitation


def partners_for_place(place: Place) -> QuerySet[Partner]:
    """Every partner, archived ones included (lists show them greyed), active first."""
    # NULLs sort differently on SQLite and PostgreSQL: say where active partners go.
    return Partner.objects.filter(place=place).order_by(
        F("archived_at").asc(nulls_first=True), "name"
    )


def partners_for_new_invitations(place: Place) -> QuerySet[Partner]:
    """The partners something new may name (a respondent's invitation, a workshop action's
    owner): archived ones are left out, in name order. The one rule for every such form."""
    return Partner.objects.filter(place=place, archived_at__isnull=True).order_by("name")


def members_of_place(place: Place) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(place=place)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


def pending_place_invitations(place: Place) -> QuerySet[PlaceInvitation]:
    return PlaceInvitation.objects.filter(
        place=place, accepted_at__isnull=True, revoked_at__isnull=True
    ).order_by("email")


def activity_for_place(place: Place) -> QuerySet[ActivityLog]:
    """Newest first, with who acted (one query per page)."""
    return ActivityLog.objects.filter(place=place).select_related("actor")


def pending_lead_invitations() -> QuerySet[LeadInvitation]:
    """Lead invitations not yet used or withdrawn (expired ones too: they can be sent again),
    newest first, with who sent them."""
    return LeadInvitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")
