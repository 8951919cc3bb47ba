"""Shared set-up for the benchmark scripts: database per size, Django start-up."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {
    # places, partners per place, respondents per partner, rounds per place
    "S": (1, 40, 3, 3),
    "M": (20, 40, 3, 6),
    "L": (200, 40, 3, 6),
    # The big round: one place whose last closed round has 100 partners x 120 people, all
    # submitted, a note on every rating (12,000 responses, 108,000 ratings); the export risk.
    "XL": (1, 100, 3, 3),
}
# Respondents per partner in the last closed round, where a size has a big round.
BIG_ROUND = {"XL": 120}
BASE_URL = "postgres://postgres@127.0.0.1:5432/"


def database_url(size: str) -> str:
    return os.environ.get("BENCH_DATABASE_URL") or f"{BASE_URL}ninefold_bench_{size.lower()}"


def setup(size: str) -> None:
    """Point Django at the size's database (created if missing) and start it."""
    url = database_url(size)
    if url.startswith("postgres"):
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
