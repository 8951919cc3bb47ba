"""Site staff can read the outbox in the admin: the list, and an invitation's emails."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import EmailKind, SendState
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def test_the_outbox_list_and_an_invitations_emails_render(admin_client):
    invitation = InvitationFactory(
        sent_at=timezone.now(),
        email_status=SendState.FAILED,
        email_kind=EmailKind.REMINDER,
        email_error="Mailbox full",
    )
    listing = admin_client.get(reverse("admin:assessments_outboxemail_changelist"))
    assert listing.status_code == 200
    assert "2 outbox emails" in listing.content.decode()  # the invitation and the reminder
    change = admin_client.get(reverse("admin:assessments_invitation_change", args=[invitation.pk]))
    assert change.status_code == 200
    html = change.content.decode()
    assert "Mailbox full" in html and "Reminder" in html
