"""Background tasks: emails never hold up a request (see README, "Background worker")."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from assessments.emails import build_invitation_email
from assessments.models import Invitation, InvitationLink, OutboxEmail, RoundState, SendState

logger = logging.getLogger(__name__)

# A claim older than this is taken to mean its worker stopped (decision 0030). Building and
# sending one email takes seconds, and EMAIL_TIMEOUT bounds a stalled mail server.
SEND_CLAIM_EXPIRES = dt.timedelta(minutes=15)
# What a row whose worker stopped records, and what the pages show for it meanwhile.
STOPPED_WORKER_ERROR = "The email worker stopped before sending; send again."


@task()
def send_invitation_email(invitation_id: int) -> str:
    """Send the email queued for one invitation (its one outbox row on its way), at most once.

    The task names the invitation rather than the row: an invitation has at most one email
    on its way (a database constraint), so that is the row, and tasks queued before emails
    had rows of their own still find it. The row is claimed with a conditional UPDATE
    (queued -> sending) before anything is sent: a task that runs twice, or a retry racing a
    worker, finds nothing to claim and sends nothing; so does a revoked invitation or a round
    closed in the meantime. Every later write names this claim by its time, so a worker
    slower than SEND_CLAIM_EXPIRES, whose row has since been failed and queued again, never
    overwrites the newer send. A fresh token is made here, because only its hash is ever
    stored; its hash is added to the invitation's links, and every link emailed before
    keeps working (decision 0031).
    """
    claimed_at = timezone.now()
    email_id = (
        OutboxEmail.objects.filter(invitation_id=invitation_id, status=SendState.QUEUED)
        .values_list("pk", flat=True)
        .first()
    )
    if email_id is None:
        return "skipped"
    claimed = OutboxEmail.objects.filter(
        pk=email_id,
        status=SendState.QUEUED,
        invitation__revoked_at__isnull=True,
        invitation__round__state=RoundState.OPEN,
    ).update(status=SendState.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    # Still ours, or failed only by the expiry sweep (nobody has queued it again since).
    ours = OutboxEmail.objects.filter(
        pk=email_id, status__in=[SendState.SENDING, SendState.FAILED], claimed_at=claimed_at
    )

    email = OutboxEmail.objects.select_related(
        "invitation__round__place",
        "invitation__round__framework",
        "invitation__partner",
        "requested_by",
    ).get(pk=email_id)
    invitation = email.invitation
    emailed_before = (
        invitation.token_hash
        if OutboxEmail.objects.filter(invitation_id=invitation_id, status=SendState.SENT).exists()
        else None
    )
    token = invitation.set_new_token()
    with transaction.atomic():
        # The row stays ours while the new link is stored: the sweep waits for this lock.
        still_sending = (
            OutboxEmail.objects.select_for_update()
            .filter(pk=email_id, status=SendState.SENDING, claimed_at=claimed_at)
            .exists()
        )
        if not still_sending or not Invitation.objects.filter(
            pk=invitation_id, revoked_at__isnull=True
        ).update(token_hash=invitation.token_hash):
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
        build_invitation_email(email, token).send()
    except Exception as exc:  # any transport error: record it, the lead can retry
        logger.warning("Email %s to invitation %s failed: %s", email_id, invitation_id, exc)
        ours.update(status=SendState.FAILED, error=f"{type(exc).__name__}: {exc}"[:500])
        return "failed"

    if not ours.update(status=SendState.SENT, error="", sent_at=timezone.now()):
        logger.warning(
            "Email %s to invitation %s went out after its claim expired and it was queued "
            "again; the newer send stands.",
            email_id,
            invitation_id,
        )
        return "late"
    return "sent"
