"""Control characters in path parameters: a NUL (``…/dashboard/%00/``) made PostgreSQL fail
with a 500. Every path with a control character is refused with 404."""

from __future__ import annotations

import logging
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.models import RoundState
from places.models import Role
from tests.factories import MembershipFactory, PlaceFactory, RoundFactory

pytestmark = pytest.mark.django_db

TEXT = {"StringConverter", "SecretConverter", "PathConverter"}
CONTROLS = ["\x00", "\x01", "\n", "\x1f", "\x7f", "\x85"]


def text_parameter_urls(place, round_) -> list[str]:
    """Every named URL with a text parameter, that parameter set to ``{}``, the others valid."""
    urls = []

    def walk(patterns, namespace="", outer=None):
        for entry in patterns:
            converters = {**(outer or {}), **getattr(entry.pattern, "converters", {})}
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner, converters)
                continue
            assert isinstance(entry, URLPattern)
            kinds = {name: type(c).__name__ for name, c in converters.items()}
            if not entry.name or not set(kinds.values()) & TEXT:
                continue
            kwargs = {}
            for name, kind in kinds.items():
                if kind == "IntConverter":
                    kwargs[name] = round_.pk
                elif kind == "SlugConverter":
                    kwargs[name] = place.slug
                else:
                    kwargs[name] = "MARK"
            urls.append(reverse(f"{namespace}{entry.name}", kwargs=kwargs))

    walk(get_resolver().url_patterns)
    return sorted(set(urls))


def test_every_text_parameter_refuses_control_characters_with_404(caplog):
    place = PlaceFactory()
    round_ = RoundFactory(place=place, state=RoundState.CLOSED)
    lead = MembershipFactory(place=place, role=Role.LEAD).user
    client = Client(raise_request_exception=False)
    client.force_login(lead)
    urls = text_parameter_urls(place, round_)
    assert any("/dashboard/MARK/" in u for u in urls) and any("/workshop/MARK/" in u for u in urls)
    wrong = []
    with caplog.at_level(logging.CRITICAL):
        for url in urls:
            for control in CONTROLS:
                for method in (client.get, client.post):
                    status = method(url.replace("MARK", quote(f"a{control}b"))).status_code
                    if status != 404:
                        wrong.append(f"{method.__name__.upper()} {url} {control!r}: {status}")
    assert not wrong, "\n".join(wrong)


def test_the_addresses_in_the_review_give_404(client):
    place = PlaceFactory()
    round_ = RoundFactory(place=place)
    lead = MembershipFactory(place=place, role=Role.LEAD).user
    client.force_login(lead)
    base = f"/places/{place.slug}/rounds/{round_.pk}"
    for path in (f"{base}/dashboard/%00/", f"{base}/workshop/%00/agreed-view/", "/r/%00/"):
        assert client.get(path).status_code == 404
