"""Invitation and reminder emails: queued, sent once by the worker, failures recorded and retried."""

import datetime as dt
import io
import re
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from assessments.models import (
    EmailKind,
    Invitation,
    OutboxEmail,
    ResponseStatus,
    RoundState,
    SendState,
    hash_token,
)
from assessments.services.invitations import (
    invitation_record_sent,
    invitation_resend,
    invitation_revoke,
    invitations_fail_stale_sends,
    invitations_remind,
    invitations_send_unsent,
)
from assessments.tasks import STOPPED_WORKER_ERROR, send_invitation_email
from places.models import ActivityLog
from tests.factories import InvitationFactory, PartnerFactory, ResponseFactory, RoundFactory
from tests.helpers import newest_email, reminders_sent

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LINK = re.compile(r"http://testserver/r/([A-Za-z0-9_-]+)/")


def _token_in(message) -> str:
    return LINK.search(message.body).group(1)


def _run_worker() -> None:
    """Run the real worker until the queue is empty.

    The worker closes connections it finds inside a transaction, as a long-lived
    process should; here that would be the test's own transaction, so it is kept.
    """
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@pytest.fixture
def round_(place, lead):
    lead.full_name = "Priya Shah"
    lead.save()
    return RoundFactory(
        place=place,
        name="Spring listening",
        purpose="Before the March board away-day.",
        closes_on=timezone.localdate() + dt.timedelta(days=21),
    )


def test_invitation_email_has_both_parts_a_working_link_and_says_who_and_why(round_, lead):
    invitation = InvitationFactory(round=round_, name="Asha Patel")

    assert invitations_send_unsent(round=round_, actor=lead) == 1

    [message] = mail.outbox
    html = message.alternatives[0][0]
    token = _token_in(message)
    invitation.refresh_from_db()
    assert message.to == [invitation.email]
    assert message.reply_to == [lead.email]
    assert message.alternatives[0][1] == "text/html"
    assert f'href="http://testserver/r/{token}/"' in html
    # The plain-text part carries names as typed; the HTML part escapes them.
    for part, shown in ((message.body, str), (html, escape)):
        assert "Asha Patel" in part and "Priya Shah" in part
        assert shown(round_.place.name) in part and "Spring listening" in part
        assert "Before the March board away-day." in part
        assert round_.closes_on.strftime("%-d %B %Y") in part
    assert invitation.token_hash == hash_token(token)
    email = newest_email(invitation)
    assert email.status == SendState.SENT and email.sent_at is not None
    assert email.kind == EmailKind.INVITATION and email.recipient == invitation.email
    assert email.attempts == 1 and email.requested_by == lead
    assert ActivityLog.objects.filter(verb="invitations-sent", actor=lead).count() == 1


def test_nothing_is_sent_while_the_round_is_a_draft(place, lead):
    draft = RoundFactory(place=place, state=RoundState.DRAFT)
    InvitationFactory(round=draft)
    with pytest.raises(ValidationError, match="only while the round is open"):
        invitations_send_unsent(round=draft, actor=lead)
    assert mail.outbox == []
    assert not OutboxEmail.objects.exists()


def test_a_resend_issues_a_fresh_link_and_the_earlier_one_keeps_working(round_, lead):
    invitation = InvitationFactory(round=round_)
    invitations_send_unsent(round=round_, actor=lead)
    first = _token_in(mail.outbox[0])

    invitation_resend(invitation=invitation, actor=lead)

    second = _token_in(mail.outbox[1])
    invitation.refresh_from_db()
    assert first != second
    assert invitation.token_hash == hash_token(second)
    assert set(invitation.links.values_list("token_hash", flat=True)) == {
        hash_token(first),
        hash_token(second),
    }
    # One row per email: the invitation, then the re-send.
    assert list(invitation.emails.values_list("kind", "status")) == [
        (EmailKind.INVITATION, SendState.SENT),
        (EmailKind.RESEND, SendState.SENT),
    ]


