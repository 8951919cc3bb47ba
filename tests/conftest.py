from __future__ import annotations

import importlib

import pytest
from django.db import transaction
from django.db.models.signals import post_migrate
from django.test import Client

from places.models import Role
from tests.factories import MembershipFactory, PlaceFactory, UserFactory
from tests.helpers import load_demo


@pytest.fixture
def place():
    return PlaceFactory()


@pytest.fixture
def lead(place):
    return MembershipFactory(place=place, role=Role.LEAD).user


@pytest.fixture
def outsider():
    """A lead of a different place."""
    return MembershipFactory(place=PlaceFactory(), role=Role.LEAD).user


@pytest.fixture
def lead_client(lead) -> Client:
    client = Client()
    client.force_login(lead)
    return client


@pytest.fixture
def user():
    return UserFactory()


def _reload_framework_after_flush(sender, **kwargs) -> None:
    """Put back the framework the data migrations load, after a flush has emptied the tables.

    A transactional test (browser tests, concurrency tests) ends with a flush, which sends
    ``post_migrate``. Run alone, pytest-django orders those tests last; under pytest-xdist a
    worker may run them before tests that need the default framework.
    """
    if sender.label != "preconditions":
        return
    from django.apps import apps

    from preconditions.models import Framework

    using = kwargs.get("using", "default")
    if not Framework.objects.using(using).filter(is_default=True).exists():
        for name in ("0002_load_nine_preconditions", "0003_easy_read", "0006_easy_read_label"):
            importlib.import_module(f"preconditions.migrations.{name}").load(apps, None)


post_migrate.connect(_reload_framework_after_flush, dispatch_uid="tests-reload-framework")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so cached summaries and reports never leak."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_collection_modifyitems(items):
    """Every test that drives a browser carries the ``browser`` mark, wherever it lives.

    CI runs the browser tests once (on PostgreSQL) and deselects them on SQLite with
    ``-m "not browser"``; a browser test without the mark would silently run twice.
    """
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """Data built once for a whole test module, like Django's ``setUpTestData``.

    Build it in a module-scoped fixture that requests this one. It is written inside a
    transaction that stays open for the module: each test's own transaction nests in it
    (as a savepoint) and is rolled back after the test, and the whole lot is rolled back
    when the module ends. Only for modules without ``transaction=True`` tests, which
    would commit through it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def demo_extras_for_module(module_db) -> None:
    """The demo place with its workshop and network, loaded once for the module's tests."""
    load_demo(extras=True)


@pytest.fixture
def demo() -> None:
    """The demo place Harrowdene, loaded for this test (browser tests need it committed)."""
    load_demo()


@pytest.fixture
def demo_extras() -> None:
    """The demo place with its workshop, and the demo network of places."""
    load_demo(extras=True)


@pytest.fixture(scope="module")
def provider():
    """A real OpenID Connect provider process (tests/accounts/oidc_provider.py), per module."""
    from tests.accounts.oidc_provider import running_provider

    with running_provider() as running:
        yield running


@pytest.fixture
def sso(settings, provider):
    """Staff sign-in through ``provider``, for addresses at council.example (decision 0112)."""
    from django.core.cache import cache

    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "ninefold-test"
    settings.OIDC_RP_CLIENT_SECRET = "ninefold-test-secret"  # noqa: S105
    settings.OIDC_PROVIDER_NAME = "Council sign-in"
    settings.OIDC_ALLOWED_EMAIL_DOMAINS = ["council.example"]
    cache.clear()
    return provider
