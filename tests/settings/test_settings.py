"""Settings read from the environment refuse bad values at start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "ninefold.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_refuses_debug_off_without_secret_key():
    result = run_check(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_starts_with_debug_off_and_a_secret_key():
    result = run_check(
        DEBUG="false",
        SECRET_KEY="settings-test-key-0123456789-abcdefghijklmnopqrstuvw",
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a yes/no value"),
        ({"DEBUG": "true", "EMAIL_PORT": "twenty-five"}, "EMAIL_PORT='twenty-five' is not a whole"),
        ({"DEBUG": "true", "DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL could not be understood"),
        ({"DEBUG": "true", "TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT=-1 is below"),
        ({"DEBUG": "true", "PLACE_CREATORS": "everyone"}, "PLACE_CREATORS='everyone' is not one"),
    ],
)
def test_refuses_malformed_values_naming_the_variable(env, message):
    result = run_check(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "en-gb"
    assert settings.TIME_ZONE == "Europe/London"


def test_refuses_an_unknown_cache_backend():
    result = run_check(DEBUG="true", CACHE_BACKEND="memcached")
    assert result.returncode != 0
    assert "CACHE_BACKEND='memcached' is not one of: database, locmem" in result.stderr


def test_production_defaults_to_the_shared_database_cache():
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CACHE_BACKEND"}}
    env.update(
        DEBUG="false",
        SECRET_KEY="settings-test-key-0123456789-abcdefghijklmnopqrstuvw",
        ALLOWED_HOSTS="example.org",
        DJANGO_SETTINGS_MODULE="ninefold.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "django.core.cache.backends.db.DatabaseCache"


def test_default_sqlite_database_works_in_a_fresh_clone(tmp_path):
    """No var/ folder yet (it is git-ignored): start-up makes it, so migrate can run."""
    import shutil

    clone = tmp_path / "clone"
    shutil.copytree(
        ROOT,
        clone,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "var", "artifacts", "staticfiles", "node_modules"
        ),
    )
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DEBUG="true", DJANGO_SETTINGS_MODULE="ninefold.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (clone / "var" / "ninefold.sqlite3").exists()


@pytest.mark.django_db
def test_postgresql_plans_for_index_lookups():
    """The connection lowers random_page_cost (settings): the report queries at size L depend on it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == pytest.approx(1.1)
