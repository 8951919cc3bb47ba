"""Measure the report pages against a trivial template view, in one run, on one database.

    .venv/bin/python bench/run.py S [--repeat 40]

For each page: median latency over the repeats (after a warm-up), the ratio of that median
to the trivial view's median measured in the same run (target: at most 3 at every size),
and the number of queries; once for a repeat view (the page's own part comes from the
cache) and once for the first view after a change (the place's data version is bumped
before every request, so every page is built from the database and cached again). Requests go through Django's test client in this process, so
the figures are the server's work: middleware, view, queries, template; no network.
Requests to the pages are interleaved so that a busy machine slows them all alike.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SIZES, database_url, setup  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    setup(args.size)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from assessments.models import Rating, Round

    user = User.objects.get(email="bench@example.org")
    # The last closed round of the first place: it has a previous round to compare with.
    round_ = (
        Round.objects.filter(place__slug="bench-000", state="closed")
        .order_by("-opens_on")
        .select_related("place")
        .first()
    )
    slug = round_.place.slug
    pages = {
        "trivial view": reverse("bench_trivial"),
        "dashboard": reverse("reports:dashboard", args=[slug, round_.pk]),
        "precondition": reverse("reports:precondition", args=[slug, round_.pk, "A"]),
        "trends": reverse("reports:trends", args=[slug]),
        "summary.json": reverse("reports:summary_json", args=[slug, round_.pk]),
    }
    client = Client()
    client.force_login(user)

    from places.models import Place

    place_rows = Place.objects.filter(pk=round_.place_id)

    def count_queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(captured.captured_queries)

    # Queries of one request: the first after a change (the page is built and cached) and a
    # repeat (served from the cache).
    queries_first, queries_repeat = {}, {}
    for name, url in pages.items():
        place_rows.bump_data_version()
        queries_first[name] = count_queries(url)
        queries_repeat[name] = count_queries(url)
    for _ in range(5):  # warm-up: templates, connection, caches of the database
        for url in pages.values():
            client.get(url)

    def measure(*, after_a_change: bool) -> dict[str, float]:
        timings: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(args.repeat):
            for name, url in pages.items():
                if after_a_change:
                    # As if someone had just saved an answer: every cached page is stale.
                    place_rows.bump_data_version()
                started = time.perf_counter()
                client.get(url)
                timings[name].append(time.perf_counter() - started)
        return {name: statistics.median(values) for name, values in timings.items()}

    # Interleaved, so that a busy machine slows both alike.
    repeat_medians = measure(after_a_change=False)
    first_medians = measure(after_a_change=True)
    ratings = Rating.objects.count()
    print(
        f"Size {args.size}: {ratings:,} ratings in the database "
        f"({connection.vendor}, {database_url(args.size).rsplit('/', 1)[1]}); "
        f"median of {args.repeat} requests each"
    )
    for title, medians, queries in (
        ("Repeat view (page served from the cache)", repeat_medians, queries_repeat),
        ("First view after a change (page built, then cached)", first_medians, queries_first),
    ):
        base = medians["trivial view"]
        print(title)
        print(f"{'page':<14} {'median ms':>10} {'ratio':>6} {'queries':>8}")
        for name in pages:
            print(
                f"{name:<14} {medians[name] * 1000:>10.1f} {medians[name] / base:>6.2f} "
                f"{queries[name]:>8}"
            )


if __name__ == "__main__":
    main()
