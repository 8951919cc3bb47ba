"""A lead removes a note's text; the privacy notice and accessibility statement; the links."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from assessments.models import EmailKind, OutboxEmail, Rating
from places.models import ActivityLog, Role
from places.services import place_invitation_create
from reports import aggregation
from tests.factories import MembershipFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

NOTE = "Ann at the council told us so"


def test_a_lead_removes_a_notes_text_and_no_figure_changes(closed_round):
    place, lead, round_ = closed_round["place"], closed_round["lead"], closed_round["round"]
    rating = Rating.objects.get(evidence=NOTE, precondition__code="A")
    client = client_for(lead)
    precondition_page = reverse("reports:precondition", args=[place.slug, round_.pk, "A"])
    shown = client.get(precondition_page)
    redact = reverse("privacy:redact_note", args=[place.slug, rating.pk])
    assert redact.encode() in shown.content
    before = aggregation.round_summary(round_, audience=aggregation.LEAD)
    notes_before = len(aggregation.evidence_notes(round_, audience=aggregation.LEAD))
    assert NOTE.encode() in client.get(redact).content  # the confirmation shows the note
    assert client.post(redact).status_code == 302
    assert aggregation.round_summary(round_, audience=aggregation.LEAD) == before
    notes = aggregation.evidence_notes(round_, audience=aggregation.LEAD)
    assert len(notes) == notes_before
    assert [n.text for n in notes if n.redacted] == [aggregation.REDACTED_NOTE]
    page = client.get(precondition_page).content.decode()
    assert NOTE not in page and "removed the text of this note" in page
    entry = ActivityLog.objects.get(place=place, verb="note-redacted")
    assert NOTE not in entry.description and str(rating.pk) in entry.description
    # A second time is refused with a message, and changes nothing.
    again = client.post(redact, follow=True)
    assert b"already been removed" in again.content


def test_only_the_places_leads_may_remove_a_notes_text(closed_round):
    place = closed_round["place"]
    rating = Rating.objects.get(evidence=NOTE, precondition__code="A")
    redact = reverse("privacy:redact_note", args=[place.slug, rating.pk])
    facilitator = MembershipFactory(place=place, role=Role.FACILITATOR).user
    assert client_for(facilitator).post(redact).status_code == 403
    other = MembershipFactory(role=Role.LEAD).user
    assert client_for(other).post(redact).status_code == 404
    rating.refresh_from_db()
    assert rating.evidence == NOTE
    # The facilitator's page offers no such link.
    page = client_for(facilitator).get(
        reverse("reports:precondition", args=[place.slug, closed_round["round"].pk, "A"])
    )
    assert redact.encode() not in page.content


def test_public_pages_are_open_to_everyone_and_linked_from_the_footer(client, settings):
    settings.NINEFOLD_PRIVACY = {
        **settings.NINEFOLD_PRIVACY,
        "controller": "Harrowdene Borough Council",
    }
    notice = client.get(reverse("privacy:notice"))
    assert notice.status_code == 200
    body = notice.content.decode()
    assert "Harrowdene Borough Council" in body
    # Unset fill-ins are plain gaps naming their setting.
    assert "sets PRIVACY_LAWFUL_BASIS" in body
    # A gap runs on into the sentence, with no stray space before its punctuation.
    assert "Council, which decides" in body and "PRIVACY_CONTACT.]</span>. Data" in body
    assert "12 months after the round closes" in body
    statement = client.get(reverse("privacy:accessibility"))
    assert statement.status_code == 200
    for heading in (
        "Compliance status",
        "What is not accessible",
        "Enforcement procedure",
        "How we tested this service",
    ):
        assert heading in statement.content.decode()
    home = client.get("/").content.decode()
    assert f'href="{reverse("privacy:notice")}"' in home
    assert f'href="{reverse("privacy:accessibility")}"' in home


def test_every_email_links_to_the_privacy_notice(
    closed_round, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://ninefold.council.example"
    target = "https://ninefold.council.example/privacy/"
    from accounts.tasks import send_password_reset
    from assessments.emails import build_invitation_email
    from places.services import lead_invitation_create

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        place_invitation_create(
            place=closed_round["place"],
            actor=closed_round["lead"],
            email="colleague@council.example",
            role=Role.BOARD,
        )
        lead_invitation_create(actor=None, email="new.lead@council.example")
    send_password_reset.call(closed_round["lead"].email)
    messages = list(mail.outbox)
    # The standard invitation and the lived-experience one.
    for invitation in closed_round["people"][:2]:
        email = OutboxEmail(invitation=invitation, kind=EmailKind.INVITATION)
        email.recipient = invitation.email
        messages.append(build_invitation_email(email, "token"))
    assert len(messages) == 5
    assert "Dear Respondent Person1" in messages[4].body
    for message in messages:
        assert target in message.body, message.subject
        html = message.alternatives[0][0] if message.alternatives else ""
        assert f'href="{target}"' in html, message.subject


def test_the_respondents_start_page_links_to_the_notice(closed_round):
    from tests.factories import InvitationFactory, RoundFactory

    invitation = InvitationFactory(round=RoundFactory(place=closed_round["place"]))
    page = Client().get(f"/r/{invitation.token}/")
    assert page.status_code == 200
    assert f'href="{reverse("privacy:notice")}"'.encode() in page.content
    assert b"removed 12 months after the round closes" in page.content
