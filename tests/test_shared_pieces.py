"""Pieces that every app shares, written once: each is tested here, and a cheap scan of the
source checks that no app has grown its own copy again."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404

from assessments.models import Invitation, Round
from ninefold.forms import add_service_errors
from places.access import object_of_place
from places.models import Partner
from tests.factories import InvitationFactory, PartnerFactory, PlaceFactory, RoundFactory

ROOT = Path(__file__).resolve().parent.parent
APPS = ["accounts", "assessments", "places", "preconditions", "reports", "workshop", "ninefold"]


def app_modules() -> list[Path]:
    return [
        path
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def view_modules() -> list[Path]:
    return [p for p in app_modules() if p.name == "views.py" or p.parent.name == "views"]


def names_used(path: Path) -> set[str]:
    """Every name and attribute the module reads or calls."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.alias):
            found.add(node.name)
    return found


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


# --- Service errors on forms -----------------------------------------------------------------


class NameForm(forms.Form):
    name = forms.CharField()


def test_service_errors_go_on_their_field_or_on_top():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"name": "Taken.", "elsewhere": "Not a field."}))
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Not a field."]

    plain = NameForm({"name": "x"})
    assert plain.is_valid()
    add_service_errors(plain, ValidationError("The round is closed."))
    assert plain.non_field_errors() == ["The round is closed."] and "name" not in plain.errors


def test_only_the_shared_helper_turns_service_errors_into_form_errors():
    copies = [rel(p) for p in app_modules() if "error_dict" in names_used(p)]
    # places.models reads error_dict through update_error_dict, which is not a form helper.
    assert copies == ["ninefold/forms.py"]


# --- One object of a place, or a 404 --------------------------------------------------------


@pytest.mark.django_db
def test_object_of_place_finds_its_own_and_hides_another_places(django_assert_num_queries):
    place, other = PlaceFactory(), PlaceFactory()
    mine, theirs = PartnerFactory(place=place), PartnerFactory(place=other)
    with django_assert_num_queries(1):
        found = object_of_place(Partner, place, pk=mine.pk)
        assert found == mine and found.place is place  # no second query for the place
    with pytest.raises(Http404):
        object_of_place(Partner, place, pk=theirs.pk)
    with pytest.raises(Http404):
        object_of_place(Partner, place, pk=theirs.pk + 1000)


@pytest.mark.django_db
def test_object_of_place_follows_a_path_to_the_place():
    invitation = InvitationFactory()
    place = invitation.round.place
    other_round = RoundFactory()
    found = object_of_place(
        Invitation.objects.select_related("round"), place, via="round__place", pk=invitation.pk
    )
    assert found == invitation
    with pytest.raises(Http404):
        object_of_place(Invitation, other_round.place, via="round__place", pk=invitation.pk)
    with pytest.raises(Http404):
        object_of_place(
            Round.objects.exclude(pk=invitation.round_id), place, pk=invitation.round_id
        )


def test_views_reach_objects_only_through_places_access():
    own_lookups = [
        rel(p) for p in view_modules() if names_used(p) & {"get_object_or_404", "DoesNotExist"}
    ]
    assert own_lookups == []
