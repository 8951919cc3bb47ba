"""Backups as docs/deploy.md describes them: pg_dump in custom format, pg_restore into an empty
database, and every table comes back with the same rows.

PostgreSQL only (skipped on SQLite); CI runs the suite on PostgreSQL too, where a missing
pg_dump is a failure, not a skip.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from assessments.models import Rating

pytestmark = pytest.mark.django_db(transaction=True)

PG_BIN_FALLBACK = Path("/usr/lib/postgresql/15/bin")


def pg_tool(name: str) -> str:
    found = shutil.which(name) or (
        str(PG_BIN_FALLBACK / name) if (PG_BIN_FALLBACK / name).exists() else None
    )
    if not found:
        pytest.fail(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def connection_args(dbname: str) -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = ["--dbname", dbname, "--no-password"]
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


def connect(dbname: str) -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(
        dbname=dbname,
        host=s.get("HOST") or None,
        port=s.get("PORT") or None,
        user=s.get("USER") or None,
        password=s.get("PASSWORD") or None,
        autocommit=True,
    )


def table_fingerprints(dbname: str) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent checksum of every table in the public schema."""
    fingerprints = {}
    with connect(dbname) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        for table in tables:
            count, checksum = conn.execute(
                sql.SQL(
                    "SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
                    " FROM {} AS t"
                ).format(sql.Identifier(table))
            ).fetchone()
            fingerprints[table] = (count, checksum)
    return fingerprints


def ensure_framework_loaded() -> None:
    """Transactional tests flush the framework the migration loads; put it back."""
    from preconditions.models import Framework

    if not Framework.objects.filter(is_default=True).exists():
        loader = importlib.import_module("preconditions.migrations.0002_load_nine_preconditions")
        loader.load(apps, None)


@pytest.fixture
def restore_database():
    # Skip before connecting: on SQLite there may be no PostgreSQL server to talk to at all.
    if connection.vendor != "postgresql":
        pytest.skip("backups are pg_dump/pg_restore: PostgreSQL only")
    name = f"{connection.settings_dict['NAME']}_restored"[:63]
    ident = sql.Identifier(name)
    with connect("postgres") as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(ident))
    yield name
    with connect("postgres") as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))


def test_dump_and_restore_round_trip_keeps_every_row(tmp_path, restore_database):
    ensure_framework_loaded()
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Rating.objects.count() > 0, "the demo place should come with ratings"

    source = connection.settings_dict["NAME"]
    dump = tmp_path / "ninefold.dump"
    args, env = connection_args(source)
    subprocess.run(
        [pg_tool("pg_dump"), "--format=custom", "--file", str(dump), *args],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert dump.stat().st_size > 0

    args, env = connection_args(restore_database)
    subprocess.run(
        [pg_tool("pg_restore"), "--no-owner", "--exit-on-error", *args, str(dump)],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )

    before = table_fingerprints(source)
    after = table_fingerprints(restore_database)
    assert before[Rating._meta.db_table][0] == Rating.objects.count()
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            assert model._meta.db_table in before, f"{model._meta.db_table} not found"
    assert after == before
