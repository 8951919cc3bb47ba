from __future__ import annotations

import pytest
from django.test import Client

from places.models import Role
from tests.factories import MembershipFactory, PlaceFactory, UserFactory


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


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so cached summaries and reports never leak."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
