"""Emails sent outside the respondents' queue, recorded in the outbox with how they went."""

from __future__ import annotations

from django.utils import timezone

from assessments.models import EmailKind, OutboxEmail, SendState
from places.models import LeadInvitation, PlaceInvitation


def outbox_record_sent(
    *, invitation: PlaceInvitation | LeadInvitation, error: Exception | None = None
) -> OutboxEmail:
    """Record the email just sent (``error`` None) or refused for a colleague's or a lead's
    invitation: one row, one attempt, named after whoever invited."""
    is_lead = isinstance(invitation, LeadInvitation)
    return OutboxEmail.objects.create(
        kind=EmailKind.LEAD if is_lead else EmailKind.COLLEAGUE,
        lead_invitation=invitation if is_lead else None,
        place_invitation=None if is_lead else invitation,
        recipient=invitation.email,
        requested_by=invitation.invited_by,
        status=SendState.FAILED if error else SendState.SENT,
        attempts=1,
        error=f"{type(error).__name__}: {error}"[:500] if error else "",
        sent_at=None if error else timezone.now(),
    )
