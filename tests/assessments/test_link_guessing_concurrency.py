"""The failure count is atomic: parallel wrong tokens get exactly the allowed 404s.

Needs a database that takes writes from several connections at once (PostgreSQL, as in
production and CI); skipped on SQLite.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import RequestFactory

from assessments.ratelimit import FAILED_LOOKUPS_ALLOWED, record_failed_lookup

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_parallel_failures_from_one_address_are_each_counted_once():
    from django.db import connections

    request = RequestFactory().get("/r/" + "q" * 32 + "/", REMOTE_ADDR="192.0.2.7")

    def attempt(_):
        try:
            return record_failed_lookup(request)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        refused = list(pool.map(attempt, range(60)))

    assert refused.count(False) == FAILED_LOOKUPS_ALLOWED
    assert refused.count(True) == 60 - FAILED_LOOKUPS_ALLOWED
