"""No ``Cache-Control`` was sent on respondent pages (personal answers), dashboards, precondition
pages, ``summary.json`` and place pages: anything personal or place-specific is sent with
``private, no-store`` (the default for every page whose view does not say otherwise)."""

from __future__ import annotations

import pytest
from django.test import Client

from assessments.models import RoundState
from places.models import Role
from tests.factories import InvitationFactory, MembershipFactory, PartnerFactory, RoundFactory
from tests.helpers import answer

pytestmark = pytest.mark.django_db


def assert_private_no_store(response, url: str) -> None:
    header = response.get("Cache-Control", "")
    parts = {p.strip() for p in header.split(",")}
    assert {"private", "no-store"} <= parts, f"{url}: Cache-Control {header!r}"


def test_personal_and_place_pages_are_private_and_never_stored(place):
    round_ = RoundFactory(place=place, state=RoundState.CLOSED)
    answer(round_, PartnerFactory(place=place), {"A": 3})
    lead = MembershipFactory(place=place, role=Role.LEAD).user
    client = Client()
    client.force_login(lead)
    base = f"/places/{place.slug}"
    urls = [
        "/",
        f"{base}/",
        f"{base}/partners/",
        f"{base}/people/",
        f"{base}/rounds/",
        f"{base}/rounds/{round_.pk}/",
        f"{base}/rounds/{round_.pk}/dashboard/",
        f"{base}/rounds/{round_.pk}/dashboard/A/",
        f"{base}/rounds/{round_.pk}/summary.json",
        f"{base}/trends/",
        f"{base}/rounds/{round_.pk}/export/",
        f"{base}/personal-data/",
        "/privacy/",
        "/accessibility/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_private_no_store(response, url)


def test_a_respondents_pages_are_private_and_never_stored():
    invitation = InvitationFactory()
    client = Client()
    url = f"/r/{invitation.token}/"
    response = client.get(url)
    assert response.status_code == 200
    assert_private_no_store(response, url)
    # A refused or unknown link too: it still tells whether the link worked.
    response = client.get("/r/not-a-real-token/")
    assert_private_no_store(response, "/r/…/ (unknown)")


def test_a_view_that_sets_its_own_caching_keeps_it(client):
    response = client.get("/healthz")
    # never_cache's own header, untouched.
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
