"""Line breaks in place and round names made every invitation email naming them fail
(``BadHeaderError``) while the page said "An invitation is on its way". One-line fields refuse
control characters, and a failed email is never reported as sent."""

from __future__ import annotations

import datetime as dt
import logging
from unittest import mock

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import timezone

from assessments.models import Round
from ninefold.text import validate_name, validate_one_line
from places.models import Place, PlaceInvitation, Role
from tests.factories import MembershipFactory, PlaceFactory, RoundFactory
from tests.helpers import date_fields

# Fields the app writes itself, and the one free-text field meant to take several lines.
NOT_TYPED_ON_ONE_LINE = {
    "places.ActivityLog.description",
    "assessments.Invitation.last_error",
    "assessments.LinkLookupFailures.address",  # the client address, from the request
    # AbstractUser's, unused: the app has one full_name.
    "accounts.User.first_name",
    "accounts.User.last_name",
}
MULTI_LINE = {"workshop.Action.what"}
OUR_APPS = {"accounts", "places", "assessments", "workshop"}
BREAKS = ["Harrow\ndene", "Harrow\r\ndene", "Harrow\tdene", "Harrow\x00dene", "Harrow\u2028dene"]


def test_every_one_line_field_refuses_control_characters():
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.get_fields():
            label = f"{model._meta.label}.{getattr(field, 'name', '')}"
            if (
                not isinstance(field, models.CharField)
                or isinstance(field, models.EmailField | models.SlugField)
                or field.choices
                or not field.editable
                or label in NOT_TYPED_ON_ONE_LINE | MULTI_LINE
                or label == "accounts.User.password"
            ):
                continue
            # validate_name (names) is validate_one_line and more.
            if not any(v in (validate_one_line, validate_name) for v in field.validators):
                missing.append(label)
    assert not missing, f"one-line fields that accept line breaks: {missing}"


def refused(response) -> bool:
    page = response.content.decode()
    # Django's own form fields already refuse a NUL, with their own words.
    return "Write this on one line" in page or "Null characters are not allowed" in page


@pytest.mark.django_db
@pytest.mark.parametrize("name", BREAKS)
def test_place_and_round_names_refuse_line_breaks(name):
    place = PlaceFactory(name="Harrowdene")
    lead = MembershipFactory(place=place, role=Role.LEAD).user
    client = Client()
    client.force_login(lead)
    response = client.post(f"/places/{place.slug}/edit/", {"name": name, "description": ""})
    assert response.status_code == 200
    assert refused(response)
    assert Place.objects.get(pk=place.pk).name == "Harrowdene"

    today = timezone.localdate()
    response = client.post(
        f"/places/{place.slug}/rounds/new/",
        {
            "name": name,
            "purpose": "",
            **date_fields("opens_on", today.isoformat()),
            **date_fields("closes_on", (today + dt.timedelta(days=14)).isoformat()),
            "framework": RoundFactory.framework.function().pk,
        },
    )
    assert response.status_code == 200
    assert refused(response)
    assert not Round.objects.filter(place=place).exists()


@pytest.mark.django_db(transaction=True)
def test_a_colleague_invitation_that_failed_is_not_said_to_be_on_its_way(caplog):
    place = PlaceFactory()
    lead = MembershipFactory(place=place, role=Role.LEAD).user
    client = Client()
    client.force_login(lead)
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=ConnectionRefusedError("mail server down"),
        ),
        caplog.at_level(logging.CRITICAL),
    ):
        response = client.post(
            f"/places/{place.slug}/people/",
            {"email": "colleague@example.org", "role": Role.BOARD},
            follow=True,
        )
        page = response.content.decode()
        assert "on its way" not in page
        assert "the email could not be sent" in page
        invitation = PlaceInvitation.objects.get(place=place)

        response = client.post(
            f"/places/{place.slug}/invitations/{invitation.pk}/resend/", follow=True
        )
        page = response.content.decode()
        assert "on its way" not in page
        assert "the email could not be sent" in page
