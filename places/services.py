"""Writes for places, partners, memberships and colleague invitations.

Each service validates (``full_clean``), runs in one transaction and records
what it did in the place's activity log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from places.models import (
    ActivityLog,
    LeadInvitation,
    Membership,
    Partner,
    Place,
    PlaceInvitation,
    Role,
)
from places.partner_import import PartnerRow
from places.signals import invitation_email_sent

logger = logging.getLogger(__name__)

User = get_user_model()

PLACE_INVITATION_DAYS = 14
# The code of the ValidationError about an invitation that is no longer pending, so that a view
# can answer with the "link does not work" page rather than a form error.
INVITATION_NOT_PENDING = "invitation_not_pending"
# Path segments under /places/ that are pages, not places.
RESERVED_SLUGS = {"new", "join"}


def activity_record(*, place: Place, actor, verb: str, description: str) -> ActivityLog:
    """Record an entry in the place's activity log (one INSERT).

    ``actor`` is the signed-in user, or None when the system acted.
    """
    return ActivityLog.objects.create(
        place=place,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        description=description[:500],
    )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _person(user) -> str:
    return f"{user.full_name} ({user.email})" if user.full_name else user.email


# --- Places -------------------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "place"
    if base in RESERVED_SLUGS:
        base = f"{base}-place"
    slug, n = base, 2
    while Place.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def place_create(*, name: str, description: str = "", creator) -> Place:
    """Create a place; its creator becomes its first lead."""
    place = Place(name=name.strip(), description=description.strip(), slug=_unique_slug(name))
    place.full_clean()
    place.save()
    membership = Membership(user=creator, place=place, role=Role.LEAD)
    membership.full_clean()
    membership.save()
    activity_record(
        place=place, actor=creator, verb="place-created", description=f"Created {place.name}."
    )
    return place


@transaction.atomic
def place_update(
    *, place: Place, actor, name: str, description: str, retention_months: int | None = None
) -> Place:
    """Change a place's name, description and retention period (None: unchanged). Its address
    (slug) stays, so links keep working."""
    changed = []
    if name.strip() != place.name:
        changed.append(f"name from {place.name!r} to {name.strip()!r}")
    if description.strip() != place.description:
        changed.append("description")
    if retention_months is not None and retention_months != place.retention_months:
        changed.append(
            f"retention period from {place.retention_months} to {retention_months} months"
        )
        place.retention_months = retention_months
    place.name, place.description = name.strip(), description.strip()
    place.full_clean()
    place.save(update_fields=["name", "description", "retention_months"])
    if changed:
        activity_record(
            place=place,
            actor=actor,
            verb="place-edited",
            description="Changed the place's " + " and ".join(changed) + ".",
        )
    return place


# --- Partners -----------------------------------------------------------------------------


@transaction.atomic
def partner_create(*, place: Place, actor, name: str, sector: str) -> Partner:
    partner = Partner(place=place, name=" ".join(name.split()), sector=sector)
    partner.full_clean()
    partner.save()
    activity_record(
        place=place,
        actor=actor,
        verb="partner-added",
        description=f"Added partner {partner.name} ({partner.get_sector_display()}).",
    )
    return partner


@transaction.atomic
def partners_bulk_create(*, place: Place, actor, rows: Iterable[PartnerRow]) -> list[Partner]:
    """Create every partner of an already checked list, or none of them.

    Each partner is validated again (a colleague may have added one of the same
    name since the list was checked); any failure rolls the whole list back.
    """
    partners = [Partner(place=place, name=row.name, sector=row.sector) for row in rows]
    for row, partner in zip(rows, partners, strict=True):
        try:
            partner.full_clean()
        except ValidationError as exc:
            raise ValidationError(f"Row {row.row}: {' '.join(exc.messages)}") from None
    Partner.objects.bulk_create(partners)
    # bulk_create sends no signals: tell the report caches (reports.freshness).
    Place.objects.filter(pk=place.pk).bump_data_version()
    names = ", ".join(p.name for p in partners)
    activity_record(
        place=place,
        actor=actor,
        verb="partners-imported",
        description=f"Added {len(partners)} partners from a list: {names}",
    )
    return partners


@transaction.atomic
def partner_update(*, partner: Partner, actor, name: str, sector: str) -> Partner:
    """Correct a partner's name or sector; past answers stay attached to it."""
    old_name, old_sector = partner.name, partner.get_sector_display()
    partner.name, partner.sector = " ".join(name.split()), sector
    partner.full_clean()
    changes = []
    if partner.name != old_name:
        changes.append(f"renamed {old_name} to {partner.name}")
    if partner.get_sector_display() != old_sector:
        changes.append(
            f"sector of {partner.name} from {old_sector} to {partner.get_sector_display()}"
        )
    if changes:
        partner.save(update_fields=["name", "sector"])
        activity_record(
            place=partner.place,
            actor=actor,
            verb="partner-edited",
            description="Changed partner: " + "; ".join(changes) + ".",
        )
    return partner


