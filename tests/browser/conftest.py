"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

They never skip: a missing browser is a failure, so CI cannot pass without them.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("NINEFOLD_SCREENSHOTS", "artifacts/screenshots"))


def _chromium() -> str:
    path = os.environ.get("NINEFOLD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(
            "Chromium is missing: install Debian's 'chromium' package (make test does this).",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": _chromium(),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def axe():
    """Run axe-core on the page and return its violations (WCAG 2.x A and AA rules)."""

    def run(page) -> list[dict]:
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate(
            """async () => await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"""
        )
        return [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]
        ]

    return run


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under artifacts/screenshots for people (and CI) to look at."""

    def take(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def describe(violations: list[dict]) -> str:
    return json.dumps(violations, indent=2)


@pytest.fixture(autouse=True)
def _framework_loaded(request):
    """Reload the framework the migration loads: transactional tests flush it away after each."""
    if "django_db_setup" not in request.fixturenames and not request.node.get_closest_marker(
        "django_db"
    ):
        return
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps

    from preconditions.models import Framework

    if not Framework.objects.filter(is_default=True).exists():
        for name in ("0002_load_nine_preconditions", "0003_easy_read"):
            importlib.import_module(f"preconditions.migrations.{name}").load(apps, None)