def test_a_failed_send_is_recorded_and_a_retry_sends_exactly_once(round_, lead):
    invitation = InvitationFactory(round=round_)
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP is down")
    ):
        invitations_send_unsent(round=round_, actor=lead)
    email = newest_email(invitation)
    assert email.status == SendState.FAILED
    assert email.error == "OSError: SMTP is down"
    assert mail.outbox == []

    # Sending "everything not yet sent" picks up the failure once.
    assert invitations_send_unsent(round=round_, actor=lead) == 1
    assert invitations_send_unsent(round=round_, actor=lead) == 0
    assert len(mail.outbox) == 1
    # The failed email was tried again: the same row, two attempts.
    [email] = invitation.emails.all()
    assert email.status == SendState.SENT
    assert email.attempts == 2 and email.error == ""


def test_a_task_run_twice_sends_once(round_, lead):
    invitation = InvitationFactory(round=round_)
    with override_settings(TASKS=DATABASE_TASKS):
        invitations_send_unsent(round=round_, actor=lead)
    assert send_invitation_email.call(invitation.pk) == "sent"
    assert send_invitation_email.call(invitation.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_a_row_claimed_by_another_worker_is_not_sent_again(round_, lead):
    invitation = InvitationFactory(round=round_)
    with override_settings(TASKS=DATABASE_TASKS):
        invitations_send_unsent(round=round_, actor=lead)
    # Another worker has claimed it (queued -> sending) and is sending right now.
    invitation.emails.update(status=SendState.SENDING, claimed_at=timezone.now())
    assert send_invitation_email.call(invitation.pk) == "skipped"
    assert mail.outbox == []


CLAIMED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _claimed_by_a_worker_that_died(round_):
    """An invitation its worker claimed at CLAIMED, then stopped before sending."""
    invitation = InvitationFactory(round=round_)
    with time_machine.travel(CLAIMED, tick=False):
        with override_settings(TASKS=DATABASE_TASKS):
            invitations_send_unsent(round=round_, actor=None)
        with (
            mock.patch(
                "assessments.tasks.build_invitation_email", side_effect=SystemExit("killed")
            ),
            pytest.raises(SystemExit),
        ):
            send_invitation_email.call(invitation.pk)
    email = newest_email(invitation)
    assert email.status == SendState.SENDING
    assert email.claimed_at == CLAIMED
    return invitation


def test_a_send_whose_worker_stopped_shows_as_failed_after_15_minutes_and_can_be_retried(
    lead_client: Client, round_
):
    invitation = _claimed_by_a_worker_that_died(round_)
    url = reverse("assessments:round_detail", args=[round_.place.slug, round_.pk])

    with time_machine.travel(CLAIMED + dt.timedelta(minutes=16), tick=False):
        html = lead_client.get(url).content.decode()
        # The page reads the stale claim as failed without writing anything.
        assert newest_email(invitation).status == SendState.SENDING
        assert STOPPED_WORKER_ERROR in html
        assert "Send 1 invitation not yet sent" in html

        send = reverse("assessments:invitations_send", args=[round_.place.slug, round_.pk])
        assert lead_client.post(send).status_code == 302
    invitation.refresh_from_db()
    assert [m.to for m in mail.outbox] == [[invitation.email]]
    assert invitation.token_hash == hash_token(_token_in(mail.outbox[0]))
    [email] = invitation.emails.all()
    assert email.status == SendState.SENT and email.error == ""
    assert email.attempts == 2


def test_a_stale_claim_is_retried_by_the_row_service_too(round_, lead):
    invitation = _claimed_by_a_worker_that_died(round_)
    with time_machine.travel(CLAIMED + dt.timedelta(minutes=16), tick=False):
        assert invitation_resend(invitation=invitation, actor=lead) == 1
    assert newest_email(invitation).status == SendState.SENT and len(mail.outbox) == 1


def test_a_fresh_claim_is_left_sending_and_cannot_be_sent_again(lead_client: Client, round_, lead):
    invitation = _claimed_by_a_worker_that_died(round_)
    url = reverse("assessments:round_detail", args=[round_.place.slug, round_.pk])

    with time_machine.travel(CLAIMED + dt.timedelta(minutes=14), tick=False):
        assert invitations_fail_stale_sends(round=round_) == 0
        html = lead_client.get(url).content.decode()
        with pytest.raises(ValidationError, match="already on its way"):
            invitation_resend(invitation=invitation, actor=lead)
        assert invitations_send_unsent(round=round_, actor=lead) == 0
    email = newest_email(invitation)
    assert email.status == SendState.SENDING and email.error == ""
    assert "not yet sent" not in html and "Remind the" not in html
    assert mail.outbox == []


def test_send_reminders_marks_sends_whose_worker_stopped_as_failed(round_):
    invitation = _claimed_by_a_worker_that_died(round_)
    other_round = RoundFactory(place=round_.place)
    elsewhere = _claimed_by_a_worker_that_died(other_round)
    out = io.StringIO()

    with time_machine.travel(CLAIMED + dt.timedelta(minutes=20), tick=False):
        call_command("send_reminders", stdout=out)

    assert "2 emails whose worker stopped before sending marked failed." in out.getvalue()
    for row in (invitation, elsewhere):
        email = newest_email(row)
        assert email.status == SendState.FAILED and email.error == STOPPED_WORKER_ERROR


def test_a_worker_whose_claim_expired_before_sending_sends_nothing(round_):
    invitation = InvitationFactory(round=round_)
    with override_settings(TASKS=DATABASE_TASKS):
        invitations_send_unsent(round=round_, actor=None)
    real_set_new_token = Invitation.set_new_token

    def stalled_then_swept(self):
        # The worker stalls after claiming; meanwhile the sweep gives its claim up.
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
            assert invitations_fail_stale_sends() == 1
        return real_set_new_token(self)

    with mock.patch.object(
        Invitation, "set_new_token", autospec=True, side_effect=stalled_then_swept
    ):
        assert send_invitation_email.call(invitation.pk) == "expired"
    assert mail.outbox == []
    email = newest_email(invitation)
    assert email.status == SendState.FAILED
    assert email.error == STOPPED_WORKER_ERROR


def test_a_late_worker_whose_claim_was_taken_over_does_not_record_its_send_again(round_, lead):
    invitation = InvitationFactory(round=round_, sent_at=CLAIMED - dt.timedelta(days=5))
    with override_settings(TASKS=DATABASE_TASKS):
        assert invitations_remind(round=round_, actor=lead) == 1
    sent = []

    def slow_smtp(message):
        sent.append(message)
        if len(sent) == 1:
            # This worker hangs in the mail server for 20 minutes. Meanwhile its claim is
            # failed, the lead reminds again, and another worker sends and records that.
            with time_machine.travel(CLAIMED + dt.timedelta(minutes=20), tick=False):
                assert invitations_fail_stale_sends(round=round_) == 1
                with override_settings(TASKS=DATABASE_TASKS):
                    assert invitations_remind(round=round_, actor=lead) == 1
                assert send_invitation_email.call(invitation.pk) == "sent"
        return 1

    with (
        time_machine.travel(CLAIMED, tick=False),
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send", autospec=True, side_effect=slow_smtp
        ),
    ):
        assert send_invitation_email.call(invitation.pk) == "late"

    invitation.refresh_from_db()
    assert len(sent) == 2
    email = newest_email(invitation)
    assert email.kind == EmailKind.REMINDER and email.status == SendState.SENT
    assert reminders_sent(invitation) == 1
    assert email.sent_at == CLAIMED + dt.timedelta(minutes=20)
    assert email.claimed_at == CLAIMED + dt.timedelta(minutes=20)
    # Only the newer email's link works.
    assert invitation.token_hash == hash_token(_token_in(sent[1]))


