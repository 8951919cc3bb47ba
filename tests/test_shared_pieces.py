"""Pieces that every app shares, written once: each is tested here, and a cheap scan of the
source checks that no app has grown its own copy again."""

from __future__ import annotations

import ast
import sys
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


def calls(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return "?"


# --- Copying a framework's items ------------------------------------------------------------


@pytest.mark.django_db
def test_framework_copy_items_copies_groups_items_and_scale(django_assert_num_queries):
    from preconditions.models import Framework
    from preconditions.services import framework_copy_items

    nine = Framework.objects.get(is_default=True)
    target = Framework.objects.create(name="Copied", version=1, description="", source_credit="")
    with django_assert_num_queries(8):  # three reads, three bulk inserts, the savepoint pair
        groups = framework_copy_items(source=nine, target=target)
    assert set(groups) == set(nine.groups.values_list("code", flat=True))
    assert all(group.framework_id == target.pk and group.pk for group in groups.values())

    def items(framework):
        return list(
            framework.preconditions.order_by("code").values_list(
                "group__code", "code", "name", "summary", "easy_read_summary", "vignette_absent"
            )
        )

    assert items(target) == items(nine) and len(items(nine)) == 9
    assert list(target.scale.values_list("value", "label", "descriptor")) == list(
        nine.scale.values_list("value", "label", "descriptor")
    )


def test_only_framework_copy_items_copies_preconditions_field_by_field():
    copies = [
        rel(p)
        for p in app_modules()
        for call in calls(p)
        if dotted(call.func).endswith("Precondition")
        and any(k.arg == "vignette_absent" for k in call.keywords)
    ]
    assert copies == ["preconditions/services.py"]


# --- The activity log -----------------------------------------------------------------------


def test_every_app_writes_the_activity_log_through_activity_record():
    writers = [
        rel(p)
        for p in app_modules()
        for call in calls(p)
        if dotted(call.func) in {"ActivityLog.objects.create", "ActivityLog.objects.bulk_create"}
    ]
    assert writers == ["places/services.py"]


@pytest.mark.django_db
def test_workshop_consent_is_logged_with_the_place_and_person():
    from places.models import ActivityLog
    from tests.factories import MembershipFactory
    from workshop.models import Network, NetworkPlace
    from workshop.services import network_place_set_consent

    membership = MembershipFactory()
    network = Network.objects.create(name="Vale network", slug="vale")
    asked = NetworkPlace.objects.create(network=network, place=membership.place)
    network_place_set_consent(network_place=asked, share=True, named=False, user=membership.user)
    entry = ActivityLog.objects.get(verb="network-consent")
    assert (entry.place, entry.actor) == (membership.place, membership.user)
    assert entry.description == "In Vale network the place now shares its figures, anonymised."


# --- Partners a new invitation or action may name -------------------------------------------


def test_forms_choose_partners_only_through_the_places_selector():
    own_filters = [
        rel(p)
        for p in app_modules()
        if p.name == "forms.py" or p.parent.name == "forms"
        for call in calls(p)
        if any(k.arg and k.arg.startswith("archived_at") for k in call.keywords)
    ]
    assert own_filters == []


@pytest.mark.django_db
def test_invitation_and_action_forms_offer_the_same_partners():
    from django.utils import timezone

    from assessments.forms.manage import InvitationForm
    from places.selectors import partners_for_new_invitations
    from workshop.forms import ActionForm

    place = PlaceFactory()
    PartnerFactory(place=place, name="Zed Trust")
    PartnerFactory(place=place, name="Alder Homes")
    PartnerFactory(place=place, name="Gone Org", archived_at=timezone.now())
    PartnerFactory(name="Elsewhere")
    expected = ["Alder Homes", "Zed Trust"]
    assert [p.name for p in partners_for_new_invitations(place)] == expected
    invitation = InvitationForm(place=place).fields["partner"].queryset
    action = ActionForm(place=place, framework_id=1).fields["owner"].queryset
    assert [p.name for p in invitation] == expected == [p.name for p in action]


def test_the_shared_form_helper_imports_no_app():
    from tests.test_architecture import imported_apps

    packages = {package for _line, package in imported_apps(ROOT / "ninefold" / "forms.py")}
    assert packages - set(sys.stdlib_module_names) <= {"django"}
