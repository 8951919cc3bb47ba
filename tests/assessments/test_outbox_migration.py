"""The invitations' email fields become outbox rows (assessments 0013), and back.

Rows are made with the models as they were before the move, the data migration runs, and each
invitation then reads (through assessments.progress.with_email) as its fields said.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

# Places held where it stood when the outbox came (its later retention column has no
# database default, so the historical models here could not insert a place past it).
PLACES = ("places", "0008_lead_invitation")
BEFORE = [("assessments", "0012_outbox_email"), PLACES]
AFTER = [("assessments", "0013_invitation_emails_into_outbox"), PLACES]
LATEST = [("assessments", "0014_remove_invitation_email_fields"), PLACES]
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps():
    apps = _migrate(BEFORE)
    yield apps
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _old_invitations(apps):
    Place = apps.get_model("places", "Place")
    Partner = apps.get_model("places", "Partner")
    Framework = apps.get_model("preconditions", "Framework")
    Round = apps.get_model("assessments", "Round")
    Invitation = apps.get_model("assessments", "Invitation")
    User = apps.get_model("accounts", "User")
    lead = User.objects.create(email="lead@example.org", password="!")
    place = Place.objects.create(name="Harrowdene", slug="harrowdene")
    partner = Partner.objects.create(place=place, name="Council", sector="local_authority")
    round_ = Round.objects.create(
        place=place,
        framework=Framework.objects.get(is_default=True),
        name="Spring",
        opens_on=dt.date(2026, 3, 1),
        closes_on=dt.date(2026, 3, 31),
        state="open",
    )

    def invitation(name, **fields):
        return Invitation.objects.create(
            round=round_,
            partner=partner,
            name=name,
            email=f"{name}@example.org",
            perspective="manager",
            token_hash=hashlib.sha256(name.encode()).hexdigest(),
            **fields,
        )

    return {
        "never": invitation("never"),
        "sent": invitation("sent", send_state="sent", sent_at=T0, send_attempts=1),
        "reminded": invitation(
            "reminded",
            send_state="sent",
            send_kind="reminder",
            sent_at=T0,
            reminder_count=2,
            last_reminded_at=T0 + 4 * DAY,
            send_attempts=3,
        ),
        "failed": invitation(
            "failed",
            send_state="failed",
            send_kind="invitation",
            last_error="OSError: SMTP is down",
            send_attempts=1,
            send_requested_by=lead,
        ),
        "reminder_failed": invitation(
            "reminderfailed",
            send_state="failed",
            send_kind="reminder",
            sent_at=T0,
            last_error="Mailbox full",
            send_attempts=2,
        ),
        "sending": invitation(
            "sending", send_state="sending", send_claimed_at=T0 + DAY, send_attempts=1
        ),
        "queued": invitation("queued", send_state="queued", send_requested_by=lead),
    }


def test_each_invitations_fields_become_its_rows_and_it_reads_as_before(old_apps):
    people = _old_invitations(old_apps)
    ids = {key: invitation.pk for key, invitation in people.items()}
    _migrate(LATEST)
    # Then every later migration, so that today's models below match the tables.
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    from assessments.models import Invitation, OutboxEmail
    from assessments.progress import with_email

    rows = {
        key: list(
            OutboxEmail.objects.filter(invitation_id=pk)
            .order_by("pk")
            .values_list("kind", "status", "sent_at", "attempts", "error")
        )
        for key, pk in ids.items()
    }
    assert rows["never"] == []
    assert rows["sent"] == [("invitation", "sent", T0, 1, "")]
    # Two reminders: only the latest one's time was kept.
    assert rows["reminded"] == [
        ("invitation", "sent", T0, 1, ""),
        ("reminder", "sent", None, 1, ""),
        ("reminder", "sent", T0 + 4 * DAY, 1, ""),
    ]
    assert rows["failed"] == [("invitation", "failed", None, 1, "OSError: SMTP is down")]
    assert rows["reminder_failed"] == [
        ("invitation", "sent", T0, 1, ""),
        ("reminder", "failed", None, 1, "Mailbox full"),
    ]
    assert rows["sending"] == [("invitation", "sending", None, 1, "")]
    assert rows["queued"] == [("invitation", "queued", None, 0, "")]
    assert OutboxEmail.objects.get(invitation_id=ids["failed"]).requested_by.email == (
        "lead@example.org"
    )
    assert OutboxEmail.objects.get(invitation_id=ids["sending"]).claimed_at == T0 + DAY

    # Read at the time of the claim, each invitation is where its fields said it was.
    read = {
        inv.pk: inv for inv in with_email(Invitation.objects.filter(pk__in=ids.values()), T0 + DAY)
    }
    shown = {key: read[pk].email_state for key, pk in ids.items()}
    assert shown == {
        "never": "not_sent",
        "sent": "sent",
        "reminded": "sent",
        "failed": "failed",
        "reminder_failed": "failed",
        "sending": "sending",
        "queued": "queued",
    }
    reminded = read[ids["reminded"]]
    assert (reminded.reminder_count, reminded.last_reminded_at) == (2, T0 + 4 * DAY)
    assert reminded.invited_at == T0 and reminded.email_kind == "reminder"
    assert read[ids["reminder_failed"]].email_kind == "reminder"


def test_going_back_rebuilds_the_fields(old_apps):
    people = _old_invitations(old_apps)
    ids = {key: invitation.pk for key, invitation in people.items()}
    _migrate(LATEST)
    # Then every later migration, so that today's models below match the tables.
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    apps = _migrate(BEFORE)
    Invitation = apps.get_model("assessments", "Invitation")
    back = {key: Invitation.objects.get(pk=pk) for key, pk in ids.items()}
    assert back["never"].send_state == "not_sent"
    assert (back["sent"].send_state, back["sent"].sent_at) == ("sent", T0)
    reminded = back["reminded"]
    assert (reminded.send_kind, reminded.reminder_count, reminded.last_reminded_at) == (
        "reminder",
        2,
        T0 + 4 * DAY,
    )
    assert (back["failed"].send_state, back["failed"].last_error) == (
        "failed",
        "OSError: SMTP is down",
    )
    assert back["sending"].send_claimed_at == T0 + DAY
    assert timezone.is_aware(back["sent"].sent_at)