def test_a_slow_worker_whose_claim_was_failed_but_not_retaken_records_its_send(round_):
    invitation = InvitationFactory(round=round_)
    with override_settings(TASKS=DATABASE_TASKS):
        invitations_send_unsent(round=round_, actor=None)

    def slow_smtp(message):
        with time_machine.travel(CLAIMED + dt.timedelta(minutes=20), tick=False):
            assert invitations_fail_stale_sends(round=round_) == 1
        return 1

    with (
        time_machine.travel(CLAIMED, tick=False),
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send", autospec=True, side_effect=slow_smtp
        ),
    ):
        assert send_invitation_email.call(invitation.pk) == "sent"
    # The email did go out: the row says so rather than asking the lead to send again.
    email = newest_email(invitation)
    assert email.status == SendState.SENT and email.error == ""
    assert email.sent_at == CLAIMED


def test_an_invitation_revoked_while_queued_is_never_sent(round_, lead):
    invitation = InvitationFactory(round=round_)
    with override_settings(TASKS=DATABASE_TASKS):
        invitations_send_unsent(round=round_, actor=lead)
        invitation_revoke(invitation=invitation, actor=lead)
        _run_worker()
    assert mail.outbox == []
    assert ActivityLog.objects.filter(verb="invitation-revoked").count() == 1


