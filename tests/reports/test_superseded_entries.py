"""Superseded report entries do not pile up (decision 0058).

Every save moves the place's data version on, and every report entry is keyed on it. The
first entry stored under a new version removes the entries of the old one, so however often
the data changes, the cache holds about one version's worth of entries for a place.
Measured on the database cache, as in production (the tests otherwise use local memory).
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from places.models import Place
from reports import aggregation
from reports import cache as report_cache
from tests.reports.test_dashboard_views import member_client, place_with_rounds, urls

pytestmark = pytest.mark.django_db

TABLE = "ninefold_test_report_cache"


@pytest.fixture
def database_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": TABLE,
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    }
    call_command("createcachetable", verbosity=0)
    yield
    cache.clear()


def _report_rows(place_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {TABLE}")  # noqa: S608 - our own table name
        keys = [row[0] for row in cursor.fetchall()]
    # ":1:ninefold:report:<format>:<release>:<place>:<version>:..." and the place's index.
    return sum(
        1
        for key in keys
        if (":ninefold:report:" in key and key.split(":")[6] == str(place_id))
        or key.endswith(report_cache.index_key(place_id))
    )


def _view_everything(client, place, current) -> None:
    for url in urls(place, current):  # dashboard, precondition, JSON, trends
        assert client.get(url).status_code == 200
    assert client.get(urls(place, current)[1], {"level": "3"}).status_code == 200


def test_after_many_changes_the_cache_holds_one_versions_entries(database_cache):
    place, _, current = place_with_rounds(partners=3, respondents=1)
    client = member_client(place)
    _view_everything(client, place, current)
    one_version = _report_rows(place.pk)
    assert one_version >= 6  # the pages, the summaries and the index
    for _ in range(8):
        Place.objects.filter(pk=place.pk).bump_data_version()
        _view_everything(client, place, current)
        assert _report_rows(place.pk) == one_version


def test_entries_of_other_places_are_left_alone(database_cache):
    place, _, current = place_with_rounds(partners=3, respondents=1)
    other = Place.objects.create(name="Westmoor", slug="westmoor")
    report_cache.get_or_build(other, ("x",), lambda: "kept")
    client = member_client(place)
    _view_everything(client, place, current)
    Place.objects.filter(pk=place.pk).bump_data_version()
    _view_everything(client, place, current)
    other.refresh_from_db()
    assert report_cache.get_or_build(other, ("x",), lambda: "rebuilt") == "kept"


def test_a_summary_built_from_an_older_version_is_not_stored(database_cache):
    """A reader that loaded the place before a save, storing after a reader of the new version."""
    place, _, current = place_with_rounds(partners=3, respondents=1)
    stale = Place.objects.get(pk=place.pk)
    Place.objects.filter(pk=place.pk).bump_data_version()
    fresh = Place.objects.get(pk=place.pk)
    aggregation.cached_round_summary(current, place=fresh)
    builds = []
    report_cache.get_or_build(stale, ("late",), lambda: builds.append(1) or "old")
    report_cache.get_or_build(stale, ("late",), lambda: builds.append(1) or "old")
    assert len(builds) == 2  # never stored, so built each time
    assert aggregation.cached_round_summary(current, place=fresh) is not None
