"""Carry each invitation's email fields into OutboxEmail rows, one row per email.

From the fields an invitation had:

- ``sent_at`` set: one sent invitation email at that time;
- ``reminder_count`` n: n sent reminders; the latest at ``last_reminded_at``, the earlier ones
  without a time (only the latest was ever kept);
- ``send_state`` queued, sending or failed: one more row in that state, of ``send_kind``, with
  the claim time, the error and who asked; it is the newest row, so the invitation reads as
  it did. Its attempts are the claims not accounted for by the sent rows (a failed or
  sending row at least one).

The rows of one invitation are made in the order the emails went out, so that its newest
row is the email the old fields described last. Reversible: going back rebuilds the fields
from the rows.
"""

from django.db import migrations

SENT, QUEUED, SENDING, FAILED, NOT_SENT = "sent", "queued", "sending", "failed", "not_sent"
INVITATION, REMINDER = "invitation", "reminder"
BATCH = 500


def _rows_for(invitation, OutboxEmail) -> list:
    def row(**fields):
        return OutboxEmail(
            invitation_id=invitation.pk,
            recipient=invitation.email,
            requested_by_id=None,
            **fields,
        )

    sent = []  # (time or None, kind), oldest first
    if invitation.sent_at is not None:
        sent.append((invitation.sent_at, INVITATION))
    for number in range(invitation.reminder_count):
        latest = number == invitation.reminder_count - 1
        sent.append((invitation.last_reminded_at if latest else None, REMINDER))

    def order(item):
        when, kind = item
        # Earlier reminders with no time go just before the latest one; the email the
        # fields last described (send_kind, when it was sent) goes last among equals.
        return (
            when or invitation.last_reminded_at or invitation.sent_at or invitation.created_at,
            when is not None,
            kind == invitation.send_kind,
        )

    rows = [
        row(
            kind=kind,
            status=SENT,
            sent_at=when,
            attempts=1,
            created_at=when or invitation.created_at,
        )
        for when, kind in sorted(sent, key=order)
    ]
    if invitation.send_state in (QUEUED, SENDING, FAILED):
        attempts = max(invitation.send_attempts - len(rows), 0)
        if invitation.send_state != QUEUED:
            attempts = max(attempts, 1)
        rows.append(
            row(
                kind=invitation.send_kind,
                status=invitation.send_state,
                claimed_at=invitation.send_claimed_at,
                attempts=attempts,
                error=invitation.last_error,
                created_at=invitation.send_claimed_at or invitation.created_at,
            )
        )
        rows[-1].requested_by_id = invitation.send_requested_by_id
    return rows


def forwards(apps, schema_editor):
    Invitation = apps.get_model("assessments", "Invitation")
    OutboxEmail = apps.get_model("assessments", "OutboxEmail")
    created_at = OutboxEmail._meta.get_field("created_at")
    created_at.auto_now_add = False  # keep the times worked out above
    try:
        batch = []
        for invitation in Invitation.objects.order_by("pk").iterator(chunk_size=BATCH):
            batch.extend(_rows_for(invitation, OutboxEmail))
            if len(batch) >= BATCH:
                OutboxEmail.objects.bulk_create(batch)
                batch = []
        OutboxEmail.objects.bulk_create(batch)
    finally:
        created_at.auto_now_add = True


def backwards(apps, schema_editor):
    Invitation = apps.get_model("assessments", "Invitation")
    OutboxEmail = apps.get_model("assessments", "OutboxEmail")
    for invitation in Invitation.objects.order_by("pk").iterator(chunk_size=BATCH):
        rows = list(OutboxEmail.objects.filter(invitation_id=invitation.pk).order_by("pk"))
        if not rows:
            continue
        latest = rows[-1]
        sent = [r for r in rows if r.status == SENT]
        invitations = [r for r in sent if r.kind != REMINDER and r.sent_at]
        reminders = [r for r in sent if r.kind == REMINDER]
        invitation.send_state = latest.status
        invitation.send_kind = REMINDER if latest.kind == REMINDER else INVITATION
        invitation.send_claimed_at = latest.claimed_at
        invitation.send_requested_by_id = latest.requested_by_id
        invitation.send_attempts = sum(r.attempts for r in rows)
        invitation.last_error = latest.error
        invitation.sent_at = invitations[-1].sent_at if invitations else None
        invitation.reminder_count = len(reminders)
        invitation.last_reminded_at = max((r.sent_at for r in reminders if r.sent_at), default=None)
        invitation.save()
    OutboxEmail.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0012_outbox_email"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
