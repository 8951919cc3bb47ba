"""Background tasks: emails never hold up a request (see README, "Background worker")."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from assessments.emails import build_invitation_email
from assessments.models import EmailKind, Invitation, InvitationLink, RoundState, SendState

logger = logging.getLogger(__name__)

# A claim older than this is taken to mean its worker stopped (decision 0030). Building and
# sending one email takes seconds, and EMAIL_TIMEOUT bounds a stalled mail server.
SEND_CLAIM_EXPIRES = dt.timedelta(minutes=15)


@task()
def send_invitation_email(invitation_id: int) -> str:
    """Send the queued email of one invitation, at most once per queuing.

    The row is claimed with a conditional UPDATE (queued -> sending) before
    anything is sent: a task that runs twice, or a retry racing a worker, finds
    nothing to claim and sends nothing; so does a revoked invitation or a round
    closed in the meantime. Every later write names this claim by its time, so a
    worker slower than SEND_CLAIM_EXPIRES, whose row has since been failed and
    queued again, never overwrites the newer send. A fresh token is made here,
    because only its hash is ever stored; its hash is added to the invitation's links,
    and every link emailed before keeps working (decision 0031).
    """
    claimed_at = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation_id,
        send_state=SendState.QUEUED,
        revoked_at__isnull=True,
        round__state=RoundState.OPEN,
    ).update(
        send_state=SendState.SENDING,
        send_claimed_at=claimed_at,
        send_attempts=F("send_attempts") + 1,
    )
    if not claimed:
        return "skipped"
    sending = Invitation.objects.filter(
        pk=invitation_id,
        send_state=SendState.SENDING,
        send_claimed_at=claimed_at,
        revoked_at__isnull=True,
    )
    # Still ours, or failed only by the expiry sweep (nobody has queued it again since).
    ours = Invitation.objects.filter(
        pk=invitation_id,
        send_state__in=[SendState.SENDING, SendState.FAILED],
        send_claimed_at=claimed_at,
    )

    invitation = Invitation.objects.select_related(
        "round__place", "round__framework", "partner", "send_requested_by"
    ).get(pk=invitation_id)
    emailed_before = invitation.token_hash if invitation.sent_at is not None else None
    token = invitation.set_new_token()
    with transaction.atomic():
        if not sending.update(token_hash=invitation.token_hash):
            # The claim expired (or the invitation was revoked) before anything went out.
            return "expired"
        # The newest link, and the one it displaces on the invitation row if that was
        # emailed (an invitation made by the demo or before links were kept has no row yet).
        hashes = [invitation.token_hash] + ([emailed_before] if emailed_before else [])
        InvitationLink.objects.bulk_create(
            [InvitationLink(invitation_id=invitation_id, token_hash=h) for h in hashes],
            ignore_conflicts=True,
        )
    try:
        build_invitation_email(invitation, token).send()
    except Exception as exc:  # any transport error: record it, the lead can retry
        logger.warning("Email to invitation %s failed: %s", invitation_id, exc)
        ours.update(send_state=SendState.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:500])
        return "failed"

    now = timezone.now()
    if invitation.send_kind == EmailKind.REMINDER:
        done = {"last_reminded_at": now, "reminder_count": F("reminder_count") + 1}
    else:
        done = {"sent_at": now}
    if not ours.update(send_state=SendState.SENT, last_error="", **done):
        logger.warning(
            "Email to invitation %s went out after its claim expired and the row was queued "
            "again; the newer send stands.",
            invitation_id,
        )
        return "late"
    return "sent"
