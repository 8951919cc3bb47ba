"""A site administrator builds a framework in the admin without code, in two steps."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import RoundState
from preconditions.models import Framework, Precondition, PreconditionGroup
from tests.factories import RoundFactory, UserFactory, default_framework

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


GROUPS = [("ours", "Our town"), ("ways", "Ways of working")]
SCALE = [(1, "Not yet"), (2, "Starting"), (3, "Growing"), (4, "Strong")]


def step_one(admin_client) -> Framework:
    data = {
        "name": "Local questions",
        "version": "1",
        "description": "Questions our town added.",
        "source_credit": "Written by the Harrowdene partnership.",
        "_continue": "Save and continue editing",
        **management("groups", len(GROUPS)),
        **management("scale", len(SCALE)),
    }
    for n, (code, name) in enumerate(GROUPS):
        data |= {f"groups-{n}-code": code, f"groups-{n}-name": name, f"groups-{n}-order": n}
    for n, (value, label) in enumerate(SCALE):
        data |= {
            f"scale-{n}-value": value,
            f"scale-{n}-label": label,
            f"scale-{n}-descriptor": f"{label}, in a sentence.",
        }
    response = admin_client.post(reverse("admin:preconditions_framework_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Framework.objects.get(name="Local questions")


def test_the_add_page_explains_the_two_steps_and_asks_for_items_only_after(admin_client):
    page = admin_client.get(reverse("admin:preconditions_framework_add")).content.decode()
    assert "Step 1" in page and "Step 2" in page
    assert "preconditions-TOTAL_FORMS" not in page
    framework = step_one(admin_client)
    assert [g.name for g in framework.groups.order_by("order")] == ["Our town", "Ways of working"]
    assert framework.scale.count() == 4
    change = reverse("admin:preconditions_framework_change", args=[framework.pk])
    page = admin_client.get(change).content.decode()
    assert "preconditions-TOTAL_FORMS" in page
    # The group list offers this framework's groups only, not the nine's.
    assert "Our town" in page and ">Vision<" not in page


def test_items_are_added_on_the_framework_page_in_its_own_groups(admin_client):
    framework = step_one(admin_client)
    groups = list(framework.groups.order_by("order"))
    scale = list(framework.scale.order_by("value"))
    data = {
        "name": framework.name,
        "version": "1",
        "description": framework.description,
        "source_credit": framework.source_credit,
        **management("groups", len(groups), len(groups)),
        **management("scale", len(scale), len(scale)),
        **management("preconditions", 2),
    }
    for n, group in enumerate(groups):
        data |= {
            f"groups-{n}-id": group.pk,
            f"groups-{n}-framework": framework.pk,
            f"groups-{n}-code": group.code,
            f"groups-{n}-name": group.name,
            f"groups-{n}-order": group.order,
        }
    for n, level in enumerate(scale):
        data |= {
            f"scale-{n}-id": level.pk,
            f"scale-{n}-framework": framework.pk,
            f"scale-{n}-value": level.value,
            f"scale-{n}-label": level.label,
            f"scale-{n}-descriptor": level.descriptor,
        }
    for n, (code, group) in enumerate([("J", groups[0]), ("K", groups[1])]):
        data |= {
            f"preconditions-{n}-code": code,
            f"preconditions-{n}-order": n + 1,
            f"preconditions-{n}-group": group.pk,
            f"preconditions-{n}-name": f"Item {code}",
            f"preconditions-{n}-summary": f"What {code} is about.",
            f"preconditions-{n}-easy_read_summary": f"{code} in easy words.",
        }
    url = reverse("admin:preconditions_framework_change", args=[framework.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    items = {p.code: p for p in framework.preconditions.select_related("group")}
    assert items["J"].group.name == "Our town" and items["K"].group.name == "Ways of working"
    assert items["J"].easy_read_text == "J in easy words."

    # Another framework's group is refused: it is not among the choices.
    data["preconditions-TOTAL_FORMS"] = "3"
    data["preconditions-INITIAL_FORMS"] = "2"
    for n, code in enumerate(["J", "K"]):
        data[f"preconditions-{n}-id"] = items[code].pk
        data[f"preconditions-{n}-framework"] = framework.pk
    data |= {
        "preconditions-2-code": "L",
        "preconditions-2-order": 3,
        "preconditions-2-group": default_framework().groups.first().pk,
        "preconditions-2-name": "Item L",
        "preconditions-2-summary": "What L is about.",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not framework.preconditions.filter(code="L").exists()


def test_a_used_framework_takes_no_new_items_groups_or_levels(admin_client):
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    from preconditions.models import Framework as FrameworkModel
    from tests.factories import RoundFactory

    framework = default_framework()
    RoundFactory(framework=framework)
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    admin_ = site._registry[FrameworkModel]
    for inline in admin_.get_inline_instances(request, framework):
        assert not inline.has_add_permission(request, framework), inline
        assert not inline.has_change_permission(request, framework), inline
    page = admin_client.get(
        reverse("admin:preconditions_framework_change", args=[framework.pk])
    ).content.decode()
    assert "texts are frozen" in page
    assert 'name="preconditions-0-summary"' not in page


@pytest.mark.parametrize("state", [RoundState.DRAFT, RoundState.OPEN])
def test_the_change_page_costs_the_same_however_many_rows_and_asks_the_lock_once(
    admin_client, django_assert_num_queries, state
):
    # 9 queries, locked or not: session, user, the framework twice (the locked message, then
    # Django's own view), whether it is locked (once, however many permission checks the page
    # and its three inlines make), groups, scale, the group choices (once, not per item row),
    # items with their groups.
    framework = default_framework()
    RoundFactory(framework=framework, state=state)
    url = reverse("admin:preconditions_framework_change", args=[framework.pk])
    admin_client.get(url)
    for extra in (0, 4):
        group = framework.groups.first()
        for n in range(extra):
            PreconditionGroup.objects.create(
                framework=framework, code=f"extra-{n}", name=f"Extra {n}", order=50 + n
            )
            Precondition.objects.create(
                framework=framework, group=group, code=f"Z{n}", name=f"Item Z{n}", order=50 + n
            )
        with django_assert_num_queries(9) as captured:
            page = admin_client.get(url).content.decode()
        lock_queries = [q for q in captured.captured_queries if "assessments_round" in q["sql"]]
        assert len(lock_queries) == 1
        assert ("texts are frozen" in page) is (state == RoundState.OPEN)
        assert ('name="preconditions-0-summary"' in page) is (state == RoundState.DRAFT)


def test_the_lock_is_read_afresh_on_each_request(admin_client):
    framework = default_framework()
    round_ = RoundFactory(framework=framework, state=RoundState.DRAFT)
    url = reverse("admin:preconditions_framework_change", args=[framework.pk])
    assert "texts are frozen" not in admin_client.get(url).content.decode()
    round_.state = RoundState.OPEN
    round_.save()
    assert "texts are frozen" in admin_client.get(url).content.decode()