def test_revoking_replaces_the_stored_hash_so_the_old_link_dies(round_, lead):
    invitation = InvitationFactory(round=round_)
    old_hash = invitation.token_hash
    invitation_revoke(invitation=invitation, actor=lead)
    invitation.refresh_from_db()
    assert invitation.is_revoked and invitation.token_hash != old_hash
    with pytest.raises(ValidationError, match="already revoked"):
        invitation_revoke(invitation=invitation, actor=lead)


def test_a_submitted_respondent_cannot_be_revoked(round_, lead):
    invitation = InvitationFactory(round=round_)
    ResponseFactory(
        invitation=invitation, status=ResponseStatus.SUBMITTED, submitted_at=timezone.now()
    )
    with pytest.raises(ValidationError, match="submitted"):
        invitation_revoke(invitation=invitation, actor=lead)


def test_300_invitations_are_queued_in_one_request_and_sent_once_by_the_worker(
    lead_client: Client, round_
):
    partner = PartnerFactory(place=round_.place, name="Harrowdene Council")
    lines = ["name,email,partner,perspective"] + [
        f"Person {n},person{n}@example.org,{partner.name},Manager" for n in range(300)
    ]
    url = reverse("assessments:invitation_bulk", args=[round_.place.slug, round_.pk])
    with override_settings(TASKS=DATABASE_TASKS):
        response = lead_client.post(url, {"text": "\n".join(lines), "send_now": "on"})
        assert response.status_code == 302
        assert DBTaskResult.objects.count() == 300
        assert mail.outbox == []
        assert OutboxEmail.objects.filter(status=SendState.QUEUED).count() == 300

        _run_worker()
        assert len(mail.outbox) == 300
        assert len({m.to[0] for m in mail.outbox}) == 300
        assert OutboxEmail.objects.filter(status=SendState.SENT).count() == 300

        # Running the worker again, or re-running every finished task, sends nothing more.
        _run_worker()
        for invitation_id in Invitation.objects.values_list("pk", flat=True):
            send_invitation_email.call(invitation_id)
    assert len(mail.outbox) == 300
    assert OutboxEmail.objects.count() == 300  # one row per email, none added by the repeats


def test_remind_button_reaches_everyone_invited_who_has_not_submitted(
    lead_client: Client, round_, lead
):
    waiting = InvitationFactory(round=round_, name="Waiting")
    drafting = InvitationFactory(round=round_, name="Drafting")
    done = InvitationFactory(round=round_, name="Done")
    never_sent = InvitationFactory(round=round_, name="Not yet")
    ResponseFactory(invitation=drafting)
    ResponseFactory(invitation=done, status=ResponseStatus.SUBMITTED, submitted_at=timezone.now())
    for invitation in (waiting, drafting, done):
        invitation_record_sent(invitation=invitation, at=timezone.now())

    response = lead_client.post(
        reverse("assessments:invitations_remind", args=[round_.place.slug, round_.pk])
    )

    assert response.status_code == 302
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert sorted(subjects) == sorted([waiting.email, drafting.email, never_sent.email])
    # Those already invited get a reminder; the one never sent gets the invitation itself.
    assert subjects[waiting.email].startswith("Reminder:")
    assert subjects[drafting.email].startswith("Reminder:")
    assert not subjects[never_sent.email].startswith("Reminder:")
    assert reminders_sent(waiting) == 1
    assert newest_email(waiting).kind == EmailKind.REMINDER
    assert newest_email(never_sent).kind == EmailKind.INVITATION
    entry = ActivityLog.objects.get(verb="invitations-reminded")
    assert entry.actor == lead and "2 people" in entry.description
    assert "1 person" in ActivityLog.objects.get(verb="invitations-sent").description


