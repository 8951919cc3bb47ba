"""Each email becomes a row of its own (OutboxEmail). The next migration
carries the invitations' email fields into rows; the one after removes those fields."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0011_link_lookup_failures"),
        ("places", "0008_lead_invitation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="OutboxEmail",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("invitation", "Invitation"),
                            ("resend", "Invitation sent again"),
                            ("reminder", "Reminder"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "recipient",
                    models.EmailField(
                        help_text="The address it was (or will be) sent to.", max_length=254
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("sending", "Sending"),
                            ("sent", "Sent"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=16,
                    ),
                ),
                ("claimed_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("error", models.CharField(blank=True, max_length=500)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "outbox email",
                "ordering": ["invitation", "pk"],
            },
        ),
        migrations.AddField(
            model_name="outboxemail",
            name="invitation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="emails",
                to="assessments.invitation",
            ),
        ),
        migrations.AddField(
            model_name="outboxemail",
            name="requested_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Named in the email as its sender; empty for scheduled reminders.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="outboxemail",
            index=models.Index(
                fields=["status", "claimed_at"], name="assessments_status_3e9b82_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="outboxemail",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ("queued", "sending", "sent", "failed"))),
                name="outbox_email_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="outboxemail",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["invitation", "resend", "reminder"])),
                name="outbox_email_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="outboxemail",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "sending"), _negated=True),
                    ("claimed_at__isnull", False),
                    _connector="OR",
                ),
                name="outbox_email_sending_has_claim_time",
            ),
        ),
        migrations.AddConstraint(
            model_name="outboxemail",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ("queued", "sending"))),
                fields=("invitation",),
                name="outbox_email_one_on_its_way_per_invitation",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="outboxemail",
            name="outbox_email_kind_valid",
        ),
        migrations.AddField(
            model_name="outboxemail",
            name="lead_invitation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="emails",
                to="places.leadinvitation",
            ),
        ),
        migrations.AddField(
            model_name="outboxemail",
            name="place_invitation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="emails",
                to="places.placeinvitation",
            ),
        ),
        migrations.AlterField(
            model_name="outboxemail",
            name="invitation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="emails",
                to="assessments.invitation",
            ),
        ),
        migrations.AlterField(
            model_name="outboxemail",
            name="kind",
            field=models.CharField(
                choices=[
                    ("invitation", "Invitation"),
                    ("resend", "Invitation sent again"),
                    ("reminder", "Reminder"),
                    ("colleague", "Invitation to join a place"),
                    ("lead", "Invitation to set up places"),
                ],
                max_length=16,
            ),
        ),
        migrations.AddConstraint(
            model_name="outboxemail",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind__in", ["invitation", "resend", "reminder", "colleague", "lead"])
                ),
                name="outbox_email_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="outboxemail",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("invitation__isnull", False),
                        ("kind__in", ("invitation", "resend", "reminder")),
                        ("lead_invitation__isnull", True),
                        ("place_invitation__isnull", True),
                    ),
                    models.Q(
                        ("kind", "colleague"),
                        ("place_invitation__isnull", False),
                        ("invitation__isnull", True),
                        ("lead_invitation__isnull", True),
                    ),
                    models.Q(
                        ("kind", "lead"),
                        ("lead_invitation__isnull", False),
                        ("invitation__isnull", True),
                        ("place_invitation__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="outbox_email_kind_has_its_subject",
            ),
        ),
    ]
