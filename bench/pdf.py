"""Benchmark of the round PDF report for a 40-partner round with 3 respondents each.

Run from the repository root:  .venv/bin/python bench/pdf.py [--repeat 3]

It builds a throwaway SQLite database (or uses $BENCH_DATABASE_URL), with the report cache
in the database as in production (Django's DatabaseCache), and prints:

- total: ``reports.pdf.round_report_pdf`` with an empty cache (queries, figures, template,
  SVG charts and WeasyPrint);
- weasyprint alone: ``reports.pdf.render_pdf`` on the same finished HTML;
- their ratio (the app's overhead around the renderer; target at most 1.3);
- cached repeat: the same call again, answered from the cache (target under 5 % of total).

Times are medians of --repeat runs, after one warm-up render (the first render in a process
also pays for importing WeasyPrint and loading fonts, shown separately).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    db = Path(tempfile.gettempdir()) / "ninefold-bench-pdf.sqlite3"
    db.unlink(missing_ok=True)
    os.environ.setdefault("DATABASE_URL", os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{db}"))
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-long-enough-to-be-accepted-0123")
    os.environ.setdefault("STATIC_MANIFEST", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ninefold.settings"
    import ninefold.settings as project_settings

    # The shared cache production uses: a table in the database, not one process's memory.
    project_settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ninefold_bench_cache",
        }
    }
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def build_round(partners: int, respondents: int):
    from django.utils import timezone

    from assessments.models import (
        Invitation,
        Perspective,
        Rating,
        Response,
        ResponseStatus,
        Round,
        RoundState,
    )
    from places.models import Partner, Place, Sector
    from preconditions.models import Framework

    rng = random.Random(40)
    framework = Framework.objects.get(is_default=True)
    items = list(framework.preconditions.order_by("order"))
    place = Place.objects.create(name="Benchmark Borough", slug="benchmark-borough")
    sectors = list(Sector)
    partner_rows = Partner.objects.bulk_create(
        Partner(place=place, name=f"Partner organisation {i:02d}", sector=sectors[i % len(sectors)])
        for i in range(partners)
    )
    rounds = []
    for name, opens, state in (
        ("Baseline", date(2025, 3, 3), RoundState.CLOSED),
        ("Review", date(2026, 3, 2), RoundState.OPEN),
    ):
        rounds.append(
            Round.objects.create(
                place=place,
                framework=framework,
                name=name,
                opens_on=opens,
                closes_on=opens + timedelta(days=28),
                state=state,
            )
        )
    perspectives = list(Perspective)
    notes = [
        "We pooled budgets for the first time and reported one set of outcomes.",
        "The board still hears from each agency separately; nobody owns the whole picture.",
        "Frontline staff can now refer straight to the housing team without a form.",
        "People with lived experience sat on the panel that chose the new provider.",
        "It depends on two or three people; when they leave, it will stop.",
    ]
    for round_ in rounds:
        invitations = []
        for p_index, partner in enumerate(partner_rows):
            for r in range(respondents):
                invitation = Invitation(
                    round=round_,
                    partner=partner,
                    name=f"Person {p_index}-{r}",
                    email=f"person-{round_.pk}-{p_index}-{r}@example.org",
                    perspective=perspectives[(p_index + r) % len(perspectives)],
                )
                invitation.set_new_token()
                invitations.append(invitation)
        Invitation.objects.bulk_create(invitations)
        submitted_at = timezone.make_aware(datetime.combine(round_.opens_on, datetime.min.time()))
        responses = Response.objects.bulk_create(
            Response(invitation=i, status=ResponseStatus.SUBMITTED, submitted_at=submitted_at)
            for i in invitations
        )
        Rating.objects.bulk_create(
            Rating(
                response=response,
                precondition=item,
                score=None if rng.random() < 0.06 else rng.randint(1, 5),
                evidence=rng.choice(notes) if rng.random() < 0.5 else "",
            )
            for response in responses
            for item in items
        )
    return rounds[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--partners", type=int, default=40)
    parser.add_argument("--respondents", type=int, default=3)
    args = parser.parse_args()

    setup_django()
    from django.core.cache import cache
    from pypdf import PdfReader

    from reports import pdf

    round_ = build_round(args.partners, args.respondents)
    print(
        f"Round: {args.partners} partners x {args.respondents} respondents, "
        f"{round_.invitations.count()} submitted responses, previous closed round too."
    )

    start = time.perf_counter()
    import weasyprint  # noqa: F401

    import_cost = time.perf_counter() - start
    cache.clear()
    start = time.perf_counter()
    first = pdf.round_report_pdf(round_)
    cold = time.perf_counter() - start
    pages = len(PdfReader(__import__("io").BytesIO(first)).pages)

    totals, alone, cached, html_times, cpu_total, cpu_alone = [], [], [], [], [], []

    def measure_total() -> bytes:
        cache.clear()
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        body = pdf.round_report_pdf(round_)
        totals.append(time.perf_counter() - start)
        cpu_total.append(time.process_time() - cpu)
        start = time.perf_counter()
        assert pdf.round_report_pdf(round_) == body
        cached.append(time.perf_counter() - start)
        return body

    def measure_alone() -> None:
        start = time.perf_counter()
        html = pdf.round_report_html(round_)
        html_times.append(time.perf_counter() - start)
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        pdf.render_pdf(html)
        alone.append(time.perf_counter() - start)
        cpu_alone.append(time.process_time() - cpu)

    # Alternate which goes first, so drifting load on a shared machine favours neither.
    for n in range(args.repeat):
        if n % 2:
            measure_alone()
            body = measure_total()
        else:
            body = measure_total()
            measure_alone()

    writes = []
    for n in range(args.repeat):
        start = time.perf_counter()
        cache.set(f"ninefold:bench:write:{n}", body, 60)
        writes.append(time.perf_counter() - start)

    total, renderer, repeat = (statistics.median(x) for x in (totals, alone, cached))
    print(f"PDF: {pages} pages, {len(first) / 1024:.0f} KiB")
    print(f"import weasyprint (once per process):  {import_cost:6.3f} s")
    print(f"first report in the process (cold):    {cold:6.3f} s")
    print(f"total, empty cache (median of {args.repeat}):     {total:6.3f} s")
    print(f"  of which figures + HTML + SVG:       {statistics.median(html_times):6.3f} s")
    print(f"  of which storing it in the cache:    {statistics.median(writes):6.3f} s")
    print(f"weasyprint alone on the same HTML:     {renderer:6.3f} s")
    print(f"ratio total / weasyprint alone:        {total / renderer:6.2f}   (target <= 1.3)")
    print(f"  same ratio on the fastest runs:      {min(totals) / min(alone):6.2f}")
    cpu_t, cpu_r = statistics.median(cpu_total), statistics.median(cpu_alone)
    print(
        f"CPU time, total / weasyprint alone:    {cpu_t:6.3f} s / {cpu_r:6.3f} s = {cpu_t / cpu_r:.2f}"
    )
    print(
        f"cached repeat:                         {repeat:6.4f} s = {100 * repeat / total:.2f} % "
        "of total   (target < 5 %)"
    )
    print("runs, total (s):      " + " ".join(f"{t:.2f}" for t in totals))
    print("runs, alone (s):      " + " ".join(f"{t:.2f}" for t in alone))
    print(
        f"load average while measuring:          {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
