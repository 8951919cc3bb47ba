"""A round's confidentiality: chosen by the lead, told to respondents, never loosened once
anyone has answered (docs/confidentiality.md)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from assessments.emails import build_invitation_email
from assessments.models import Confidentiality, Perspective, ResponseStatus, Round
from assessments.services.rounds import round_set_confidentiality
from places.models import ActivityLog, Role
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    ResponseFactory,
    RoundFactory,
    default_framework,
)
from tests.helpers import date_fields

pytestmark = pytest.mark.django_db


def _create(client: Client, place, **extra) -> Round:
    data = {
        "name": "Spring listening",
        **date_fields("opens_on", "2026-03-01"),
        **date_fields("closes_on", "2026-03-31"),
        "framework": default_framework().pk,
        **extra,
    }
    response = client.post(reverse("assessments:round_create", args=[place.slug]), data)
    assert response.status_code == 302
    return Round.objects.get(place=place, name="Spring listening")


def test_a_new_round_is_confidential_unless_the_lead_chooses_named(lead_client, place):
    page = lead_client.get(reverse("assessments:round_create", args=[place.slug])).content
    assert b'<option value="confidential" selected>' in page
    assert b"fewer than 3 people" in page  # the help text says what the choice means

    assert _create(lead_client, place).confidentiality == Confidentiality.CONFIDENTIAL
    Round.objects.all().delete()
    named = _create(lead_client, place, confidentiality="named")
    assert named.confidentiality == Confidentiality.NAMED
    log = ActivityLog.objects.filter(place=place, verb="round-created").latest("pk")
    assert "named organisations" in log.description


def test_a_tampered_choice_is_refused(lead_client, place):
    response = lead_client.post(
        reverse("assessments:round_create", args=[place.slug]),
        {
            "name": "Spring",
            **date_fields("opens_on", "2026-03-01"),
            **date_fields("closes_on", "2026-03-31"),
            "framework": default_framework().pk,
            "confidentiality": "public",
        },
    )
    assert response.status_code == 200
    assert not Round.objects.filter(place=place).exists()


def test_named_can_become_confidential_at_any_time_and_it_is_logged(lead):
    round_ = RoundFactory(confidentiality=Confidentiality.NAMED)
    ResponseFactory(invitation=InvitationFactory(round=round_), status=ResponseStatus.DRAFT)
    round_set_confidentiality(round=round_, actor=lead, confidentiality="confidential")
    round_.refresh_from_db()
    assert round_.confidentiality == Confidentiality.CONFIDENTIAL
    entry = ActivityLog.objects.get(place=round_.place, verb="round-confidentiality")
    assert "from named organisations to confidential" in entry.description


def test_confidential_becomes_named_only_while_nobody_has_answered(lead):
    round_ = RoundFactory()
    round_set_confidentiality(round=round_, actor=lead, confidentiality="named")
    round_set_confidentiality(round=round_, actor=lead, confidentiality="confidential")
    # A draft is enough: the person started answering under the promise.
    ResponseFactory(invitation=InvitationFactory(round=round_), status=ResponseStatus.DRAFT)
    with pytest.raises(ValidationError, match="stays confidential"):
        round_set_confidentiality(round=round_, actor=lead, confidentiality="named")
    round_.refresh_from_db()
    assert round_.confidentiality == Confidentiality.CONFIDENTIAL
    assert ActivityLog.objects.filter(verb="round-confidentiality").count() == 2


def test_round_page_offers_only_the_allowed_change_and_only_to_leads(place, lead_client):
    round_ = RoundFactory(place=place)
    url = reverse("assessments:round_detail", args=[place.slug, round_.pk])
    change = reverse("assessments:round_confidentiality", args=[place.slug, round_.pk])
    assert "Show partners by name instead" in lead_client.get(url).content.decode()

    ResponseFactory(invitation=InvitationFactory(round=round_), status=ResponseStatus.DRAFT)
    page = lead_client.get(url).content.decode()
    assert "stays confidential" in page and "Show partners by name instead" not in page
    response = lead_client.post(change, {"confidentiality": "named"}, follow=True)
    assert "stays confidential" in response.content.decode()
    round_.refresh_from_db()
    assert round_.confidentiality == Confidentiality.CONFIDENTIAL

    board = MembershipFactory(place=place, role=Role.BOARD).user
    client = Client()
    client.force_login(board)
    assert client.post(change, {"confidentiality": "confidential"}).status_code == 403


@pytest.mark.parametrize("perspective", [Perspective.MANAGER, Perspective.LIVED_EXPERIENCE])
def test_form_and_invitation_say_how_answers_are_shown_before_anyone_answers(perspective):
    named = InvitationFactory(
        round=RoundFactory(confidentiality=Confidentiality.NAMED), perspective=perspective
    )
    confidential = InvitationFactory(round=RoundFactory(), perspective=perspective)
    partner = named.partner.name

    form = Client().get(reverse("assessments:respond", args=[named.token])).content.decode()
    assert escape(partner) in form and "shown under its name" in form
    form = Client().get(reverse("assessments:respond", args=[confidential.token])).content.decode()
    assert "only when at least 3 people" in form
    assert "shown under its name" not in form

    for invitation, expected in ((named, "shown under its name"), (confidential, "at least 3")):
        email = build_invitation_email(invitation, invitation.token)
        html = email.alternatives[0][0]
        assert expected in email.body and expected in html
    # The old, vague promise to people with lived experience is gone.
    assert "at least a few people" not in build_invitation_email(named, named.token).body
