"""Formula-like text was refused for partner names and list rows but accepted for a single
respondent's name, place and round names and action text: one rule for every name field
(``ninefold.text.validate_name``); exports keep neutralising everything."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from assessments.models import Invitation, Round
from ninefold.text import validate_name, validate_not_formula_like
from places.models import Place, Role
from tests.factories import MembershipFactory, PartnerFactory, PlaceFactory, RoundFactory
from tests.helpers import date_fields
from workshop.models import Action

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "@SUM(1)", "+1", " =1+1", "\u3000=1+1"]
OUR_APPS = {"accounts", "places", "assessments", "workshop"}


def test_every_name_field_follows_the_one_rule():
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for name in ("name", "full_name"):
            try:
                field = model._meta.get_field(name)
            except Exception:  # noqa: S112 - the model has no such field
                continue
            if validate_name not in field.validators:
                missing.append(f"{model._meta.label}.{name}")
    assert not missing, f"name fields without validate_name: {missing}"
    assert validate_not_formula_like in Action._meta.get_field("what").validators


@pytest.fixture
def lead_setup():
    place = PlaceFactory(name="Harrowdene")
    lead = MembershipFactory(place=place, role=Role.LEAD).user
    client = Client()
    client.force_login(lead)
    return place, client


def formula_refused(response) -> bool:
    return response.status_code == 200 and "spreadsheets treat a cell that starts" in (
        response.content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("text", FORMULAS)
def test_place_round_respondent_and_action_refuse_formula_like_text(lead_setup, text):
    place, client = lead_setup
    response = client.post(f"/places/{place.slug}/edit/", {"name": text, "description": ""})
    assert formula_refused(response)
    assert Place.objects.get(pk=place.pk).name == "Harrowdene"

    today = timezone.localdate()
    response = client.post(
        f"/places/{place.slug}/rounds/new/",
        {
            "name": text,
            "purpose": "",
            **date_fields("opens_on", today.isoformat()),
            **date_fields("closes_on", (today + dt.timedelta(days=14)).isoformat()),
            "framework": RoundFactory.framework.function().pk,
        },
    )
    assert formula_refused(response)
    assert not Round.objects.filter(place=place).exists()

    round_ = RoundFactory(place=place)
    partner = PartnerFactory(place=place)
    response = client.post(
        f"/places/{place.slug}/rounds/{round_.pk}/invitations/add/",
        {
            "name": text,
            "email": "someone@example.org",
            "partner": partner.pk,
            "perspective": "manager",
        },
    )
    assert formula_refused(response)
    assert not Invitation.objects.filter(round=round_).exists()

    response = client.post(
        f"/places/{place.slug}/rounds/{round_.pk}/workshop/A/actions/",
        {
            "what": text,
            "owner": partner.pk,
            **date_fields("due_on", (today + dt.timedelta(days=30))),
        },
    )
    assert formula_refused(response)
    assert not Action.objects.filter(place=place).exists()
