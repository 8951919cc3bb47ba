"""A 5-character ``SECRET_KEY`` was accepted at start-up although settings are "checked
strictly": a short or low-entropy key is refused when ``DEBUG`` is off, naming the variable."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.settings.test_security import ROOT, production_env


def start(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("key", "said"),
    [
        ("abcde", "is 5 characters long; it needs at least 50"),
        ("change-me-to-50-random-characters", "needs at least 50"),  # .env.example's
        ("ab" * 40, "has only 2 different characters"),
        ("django-insecure-" + "k3y-" * 10, "starts with 'django-insecure-'"),
    ],
)
def test_a_weak_secret_key_stops_start_up_naming_the_variable(key, said):
    result = start(SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY " in result.stderr
    assert said in result.stderr
    assert key not in result.stderr  # the message never repeats the secret


def test_a_strong_key_starts_and_debug_keeps_any_key():
    assert start().returncode == 0  # production_env's long random key
    assert start(SECRET_KEY="abcde", DEBUG="true").returncode == 0
