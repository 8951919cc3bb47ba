"""Background tasks: emails never hold up a request (see README, "Background worker")."""

from __future__ import annotations

import logging

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from assessments.emails import build_invitation_email
from assessments.models import EmailKind, Invitation, RoundState, SendState

logger = logging.getLogger(__name__)


@task()
def send_invitation_email(invitation_id: int) -> str:
    """Send the queued email of one invitation, at most once per queuing.

    The row is claimed with a conditional UPDATE (queued -> sending) before
    anything is sent: a task that runs twice, or a retry racing a worker, finds
    nothing to claim and sends nothing; so does a revoked invitation or a round
    closed in the meantime. A fresh token is made here, because only
    its hash is ever stored; the link in any earlier email stops working.
    """
    claimed = Invitation.objects.filter(
        pk=invitation_id,
        send_state=SendState.QUEUED,
        revoked_at__isnull=True,
        round__state=RoundState.OPEN,
    ).update(send_state=SendState.SENDING, send_attempts=F("send_attempts") + 1)
    if not claimed:
        return "skipped"

    invitation = Invitation.objects.select_related(
        "round__place", "round__framework", "partner", "send_requested_by"
    ).get(pk=invitation_id)
    token = invitation.set_new_token()
    invitation.save(update_fields=["token_hash"])
    try:
        build_invitation_email(invitation, token).send()
    except Exception as exc:  # any transport error: record it, the lead can retry
        logger.warning("Email to invitation %s failed: %s", invitation_id, exc)
        Invitation.objects.filter(pk=invitation_id).update(
            send_state=SendState.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:500]
        )
        return "failed"

    now = timezone.now()
    if invitation.send_kind == EmailKind.REMINDER:
        done = {"last_reminded_at": now, "reminder_count": F("reminder_count") + 1}
    else:
        done = {"sent_at": now}
    Invitation.objects.filter(pk=invitation_id).update(
        send_state=SendState.SENT, last_error="", **done
    )
    return "sent"
