"""The place description had no length limit (2.38 MB accepted; the place page became 2.4 MB).
Every free-text field has a limit in the model and in the form; both are walked here."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db import models
from django.test import Client

from places.models import Place, Role
from tests.factories import MembershipFactory, PlaceFactory

OUR_APPS = ["accounts", "places", "assessments", "workshop", "preconditions", "reports"]


def test_every_text_field_of_every_model_is_limited_in_the_model():
    unlimited = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.CharField | models.TextField):
                continue
            limited = any(isinstance(v, MaxLengthValidator) for v in field.validators)
            if not field.max_length or not limited:
                unlimited.append(f"{model._meta.label}.{field.name}")
    assert not unlimited, f"text fields without an enforced limit: {unlimited}"


def form_classes():
    for app in OUR_APPS:
        package = importlib.import_module(app)
        names = [f"{app}.forms"]
        try:
            sub = importlib.import_module(f"{app}.forms")
            if hasattr(sub, "__path__"):
                names += [f"{app}.forms.{m.name}" for m in pkgutil.iter_modules(sub.__path__)]
        except ModuleNotFoundError:
            continue
        assert package
        for name in names:
            module = importlib.import_module(name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_every_text_field_of_every_form_has_a_limit():
    unlimited = []
    classes = list(form_classes())
    assert len(classes) > 10
    for cls in classes:
        for name, field in cls.base_fields.items():
            if type(field) in {forms.CharField, forms.EmailField} and not field.max_length:
                if isinstance(field.widget, forms.PasswordInput):
                    continue  # passwords are hashed; Django's validators bound them
                unlimited.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert not unlimited, f"form text fields without max_length: {unlimited}"


@pytest.mark.django_db
def test_a_huge_place_description_is_refused():
    place = PlaceFactory(description="Short.")
    lead = MembershipFactory(place=place, role=Role.LEAD).user
    client = Client()
    client.force_login(lead)
    response = client.post(
        f"/places/{place.slug}/edit/", {"name": place.name, "description": "x" * 2_400_000}
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 2000 characters" in response.content.decode()
    assert Place.objects.get(pk=place.pk).description == "Short."
