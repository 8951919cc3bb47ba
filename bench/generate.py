"""Fill a benchmark database with plausible rounds.

    .venv/bin/python bench/generate.py S      # 1 place, 40 partners x 3 respondents, 3 rounds
    .venv/bin/python bench/generate.py M      # 20 places, 6 rounds each (~130,000 ratings)
    .venv/bin/python bench/generate.py L      # 200 places (~1.3 million ratings)
    .venv/bin/python bench/generate.py XL     # 1 place; one round of 12,000 submitted responses

Each size has its own PostgreSQL database (ninefold_bench_s, _m, _l; BENCH_DATABASE_URL
overrides). The script migrates it and, if it is empty, fills it: places, partners and rounds
with bulk_create, invitations, responses and ratings with PostgreSQL's COPY (bulk_create on
other databases). Scores follow a per-partner leaning plus noise, so spreads and patterns
look like real ones; about 8% of respondents leave a draft, 5% of ratings are "don't know"
and one rating in five carries an evidence note.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BIG_ROUND, SIZES, setup  # noqa: E402

BENCH_USER = "bench@example.org"
PERSPECTIVES = ["senior_leader", "manager", "frontline", "commissioner", "lived_experience"]
NOTES = [
    "We saw this in the joint case reviews this quarter.",
    "Depends a lot on which team you ask.",
    "The board talks about it; frontline staff rarely feel it.",
    "Better than last year, but still patchy across the borough.",
    "Hard to judge from where I sit.",
]


def copy_rows(model, rows: list[tuple], columns: list[str]) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000
        )
        return
    table = model._meta.db_table
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def reset_sequences(models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def generate(size: str, seed: int = 9) -> None:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from assessments.models import Invitation, OutboxEmail, Rating, Response, Round
    from places.models import Membership, Partner, Place, Sector
    from preconditions.models import Framework

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if Place.objects.exists():
        print(f"{size}: database already filled; drop it to regenerate.")
        return
    places_n, partners_n, respondents_n, rounds_n = SIZES[size]
    rng = random.Random(seed)
    framework = Framework.objects.get(is_default=True)
    items = list(framework.preconditions.order_by("order"))
    sectors = [s.value for s in Sector]
    now = timezone.now()
    user = User.objects.create_user(email=BENCH_USER, password="bench-only-password")  # noqa: S106
    started = time.perf_counter()
    totals = {"invitations": 0, "ratings": 0}

    for p in range(places_n):
        with transaction.atomic():
            place = Place.objects.create(name=f"Bench place {p:03d}", slug=f"bench-{p:03d}")
            Membership.objects.create(user=user, place=place, role="board")
            partners = Partner.objects.bulk_create(
                Partner(place=place, name=f"Partner {n:02d}", sector=sectors[n % len(sectors)])
                for n in range(partners_n)
            )
            first = dt.date(2021, 1, 11)
            rounds = Round.objects.bulk_create(
                Round(
                    place=place,
                    framework=framework,
                    name=f"Round {r + 1}",
                    opens_on=first + dt.timedelta(days=182 * r),
                    closes_on=first + dt.timedelta(days=182 * r + 28),
                    state="closed" if r < rounds_n - 1 else "open",
                    closed_at=now if r < rounds_n - 1 else None,
                )
                for r in range(rounds_n)
            )
            leaning = {(pt.pk, it.pk): rng.gauss(0, 0.8) for pt in partners for it in items}
            invitation_id, response_id, rating_id, email_id = (
                next_id(Invitation),
                next_id(Response),
                next_id(Rating),
                next_id(OutboxEmail),
            )
            invitations, responses, ratings, emails = [], [], [], []
            for r_index, round_ in enumerate(rounds):
                # The big round (XL): everyone submitted, a note on every rating.
                big = size in BIG_ROUND and r_index == rounds_n - 2
                for partner in partners:
                    for k in range(BIG_ROUND[size] if big else respondents_n):
                        email = f"r{k}.{partner.pk}.{round_.pk}@example.org"
                        token = hashlib.sha256(email.encode()).hexdigest()
                        invitations.append(
                            (
                                invitation_id,
                                round_.pk,
                                partner.pk,
                                f"Respondent {k}",
                                email,
                                PERSPECTIVES[(k + partner.pk) % len(PERSPECTIVES)],
                                token,
                                now,
                            )
                        )
                        # The invitation email, sent.
                        emails.append(
                            (email_id, invitation_id, "invitation", email, "sent", 1, "", now, now)
                        )
                        email_id += 1
                        submitted = big or rng.random() > 0.08
                        responses.append(
                            (
                                response_id,
                                invitation_id,
                                "submitted" if submitted else "draft",
                                now if submitted else None,
                                1,
                                now,
                                now,
                            )
                        )
                        for item in items:
                            if rng.random() < 0.05:
                                score = None
                            else:
                                raw = 2.6 + 0.25 * r_index + leaning[(partner.pk, item.pk)]
                                score = min(5, max(1, round(raw + rng.gauss(0, 0.7))))
                            note = rng.choice(NOTES) if big or rng.random() < 0.2 else ""
                            if big:  # every note different, as real ones are
                                note = f"{note} ({rating_id})"
                            ratings.append(
                                (rating_id, response_id, item.pk, score, note, True, now)
                            )
                            rating_id += 1
                        invitation_id += 1
                        response_id += 1
            copy_rows(
                Invitation,
                invitations,
                [
                    "id",
                    "round_id",
                    "partner_id",
                    "name",
                    "email",
                    "perspective",
                    "token_hash",
                    "created_at",
                ],
            )
            copy_rows(
                OutboxEmail,
                emails,
                [
                    "id",
                    "invitation_id",
                    "kind",
                    "recipient",
                    "status",
                    "attempts",
                    "error",
                    "created_at",
                    "sent_at",
                ],
            )
            copy_rows(
                Response,
                responses,
                [
                    "id",
                    "invitation_id",
                    "status",
                    "submitted_at",
                    "version",
                    "created_at",
                    "updated_at",
                ],
            )
            copy_rows(
                Rating,
                ratings,
                [
                    "id",
                    "response_id",
                    "precondition_id",
                    "score",
                    "evidence",
                    "answered",
                    "updated_at",
                ],
            )
            totals["invitations"] += len(invitations)
            totals["ratings"] += len(ratings)
        if (p + 1) % 20 == 0 or p + 1 == places_n:
            print(
                f"  {p + 1}/{places_n} places, {totals['ratings']:,} ratings, "
                f"{time.perf_counter() - started:.0f} s",
                flush=True,
            )
    reset_sequences([Invitation, OutboxEmail, Response, Rating])
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"{size}: {places_n} places, {totals['invitations']:,} invitations, "
        f"{totals['ratings']:,} ratings in {time.perf_counter() - started:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", choices=sorted(SIZES))
    args = parser.parse_args()
    setup(args.size)
    generate(args.size)


if __name__ == "__main__":
    main()
