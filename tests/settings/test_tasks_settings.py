"""The task backend is chosen strictly by TASKS_BACKEND."""

import os
import subprocess
import sys

from tests.settings.test_settings import ROOT, run_check

BASE = {
    "DEBUG": "false",
    "SECRET_KEY": "settings-test-key-0123456789-abcdefghijklmnopqrstuvw",
    "ALLOWED_HOSTS": "example.org",
}


def _tasks_backend(**env) -> str:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.TASKS['default']['BACKEND'])"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "TASKS_BACKEND"}}
    clean.update({**BASE, **env, "DJANGO_SETTINGS_MODULE": "ninefold.settings"})
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_an_unknown_tasks_backend_stops_start_up_naming_the_choices():
    result = run_check(**BASE, TASKS_BACKEND="redis")
    assert result.returncode != 0
    assert "TASKS_BACKEND='redis' is not one of: database, immediate" in result.stderr


def test_production_queues_in_the_database_and_development_runs_tasks_at_once():
    assert _tasks_backend() == "django_tasks_db.DatabaseBackend"
    assert _tasks_backend(DEBUG="true") == "django_tasks.backends.immediate.ImmediateBackend"
    assert _tasks_backend(TASKS_BACKEND="immediate").endswith("ImmediateBackend")
