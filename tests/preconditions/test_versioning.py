import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from assessments.models import RoundState
from preconditions.models import Framework, Precondition
from preconditions.services import framework_new_version
from tests.factories import RatingFactory, RoundFactory, UserFactory

pytestmark = pytest.mark.django_db


def _admin_request():
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    return request


def test_framework_is_locked_once_a_round_opens():
    framework = Framework.objects.get(is_default=True)
    round_ = RoundFactory(framework=framework, state=RoundState.DRAFT)
    assert not framework.is_locked
    round_.state = RoundState.OPEN
    round_.save()
    assert framework.is_locked


def test_admin_refuses_to_edit_texts_of_a_locked_framework():
    framework = Framework.objects.get(is_default=True)
    RoundFactory(framework=framework)
    item = framework.preconditions.get(code="A")
    request = _admin_request()
    assert not site._registry[Precondition].has_change_permission(request, item)
    assert not site._registry[Framework].has_change_permission(request, framework)


def test_new_version_copies_everything_and_leaves_past_ratings_untouched():
    framework = Framework.objects.get(is_default=True)
    rating = RatingFactory(precondition=framework.preconditions.get(code="B"))
    copy = framework_new_version(framework=framework)

    assert copy.version == 2 and not copy.is_default
    assert copy.preconditions.count() == 9
    assert copy.groups.count() == 2 and copy.scale.count() == 5
    assert all(p.group.framework_id == copy.pk for p in copy.preconditions.all())
    # The easy-read texts go with it (decisions 0070 and 0025).
    fields = ("value", "easy_read_label", "easy_read_descriptor")
    assert list(copy.scale.values_list(*fields)) == list(framework.scale.values_list(*fields))
    assert copy.scale.get(value=3).easy_read_label == "Sometimes"

    copy.preconditions.filter(code="B").update(summary="Changed wording for a licensed place.")
    rating.refresh_from_db()
    assert rating.precondition.framework_id == framework.pk
    assert rating.precondition.summary != "Changed wording for a licensed place."
    assert site._registry[Precondition].has_change_permission(
        _admin_request(), copy.preconditions.get(code="B")
    )
