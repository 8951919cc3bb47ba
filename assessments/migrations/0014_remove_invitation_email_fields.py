"""The invitation's email fields, now carried by OutboxEmail rows (0013), are removed."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0013_invitation_emails_into_outbox"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="invitation",
            name="invitation_send_state_valid",
        ),
        migrations.RemoveConstraint(
            model_name="invitation",
            name="invitation_send_kind_valid",
        ),
        migrations.RemoveConstraint(
            model_name="invitation",
            name="invitation_sending_has_claim_time",
        ),
        migrations.RemoveIndex(
            model_name="invitation",
            name="assessments_round_i_def671_idx",
        ),
        migrations.RemoveField(
            model_name="invitation",
            name="last_error",
        ),
        migrations.RemoveField(
            model_name="invitation",
            name="last_reminded_at",
        ),
        migrations.RemoveField(
            model_name="invitation",
            name="reminder_count",
        ),
        migrations.RemoveField(
            model_name="invitation",
            name="send_attempts",
        ),
        migrations.RemoveField(
            model_name="invitation",
            name="send_claimed_at",
        ),
        migrations.RemoveField(
            model_name="invitation",
            name="send_kind",
        ),
        migrations.RemoveField(
            model_name="invitation",
            name="send_requested_by",
        ),
        migrations.RemoveField(
            model_name="invitation",
            name="send_state",
        ),
        migrations.RemoveField(
            model_name="invitation",
            name="sent_at",
        ),
    ]
