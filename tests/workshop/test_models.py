import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import PartnerFactory, RoundFactory, default_framework
from workshop.models import Action, AgreedView

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    return default_framework().preconditions.get(code="A")


def test_agreed_view_with_level_or_disagree_or_neither_is_valid(item):
    round_ = RoundFactory()
    for level, disagree in [(3, False), (None, True), (None, False)]:
        view = AgreedView(round=round_, precondition=item, level=level, disagree=disagree)
        view.full_clean()
        view.save()
        view.delete()


def test_agreed_view_with_both_level_and_disagree_is_refused_by_validation_and_database(item):
    round_ = RoundFactory()
    view = AgreedView(round=round_, precondition=item, level=2, disagree=True)
    with pytest.raises(ValidationError, match="not both"):
        view.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreedView.objects.create(round=round_, precondition=item, level=2, disagree=True)


@pytest.mark.parametrize("level", [0, 6])
def test_agreed_view_level_outside_1_to_5_is_refused(item, level):
    round_ = RoundFactory()
    with pytest.raises(ValidationError):
        AgreedView(round=round_, precondition=item, level=level).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreedView.objects.create(round=round_, precondition=item, level=level)


def test_agreed_view_is_unique_per_round_and_precondition(item):
    round_ = RoundFactory()
    AgreedView.objects.create(round=round_, precondition=item, level=3)
    with pytest.raises(ValidationError, match="already has an agreed view"):
        AgreedView(round=round_, precondition=item, level=4).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreedView.objects.create(round=round_, precondition=item, level=4)
    AgreedView.objects.create(round=RoundFactory(place=round_.place), precondition=item, level=4)


def _action(**overrides):
    round_ = overrides.pop("round", None) or RoundFactory()
    fields = {
        "place": round_.place,
        "round": round_,
        "what": "Meet monthly",
        "owner": PartnerFactory(place=round_.place),
        "due_on": dt.date(2027, 1, 1),
    }
    fields.update(overrides)
    return Action(**fields)


def test_action_valid_and_saved():
    action = _action()
    action.full_clean()
    action.save()
    assert action.status == "open"


def test_action_with_unknown_status_is_refused_by_validation_and_database():
    with pytest.raises(ValidationError):
        _action(status="finished").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        _action(status="finished").save()


def test_action_with_empty_what_is_refused_by_validation_and_database():
    with pytest.raises(ValidationError):
        _action(what="").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        _action(what="").save()


def test_action_owner_from_another_place_is_refused():
    with pytest.raises(ValidationError, match="partner of the action's place"):
        _action(owner=PartnerFactory()).full_clean()


def test_action_owner_partner_cannot_be_deleted():
    action = _action()
    action.save()
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        action.owner.delete()