def test_send_reminders_command_reminds_at_most_once_every_n_days(round_, lead):
    invitation = InvitationFactory(round=round_)
    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        round_.opens_on = dt.date(2026, 3, 1)
        round_.closes_on = dt.date(2026, 3, 31)
        round_.save()
        invitations_send_unsent(round=round_, actor=lead)
        call_command("send_reminders", "--days", "3", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert len(mail.outbox) == 1  # invited today: too soon to remind
    with time_machine.travel(start + dt.timedelta(days=3), tick=False):
        call_command("send_reminders", "--days", "3", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("send_reminders", "--days", "3", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert len(mail.outbox) == 2
        assert mail.outbox[1].subject.startswith("Reminder:")
    with time_machine.travel(start + dt.timedelta(days=5), tick=False):
        call_command("send_reminders", "--days", "3", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert len(mail.outbox) == 2
    with time_machine.travel(start + dt.timedelta(days=6), tick=False):
        call_command("send_reminders", "--days", "3", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert len(mail.outbox) == 3
    assert reminders_sent(invitation) == 2
    reminded = ActivityLog.objects.filter(verb="invitations-reminded")
    assert reminded.count() == 2 and all(entry.actor is None for entry in reminded)


def test_send_reminders_leaves_closed_and_lapsed_rounds_alone(place, lead):
    closed = RoundFactory(place=place, state=RoundState.CLOSED, closed_at=timezone.now())
    lapsed = RoundFactory(
        place=place,
        opens_on=timezone.localdate() - dt.timedelta(days=30),
        closes_on=timezone.localdate() - dt.timedelta(days=1),
    )
    long_ago = timezone.now() - dt.timedelta(days=20)
    for round_ in (closed, lapsed):
        InvitationFactory(round=round_, sent_at=long_ago)
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []


def test_adding_one_respondent_to_an_open_round_emails_them_at_once(lead_client: Client, round_):
    partner = PartnerFactory(place=round_.place, name="Harrowdene Council")
    response = lead_client.post(
        reverse("assessments:invitation_add", args=[round_.place.slug, round_.pk]),
        {
            "name": "Asha Patel",
            "email": "asha@example.org",
            "partner": partner.pk,
            "perspective": "manager",
            "send_now": "on",
        },
    )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["asha@example.org"]]
    assert newest_email(Invitation.objects.get()).status == SendState.SENT


def test_adding_the_same_email_twice_is_refused_with_a_message(lead_client: Client, round_):
    partner = PartnerFactory(place=round_.place)
    InvitationFactory(round=round_, partner=partner, email="asha@example.org")
    response = lead_client.post(
        reverse("assessments:invitation_add", args=[round_.place.slug, round_.pk]),
        {
            "name": "Asha again",
            "email": "ASHA@example.org",
            "partner": partner.pk,
            "perspective": "manager",
        },
    )
    assert response.status_code == 200
    assert "already invited to this round" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_an_archived_partner_is_not_offered_for_a_new_invitation(lead_client: Client, round_):
    PartnerFactory(place=round_.place, name="Gone Trust", archived_at=timezone.now())
    PartnerFactory(place=round_.place, name="Here Trust")
    page = lead_client.get(
        reverse("assessments:invitation_add", args=[round_.place.slug, round_.pk])
    ).content.decode()
    assert "Here Trust" in page and "Gone Trust" not in page


def test_names_typed_by_a_lead_are_escaped_in_the_html_part(round_, lead):
    InvitationFactory(round=round_, name="<b>Sam</b>")
    invitations_send_unsent(round=round_, actor=lead)
    html = mail.outbox[0].alternatives[0][0]
    assert "&lt;b&gt;Sam&lt;/b&gt;" in html and "<b>Sam</b>" not in html
    assert "Dear <b>Sam</b>," in mail.outbox[0].body  # plain text is not HTML


def test_emails_still_queued_when_the_round_closes_are_not_sent(round_, lead):
    from assessments.services.rounds import round_close

    InvitationFactory(round=round_)
    with override_settings(TASKS=DATABASE_TASKS):
        invitations_send_unsent(round=round_, actor=lead)
        round_close(round=round_, actor=lead)
        _run_worker()
    assert mail.outbox == []
    assert not OutboxEmail.objects.exists()  # never sent: it reads "not sent" again


def test_send_reminders_refuses_a_zero_day_interval():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="at least 1"):
        call_command("send_reminders", "--days", "0")
