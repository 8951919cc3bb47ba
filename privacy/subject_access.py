"""Everything Ninefold holds about one email address, within the places someone may search.

A lead searches their own place; a site administrator every place (and the account and lead
invitations, which belong to no place). The result is plain data: shown on the page, exported
as JSON or as a standalone HTML page (privacy.views), and the basis of an erasure
(privacy.erasure). Matching ignores case. What a person wrote is theirs and is included;
other people's details (the lead who invited them, say) are not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from assessments.models import Invitation, Rating
from places.models import ActivityLog, LeadInvitation, Membership, Place, PlaceInvitation


def emails_sent(invitation: Invitation) -> list[dict[str, Any]]:
    """The emails sent (or tried) to a respondent for one invitation: its outbox rows."""
    return [
        {
            "what": f"{email.get_kind_display().lower()} ({email.get_status_display().lower()})",
            "sent_at": email.sent_at or email.created_at,
        }
        for email in invitation.emails.all()
    ]


@dataclass
class Found:
    email: str
    places: list[str] = field(default_factory=list)
    invitations: list[dict[str, Any]] = field(default_factory=list)
    colleague_invitations: list[dict[str, Any]] = field(default_factory=list)
    lead_invitations: list[dict[str, Any]] = field(default_factory=list)
    account: dict[str, Any] | None = None
    activity: list[dict[str, Any]] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(
            self.invitations
            or self.colleague_invitations
            or self.lead_invitations
            or self.account
            or self.activity
        )

    @property
    def answers(self) -> int:
        return sum(1 for i in self.invitations if i["answers"])

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _invitations(email: str, places: QuerySet[Place]) -> list[dict[str, Any]]:
    invitations = (
        Invitation.objects.filter(email__iexact=email, round__place__in=places)
        .select_related("round__place", "partner", "response")
        .prefetch_related("emails")
        .order_by("round__place__name", "-round__opens_on", "pk")
    )
    ratings: dict[int, list[Rating]] = {}
    rating_rows = (
        Rating.objects.filter(response__invitation__in=invitations)
        .select_related("precondition")
        .order_by("precondition__order", "precondition__code")
    )
    for rating in rating_rows:
        ratings.setdefault(rating.response_id, []).append(rating)
    found = []
    for invitation in invitations:
        response = getattr(invitation, "response", None)
        answers = [
            {
                "precondition": f"{r.precondition.code}. {r.precondition.name}",
                "score": r.score,
                "dont_know": r.answered and r.score is None,
                "evidence": r.evidence,
                "evidence_removed_at": r.evidence_redacted_at,
            }
            for r in (ratings.get(response.pk, []) if response else [])
        ]
        found.append(
            {
                "place": invitation.round.place.name,
                "round": invitation.round.name,
                "round_state": invitation.round.get_state_display(),
                "name": invitation.name,
                "email": invitation.email,
                "partner": invitation.partner.name,
                "perspective": invitation.get_perspective_display(),
                "invited_at": invitation.created_at,
                "first_opened_at": invitation.first_opened_at,
                "revoked_at": invitation.revoked_at,
                "emails_sent": emails_sent(invitation),
                "response_status": response.get_status_display() if response else "",
                "submitted_at": response.submitted_at if response else None,
                "answers": answers,
            }
        )
    return found


def find_personal_data(email: str, places: QuerySet[Place], *, site_wide: bool = False) -> Found:
    """What is held about ``email`` in ``places`` (and, ``site_wide``, outside any place)."""
    email = email.strip()
    result = Found(email=email)
    result.invitations = _invitations(email, places)
    result.colleague_invitations = [
        {
            "place": i.place.name,
            "role": i.get_role_display(),
            "email": i.email,
            "invited_at": i.created_at,
            "accepted_at": i.accepted_at,
            "revoked_at": i.revoked_at,
        }
        for i in PlaceInvitation.objects.filter(email__iexact=email, place__in=places)
        .select_related("place")
        .order_by("place__name", "pk")
    ]
    user = get_user_model().objects.filter(email__iexact=email).first()
    memberships = (
        list(Membership.objects.filter(user=user, place__in=places).select_related("place"))
        if user
        else []
    )
    # An account is shown to a lead only when its holder belongs to the lead's place.
    if user and (site_wide or memberships):
        result.account = {
            "email": user.email,
            "full_name": user.full_name,
            "joined_at": user.date_joined,
            "last_sign_in_at": user.last_login,
            "roles": [f"{m.get_role_display()} of {m.place.name}" for m in memberships],
        }
    words = Q(description__icontains=email)
    for invitation in result.invitations:
        if invitation["name"]:
            words |= Q(description__icontains=invitation["name"])
    by_them = Q(actor=user) if result.account else Q()
    result.activity = [
        {
            "place": entry.place.name,
            "at": entry.created_at,
            "by_this_person": bool(result.account) and entry.actor_id == user.pk,
            "what": entry.description,
        }
        for entry in ActivityLog.objects.filter(place__in=places)
        .filter(words | by_them)
        .select_related("place")
        .order_by("-created_at", "-pk")
    ]
    if site_wide:
        result.lead_invitations = [
            {"email": i.email, "invited_at": i.created_at, "accepted_at": i.accepted_at}
            for i in LeadInvitation.objects.filter(email__iexact=email).order_by("pk")
        ]
    result.places = sorted(
        {i["place"] for i in result.invitations}
        | {i["place"] for i in result.colleague_invitations}
        | {a["place"] for a in result.activity}
    )
    return result


def places_with_data(email: str, places: Iterable[Place]) -> list[Place]:
    """The places among ``places`` holding anything about ``email`` (to log the search in)."""
    ids = set(
        Invitation.objects.filter(email__iexact=email, round__place__in=places).values_list(
            "round__place_id", flat=True
        )
    ) | set(
        PlaceInvitation.objects.filter(email__iexact=email, place__in=places).values_list(
            "place_id", flat=True
        )
    )
    return list(Place.objects.filter(pk__in=ids))
