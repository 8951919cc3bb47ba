"""One logging set-up for the app and gunicorn: gunicorn follows LOG_LEVEL and LOG_FORMAT, and a
bad value of either stops start-up with a message naming the variable."""

from __future__ import annotations

import runpy

import pytest
from django.conf import settings

from tests.security.logs import ROOT, Gunicorn


def test_gunicorn_uses_the_apps_logging_set_up(monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", settings.LOG_LEVEL)
    monkeypatch.setenv("LOG_FORMAT", settings.LOG_FORMAT)
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["logconfig_dict"] == settings.LOGGING
    assert settings.LOGGING["loggers"]["gunicorn.access"]["handlers"] == ["console"]


def test_gunicorn_follows_log_level(tmp_path):
    server = Gunicorn(tmp_path, LOG_LEVEL="WARNING", LOG_FORMAT="plain")
    with server.running():
        server.get("/about/")  # 503 from the empty database: an ERROR line
    assert "Starting gunicorn" not in server.output  # INFO
    assert "Booting worker" not in server.output  # INFO
    assert " INFO " not in server.output
    assert " ERROR django.request Service Unavailable: /about/" in server.output


@pytest.mark.parametrize(
    ("variable", "value"), [("LOG_FORMAT", "xml"), ("LOG_LEVEL", "LOUD"), ("LOG_FORMAT", "JSONN")]
)
def test_a_bad_value_stops_gunicorn_at_start(tmp_path, variable, value):
    process = Gunicorn(tmp_path, **{variable: value}).start()
    output = process.communicate(timeout=60)[0]
    assert process.returncode != 0
    # Refused before gunicorn wrote anything: not a master logging in JSON with failing workers.
    assert "Starting gunicorn" not in output
    assert f"ImproperlyConfigured: {variable}=" in output
    assert "is not one of" in output