@transaction.atomic
def partner_archive(*, partner: Partner, actor) -> Partner:
    """Hide a partner from new invitations; its past answers stay in every round."""
    if partner.archived_at is None:
        partner.archived_at = timezone.now()
        partner.save(update_fields=["archived_at"])
        activity_record(
            place=partner.place,
            actor=actor,
            verb="partner-archived",
            description=f"Archived partner {partner.name}.",
        )
    return partner


@transaction.atomic
def partner_restore(*, partner: Partner, actor) -> Partner:
    if partner.archived_at is not None:
        partner.archived_at = None
        partner.save(update_fields=["archived_at"])
        activity_record(
            place=partner.place,
            actor=actor,
            verb="partner-restored",
            description=f"Restored partner {partner.name}.",
        )
    return partner


# --- Memberships --------------------------------------------------------------------------


def _ensure_another_lead(membership: Membership, action: str) -> None:
    """Refuse a change that would leave the place with no lead.

    The place's lead rows are locked first (on PostgreSQL), so two leads
    demoting each other at the same moment cannot both succeed.
    """
    if membership.role != Role.LEAD:
        return
    leads = list(
        Membership.objects.select_for_update()
        .filter(place_id=membership.place_id, role=Role.LEAD)
        .values_list("pk", flat=True)
    )
    if not any(pk != membership.pk for pk in leads):
        raise ValidationError(
            f"You cannot {action} the only partnership lead: a place always needs one. "
            "Make someone else a lead first."
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, actor, role: str) -> Membership:
    membership = (
        Membership.objects.select_for_update().select_related("user", "place").get(pk=membership.pk)
    )
    if role == membership.role:
        return membership
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role from the list."})
    _ensure_another_lead(membership, "change the role of")
    old = membership.get_role_display()
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    activity_record(
        place=membership.place,
        actor=actor,
        verb="member-role-changed",
        description=(
            f"Changed {_person(membership.user)} from {old} to {membership.get_role_display()}."
        ),
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    membership = (
        Membership.objects.select_for_update().select_related("user", "place").get(pk=membership.pk)
    )
    _ensure_another_lead(membership, "remove")
    membership.delete()
    activity_record(
        place=membership.place,
        actor=actor,
        verb="member-removed",
        description=(
            f"Removed {_person(membership.user)} ({membership.get_role_display()}) from the place."
        ),
    )


# --- Colleague invitations ----------------------------------------------------------------


def place_invitation_find(token: str) -> PlaceInvitation | None:
    """The pending, unexpired invitation behind a link, or None (one query)."""
    if not token or len(token) > 100:
        return None
    invitation = (
        PlaceInvitation.objects.select_related("place", "invited_by")
        .filter(token_hash=_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_pending or invitation.expires_at <= timezone.now():
        return None
    return invitation


def _send_place_invitation(invitation: PlaceInvitation, token: str) -> None:
    context = {
        "invitation": invitation,
        "place": invitation.place,
        "inviter": invitation.invited_by,
        "link": settings.SITE_URL + reverse("places:join", args=[token]),
        "days": PLACE_INVITATION_DAYS,
    }
    message = EmailMultiAlternatives(
        subject=f"Join {invitation.place.name} on Ninefold",
        body=render_to_string("places/email/place_invitation.txt", context),
        to=[invitation.email],
        reply_to=[invitation.invited_by.email] if invitation.invited_by else None,
    )
    message.attach_alternative(
        render_to_string("places/email/place_invitation.html", context), "text/html"
    )
    message.send()


def _new_token(invitation: PlaceInvitation | LeadInvitation) -> str:
    token = secrets.token_urlsafe(24)
    invitation.token_hash = _hash(token)
    invitation.expires_at = timezone.now() + dt.timedelta(days=PLACE_INVITATION_DAYS)
    return token


def _send_after_commit(invitation: PlaceInvitation | LeadInvitation, token: str) -> None:
    """Send once the invitation is saved. One email to one person is sent in the request;
    if the mail server fails, the invitation stays and whoever invited can send it again.
    ``invitation.email_failed`` says how it went, so that the page never claims an email is
    on its way when it failed (None until the outermost transaction commits); the outbox
    keeps a row of it (decision 0026)."""
    invitation.email_failed = None
    is_lead = isinstance(invitation, LeadInvitation)

    def send() -> None:
        try:
            if is_lead:
                _send_lead_invitation(invitation, token)
            else:
                _send_place_invitation(invitation, token)
        except Exception as exc:
            invitation_email_sent.send(type(invitation), invitation=invitation, error=exc)
            invitation.email_failed = True
            if is_lead:
                logger.exception("Could not send lead invitation %s", invitation.pk)
            else:
                logger.exception(
                    "Could not send the invitation to join place %s", invitation.place_id
                )
        else:
            invitation_email_sent.send(type(invitation), invitation=invitation, error=None)
            invitation.email_failed = False

    transaction.on_commit(send)


@transaction.atomic
def place_invitation_create(*, place: Place, actor, email: str, role: str) -> PlaceInvitation:
    email = email.strip().lower()
    if Membership.objects.filter(place=place, user__email__iexact=email).exists():
        raise ValidationError({"email": "This person is already a member of the place."})
    invitation = PlaceInvitation(place=place, email=email, role=role, invited_by=actor)
    token = _new_token(invitation)
    invitation.full_clean()
    invitation.save()
    activity_record(
        place=place,
        actor=actor,
        verb="colleague-invited",
        description=f"Invited {email} as {invitation.get_role_display()}.",
    )
    _send_after_commit(invitation, token)
    return invitation


@transaction.atomic
def place_invitation_resend(*, invitation: PlaceInvitation, actor) -> PlaceInvitation:
    """Send a fresh link (the old one stops working) with a new expiry date."""
    if not invitation.is_pending:
        raise ValidationError("This invitation has already been used or withdrawn.")
    token = _new_token(invitation)
    invitation.save(update_fields=["token_hash", "expires_at"])
    activity_record(
        place=invitation.place,
        actor=actor,
        verb="colleague-invitation-resent",
        description=f"Sent the invitation to {invitation.email} again.",
    )
    _send_after_commit(invitation, token)
    return invitation


@transaction.atomic
def place_invitation_revoke(*, invitation: PlaceInvitation, actor) -> PlaceInvitation:
    """Withdraw a pending invitation; one already used or withdrawn is refused, so the lead
    is never told "withdrawn" about a colleague who has in fact joined."""
    # Read it again under a lock: the colleague may be accepting it at this moment.
    current = PlaceInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not current.is_pending:
        raise ValidationError(
            "This invitation has already been used or withdrawn.", code=INVITATION_NOT_PENDING
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    activity_record(
        place=invitation.place,
        actor=actor,
        verb="colleague-invitation-withdrawn",
        description=f"Withdrew the invitation to {invitation.email}.",
    )
    return invitation


def _accepting_account(
    *, invitation: PlaceInvitation | LeadInvitation, user, full_name: str, password: str
) -> tuple[User, bool]:
    """Who accepts a (locked) colleague or lead invitation: the signed-in ``user``, who must be
    the person invited, or a new account made for the invited address. Returns the user and
    whether the account is new; refuses an invitation used, withdrawn or expired."""
    if not invitation.is_pending or invitation.expires_at <= timezone.now():
        raise ValidationError(
            "This invitation has already been used, withdrawn or has expired.",
            code=INVITATION_NOT_PENDING,
        )
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                "An account with this email address exists already: sign in to accept."
            )
        user = User(email=invitation.email, full_name=full_name.strip())
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        return user, True
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            f"This invitation is for {invitation.email}; you are signed in as {user.email}."
        )
    return user, False


@transaction.atomic
def place_invitation_accept(
    *, invitation: PlaceInvitation, user=None, full_name: str = "", password: str = ""
) -> Membership:
    """Join the place: with the signed-in ``user``, or with a new account made here.

    A signed-in user must be the person invited (same email address). Someone
    who is already a member keeps their role; the invitation is used up either way.
    """
    invitation = (
        PlaceInvitation.objects.select_for_update().select_related("place").get(pk=invitation.pk)
    )
    user, created = _accepting_account(
        invitation=invitation, user=user, full_name=full_name, password=password
    )
    membership, joined = Membership.objects.get_or_create(
        user=user, place=invitation.place, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if joined:
        activity_record(
            place=invitation.place,
            actor=user,
            verb="member-joined",
            description=(
                f"{_person(user)} joined as {membership.get_role_display()}"
                + (" with a new account." if created else ".")
            ),
        )
    return membership


# --- Lead invitations (decision 0024) ---------------------------------------------------------
# A site administrator invites someone to set up places. The token, its hash, the 14 days and
# the email after commit are the colleague invitations' own; only the place is missing.


def _lead_link(token: str) -> str:
    return settings.SITE_URL + reverse("leads:join", args=[token])


def _send_lead_invitation(invitation: LeadInvitation, token: str) -> None:
    context = {
        "invitation": invitation,
        "inviter": invitation.invited_by,
        "link": _lead_link(token),
        "days": PLACE_INVITATION_DAYS,
    }
    message = EmailMultiAlternatives(
        subject="Set up your place on Ninefold",
        body=render_to_string("places/email/lead_invitation.txt", context),
        to=[invitation.email],
        reply_to=[invitation.invited_by.email] if invitation.invited_by else None,
    )
    message.attach_alternative(
        render_to_string("places/email/lead_invitation.html", context), "text/html"
    )
    message.send()


def lead_invitation_find(token: str) -> LeadInvitation | None:
    """The pending, unexpired lead invitation behind a link, or None (one query)."""
    if not token or len(token) > 100:
        return None
    invitation = (
        LeadInvitation.objects.select_related("invited_by").filter(token_hash=_hash(token)).first()
    )
    if invitation is None or not invitation.is_pending or invitation.expires_at <= timezone.now():
        return None
    return invitation


@transaction.atomic
def lead_invitation_create(*, actor, email: str) -> tuple[LeadInvitation, str]:
    """Invite ``email`` to set up places; returns the invitation and its link.

    ``actor`` is the site administrator (None from ``manage.py invite_lead``). The link is
    returned for the command, which prints it for an operator whose mail is not set up yet;
    it is never stored.
    """
    email = email.strip().lower()
    invitation = LeadInvitation(email=email, invited_by=actor)
    token = _new_token(invitation)
    invitation.full_clean()
    invitation.save()
    logger.info("Lead invitation %s created", invitation.pk)
    _send_after_commit(invitation, token)
    return invitation, _lead_link(token)


@transaction.atomic
def lead_invitation_resend(*, invitation: LeadInvitation, actor) -> LeadInvitation:
    """Send a fresh link (the old one stops working) with a new expiry date."""
    current = LeadInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not current.is_pending:
        raise ValidationError("This invitation has already been used or withdrawn.")
    token = _new_token(invitation)
    invitation.save(update_fields=["token_hash", "expires_at"])
    _send_after_commit(invitation, token)
    return invitation


@transaction.atomic
def lead_invitation_revoke(*, invitation: LeadInvitation, actor) -> LeadInvitation:
    current = LeadInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not current.is_pending:
        raise ValidationError(
            "This invitation has already been used or withdrawn.", code=INVITATION_NOT_PENDING
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def lead_invitation_accept(
    *, invitation: LeadInvitation, user=None, full_name: str = "", password: str = ""
):
    """Become someone who may set up places: with the signed-in ``user`` (who must be the person
    invited), or with a new account made here. Returns the user."""
    invitation = LeadInvitation.objects.select_for_update().get(pk=invitation.pk)
    user, _created = _accepting_account(
        invitation=invitation, user=user, full_name=full_name, password=password
    )
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="places", codename="add_place")
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user
