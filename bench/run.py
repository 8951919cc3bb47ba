"""Measure the report pages against a trivial template view, in one run, on one database.

    .venv/bin/python bench/run.py S [--repeat 40] [--export-repeat 3]

For each page: median latency over the repeats (after a warm-up), the ratio of that median
to the trivial view's median measured in the same run (target: at most 3 at every size),
and the number of queries; once for a repeat view (the page's own part comes from the
cache) and once for the first view after a change (the place's data version is bumped
before every request, so every page is built from the database and cached again). Requests go through Django's test client in this process, so
the figures are the server's work: middleware, view, queries, template; no network.
Requests to the pages are interleaved so that a busy machine slows them all alike.

Then the exports of the same round, as a partnership lead: summary.csv with the pages above,
and the raw ratings (CSV and XLSX) downloaded whole a few times each, with the pieces the
server hands on, the peak memory of this process during the download and its CPU time.
"""

from __future__ import annotations

import argparse
import os
import re
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
    parser.add_argument("--export-repeat", type=int, default=3)
    parser.add_argument(
        "--exports-only", action="store_true", help="skip the page timings (quicker at XL)"
    )
    args = parser.parse_args()
    setup(args.size)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from assessments.models import Rating, Round
    from places.models import Membership

    user = User.objects.get(email="bench@example.org")
    # The last closed round of the first place: it has a previous round to compare with.
    round_ = (
        Round.objects.filter(place__slug="bench-000", state="closed")
        .order_by("-opens_on")
        .select_related("place")
        .first()
    )
    slug = round_.place.slug
    # The raw exports are for leads only: a lead of the same place downloads them.
    lead, _ = User.objects.get_or_create(email="bench-lead@example.org")
    Membership.objects.get_or_create(user=lead, place=round_.place, defaults={"role": "lead"})
    client, lead_client = Client(), Client()
    client.force_login(user)
    lead_client.force_login(lead)
    pages = {
        "trivial view": (client, reverse("bench_trivial")),
        "dashboard": (client, reverse("reports:dashboard", args=[slug, round_.pk])),
        "precondition": (client, reverse("reports:precondition", args=[slug, round_.pk, "A"])),
        "trends": (client, reverse("reports:trends", args=[slug])),
        "summary.json": (client, reverse("reports:summary_json", args=[slug, round_.pk])),
        "summary.csv": (lead_client, reverse("exports:summary_csv", args=[slug, round_.pk])),
    }

    from places.models import Place

    place_rows = Place.objects.filter(pk=round_.place_id)

    def count_queries(page: tuple) -> int:
        page_client, url = page
        with CaptureQueriesContext(connection) as captured:
            response = page_client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(captured.captured_queries)

    # Queries of one request: the first after a change (the page is built and cached) and a
    # repeat (served from the cache).
    queries_first, queries_repeat = {}, {}
    for name, page in pages.items():
        place_rows.bump_data_version()
        queries_first[name] = count_queries(page)
        queries_repeat[name] = count_queries(page)
    for _ in range(5):  # warm-up: templates, connection, caches of the database
        for page_client, url in pages.values():
            page_client.get(url)

    def measure(*, after_a_change: bool) -> dict[str, float]:
        timings: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(args.repeat):
            for name, (page_client, url) in pages.items():
                if after_a_change:
                    # As if someone had just saved an answer: every cached page is stale.
                    place_rows.bump_data_version()
                started = time.perf_counter()
                page_client.get(url)
                timings[name].append(time.perf_counter() - started)
        return {name: statistics.median(values) for name, values in timings.items()}

    # Interleaved, so that a busy machine slows both alike.
    repeat_medians = measure(after_a_change=False)
    first_medians = None if args.exports_only else measure(after_a_change=True)
    exports = measure_exports(lead_client, slug, round_, args.export_repeat)
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
        if medians is None:
            continue
        base = medians["trivial view"]
        print(title)
        print(f"{'page':<14} {'median ms':>10} {'ratio':>6} {'queries':>8}")
        for name in pages:
            print(
                f"{name:<14} {medians[name] * 1000:>10.1f} {medians[name] / base:>6.2f} "
                f"{queries[name]:>8}"
            )
    base = repeat_medians["trivial view"]
    print(
        f"Raw exports of {round_.name} ({exports.pop('responses'):,} submitted responses), "
        f"median of {args.export_repeat} downloads each"
    )
    print(
        f"{'export':<14} {'median s':>9} {'ratio':>7} {'CPU s':>6} {'db CPU s':>8} {'MB':>6} "
        f"{'pieces':>7} {'rows/piece':>10} {'peak RSS MB':>11} {'before':>7}"
    )
    for name, m in exports.items():
        print(
            f"{name:<14} {m['median']:>9.2f} {m['median'] / base:>7.0f} {m['cpu']:>6.2f} "
            f"{m['db_cpu']:>8.2f} {m['bytes'] / 1e6:>6.1f} {m['pieces']:>7} "
            f"{m['rows'] / m['pieces']:>10.0f} {m['peak_rss'] / 1024:>11.0f} "
            f"{m['rss_before'] / 1024:>7.0f}"
        )
    print(
        "CPU s: this process (Django and, on SQLite, the database); db CPU s: the PostgreSQL "
        "backend serving it (parallel workers not counted). On a busy machine their sum is "
        "closer to the time a quiet machine takes than the median is."
    )


def _backend_cpu(connection) -> float:
    """CPU seconds used so far by the PostgreSQL backend of ``connection`` (same machine)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _memory_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        return int(re.search(rf"{field}:\s+(\d+)", status.read()).group(1))


def measure_exports(client, slug: str, round_, repeat: int) -> dict:
    """Download each raw export whole ``repeat`` times: time, CPU, pieces and peak memory."""
    from django.db import connection
    from django.urls import reverse

    from assessments.models import Response
    from reports import exports

    responses = Response.objects.filter(invitation__round=round_, status="submitted").count()

    def timed(pieces_of) -> dict:
        times, cpu, db_cpu = [], [], []
        for _ in range(repeat):
            # Linux: forget the process's peak memory so far, to see this download's own.
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")
            rss_before = _memory_kib("VmRSS")
            db_started = _backend_cpu(connection)
            started, cpu_started = time.perf_counter(), time.process_time()
            size = pieces = 0
            for piece in pieces_of():
                size += len(piece)
                pieces += 1
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            db_cpu.append(_backend_cpu(connection) - db_started)
        return {
            "median": statistics.median(times),
            "cpu": statistics.median(cpu),
            "db_cpu": statistics.median(db_cpu),
            "bytes": size,
            "pieces": pieces,
            "rows": responses * 9,
            "peak_rss": _memory_kib("VmHWM"),
            "rss_before": rss_before,
        }

    def download(name: str):
        response = client.get(reverse(f"exports:{name}", args=[slug, round_.pk]))
        assert response.status_code == 200, (name, response.status_code)
        return response.streaming_content

    results: dict = {"responses": responses}
    for name in ("ratings_csv", "ratings_xlsx"):
        results[name.replace("_", ".")] = timed(lambda name=name: download(name))
    if connection.vendor == "postgresql":
        # The other way to write the CSV on PostgreSQL (decision 0120): rows through a
        # server-side cursor and Python's csv module, as on SQLite. Same bytes.
        header = exports.rating_header(include_identity=False)
        results["csv by cursor"] = timed(
            lambda: exports.csv_lines(header, exports.rating_rows(round_), neutralised=True)
        )
    return results


if __name__ == "__main__":
    main()
