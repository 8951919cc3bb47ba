"""Every report cache key carries the release, so a deploy never serves old markup.

Cached report pages hold rendered HTML (and PDFs their bytes). Keyed only on the place's
data version, a page built by the previous release would be served after a deploy until it
expired, with markup that may point at script or style files the new release no longer has.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from reports import aggregation, pdf
from reports import cache as report_cache
from tests.reports.test_dashboard_views import member_client, place_with_rounds, urls

pytestmark = pytest.mark.django_db


def _report_keys() -> list[str]:
    # The test settings use the local-memory cache; its keys are ":<version>:<key>".
    return [k for k in cache._cache if "ninefold:report" in k]  # noqa: SLF001


def test_every_report_entry_is_stored_under_the_release(settings, monkeypatch):
    monkeypatch.setattr(pdf, "render_pdf", lambda html, **kw: b"%PDF-1 fake")
    settings.NINEFOLD_RELEASE = "2031.4-b77"
    place, _, current = place_with_rounds(partners=3, respondents=1)
    client = member_client(place)
    for url in urls(place, current):  # dashboard, precondition, JSON, trends
        assert client.get(url).status_code == 200
    pdf.round_report_pdf(current)
    pdf.comparison_pdf(place)
    keys = _report_keys()
    parts = {part for key in keys for part in key.split(":")}
    assert {"summary", "summary-json", "dashboard", "precondition", "trends", "pdf"} <= parts
    assert all(":2031.4-b77:" in key for key in keys), keys


def test_a_new_release_misses_the_cache_and_builds_again(settings, monkeypatch):
    renders, summaries = [], []
    monkeypatch.setattr(pdf, "render_pdf", lambda html, **kw: renders.append(1) or b"%PDF-1")
    real_summary = aggregation.round_summary
    monkeypatch.setattr(
        aggregation, "round_summary", lambda *a, **kw: summaries.append(1) or real_summary(*a, **kw)
    )
    place, _, current = place_with_rounds(partners=3, respondents=1)
    client = member_client(place)
    dashboard = urls(place, current)[0]

    settings.NINEFOLD_RELEASE = "1.0"
    for _ in range(2):
        client.get(dashboard)
    assert len(summaries) == 1  # the same release: built once
    for _ in range(2):
        pdf.round_report_pdf(current)
    assert len(renders) == 1

    settings.NINEFOLD_RELEASE = "1.1"  # a deploy; the data did not change
    summaries.clear()
    client.get(dashboard)
    assert len(summaries) == 1
    pdf.round_report_pdf(current)
    assert len(renders) == 2


def test_without_a_release_setting_the_release_follows_the_code(settings, tmp_path):
    settings.NINEFOLD_RELEASE = ""
    release = report_cache.release()
    assert release == report_cache.release() and release  # computed once, stable
    assert report_cache.key(1, 2, "x").count(release) == 1

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>old</p>")
    before = report_cache.code_fingerprint(tmp_path)
    page.write_text("<p>new</p>")
    assert report_cache.code_fingerprint(tmp_path) != before
    assert reverse("reports:trends", args=["x"])  # the URLconf loads with the setting empty


def test_a_release_that_cannot_go_into_a_cache_key_is_refused_at_start():
    from tests.settings.test_settings import run_check

    result = run_check(DEBUG="true", NINEFOLD_RELEASE="release 2: the sequel")
    assert result.returncode != 0
    assert "NINEFOLD_RELEASE='release 2: the sequel' is not a version or build id" in result.stderr
    assert run_check(DEBUG="true", NINEFOLD_RELEASE="2026.12.1+b77").returncode == 0
