"""Hardened settings: `check --deploy`, security headers, the CSP, error pages, /healthz."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from ninefold.logging import JsonFormatter, RedactSecretLinks
from tests.settings.urls_errors import SECRET_DETAIL

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "ninefold.example.org",
    "DJANGO_SETTINGS_MODULE": "ninefold.settings",
}
# Variables the test suite sets that a production deployment would not.
_TEST_ONLY = {
    "STATIC_MANIFEST",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "LOG_FORMAT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for Playwright
    "NINEFOLD_HTML_DIR",
    "NINEFOLD_SCREENSHOTS",
}


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _TEST_ONLY}
    env.update(PRODUCTION_ENV)
    env.update(extra)
    return env


def manage(*args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(**extra),
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_check_deploy_does_complain_when_security_is_switched_off():
    """The test above can fail: turning a protection off is reported."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", SESSION_COOKIE_SECURE="false")
    assert result.returncode != 0
    assert "security.W012" in result.stdout + result.stderr


def test_collectstatic_writes_hashed_and_compressed_files(tmp_path, settings):
    """Production's storage (whitenoise, manifest) on a two-file folder, in this process.

    Collecting the real folder costs minutes (Brotli on plotly.js); what is tested here is
    that the storage production selects hashes names, rewrites references and compresses.
    """
    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    (source / "img").mkdir()
    (source / "img" / "dot.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (source / "css" / "ninefold.css").write_text(
        'body { background: url("../img/dot.svg"); }\n' + "p { margin: 0; }\n" * 200
    )
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)

    root = settings.STATIC_ROOT
    manifest = json.loads((root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/ninefold.css"]
    assert hashed != "css/ninefold.css" and hashed.startswith("css/ninefold.")
    assert manifest["paths"]["img/dot.svg"] in (root / hashed).read_text()
    assert (root / f"{hashed}.gz").exists()
    assert (root / f"{hashed}.br").exists()


def test_production_settings_choose_the_manifest_storage():
    result = manage("diffsettings", "--all")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "whitenoise.storage.CompressedManifestStaticFilesStorage" in result.stdout


@pytest.fixture
def production_like(settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_SSL_REDIRECT = True
    return settings


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client, production_like):
    response = client.get("/about/", secure=True)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, production_like):
    response = client.get("/about/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/about/"


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/about/", "/", "/accounts/sign-in/", "/no-such-page/"])
def test_content_security_policy_is_strict(client, url):
    csp = csp_directives(client.get(url))
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert not any("unsafe" in value for values in csp.values() for value in values)


@pytest.mark.django_db
def test_secure_cookies_are_set_secure_and_http_only(client, user):
    client.get("/accounts/sign-in/")
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] is True
    client.post("/accounts/sign-in/", {"username": user.email, "password": "correct-horse-battery"})
    session = client.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True


# --- Error pages --------------------------------------------------------------------------


@pytest.fixture
def error_client(settings):
    settings.ROOT_URLCONF = "tests.settings.urls_errors"
    client = Client(raise_request_exception=False)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "heading"),
    [
        (400, "The request could not be understood"),
        (403, "You cannot do this"),
        (404, "Page not found"),
        (500, "Something went wrong"),
    ],
)
def test_error_pages_explain_without_leaking(error_client, status, heading, caplog):
    with caplog.at_level(logging.CRITICAL):
        response = error_client.get(f"/test-errors/{status}/")
    assert response.status_code == status
    body = response.content.decode()
    assert f"<h1>{heading}</h1>" in body
    assert 'href="/"' in body  # the site's navigation is there: base.html rendered
    for leak in (SECRET_DETAIL, "secret-detail", "Traceback", "settings.py", "/test-errors/"):
        assert leak not in body
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_unknown_address_gets_the_custom_404_without_echoing_the_path(client):
    response = client.get("/places/<script>nowhere/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "nowhere" not in body


def test_500_page_renders_without_a_request_or_database(error_client, caplog):
    """The handler must not touch the database: it may be what failed."""
    with caplog.at_level(logging.CRITICAL):
        response = error_client.get("/test-errors/500/")  # no django_db mark: queries would fail
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.django_db
def test_csrf_failure_gets_a_friendly_page(user):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/sign-in/", {"username": user.email, "password": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Your form could not be accepted" in body
    assert "CSRF cookie" not in body


# --- Health check -------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_says_ok_when_the_database_answers(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_plain_http_on_any_host(client, production_like):
    """A container health check calls http://localhost:8000/healthz."""
    response = client.get("/healthz", HTTP_HOST="localhost:8000")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_healthz_says_unavailable_without_details_when_the_database_fails(
    client, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise RuntimeError("could not connect to server at 10.0.0.5 password=hunter2")

    monkeypatch.setattr(connection, "cursor", refuse)
    with caplog.at_level(logging.CRITICAL):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable"


# --- Logging ------------------------------------------------------------------------------


def make_record(message: str, **extra) -> logging.LogRecord:
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, message, None, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_json_log_lines_carry_level_logger_and_message():
    line = JsonFormatter().format(make_record("Something happened", status_code=404))
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "django.request"
    assert entry["message"] == "Something happened"
    assert entry["status"] == 404
    assert "\n" not in line


def test_logs_never_contain_a_respondents_personal_link(rf):
    request = rf.get("/r/SeCrEtToKeN123/")
    record = make_record("Not Found: /r/SeCrEtToKeN123/", request=request, status_code=404)
    RedactSecretLinks().filter(record)
    line = JsonFormatter().format(record)
    assert "SeCrEtToKeN123" not in line
    assert json.loads(line)["path"] == "/r/[redacted]/"


def test_production_logging_is_json_on_stdout():
    code = (
        "import django, logging; django.setup();"
        "logging.getLogger('ninefold').warning('hello %s', 'world')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stdout.strip().splitlines()[-1])
    assert entry["message"] == "hello world"
    assert entry["level"] == "WARNING"
