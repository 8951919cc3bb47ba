"""Secret links in logs: every URL that carries a secret is redacted, in the app's log and in
gunicorn's access log, by one rule (the ``<secret:…>`` marker on the URL pattern).

Each flow that hands out a secret link is run for real (a colleague's invitation, a password
reset, a respondent's personal link); its link is then requested so that both logs write it."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import StringConverter

from ninefold.secret_links import SecretConverter
from places.models import Role
from tests.factories import InvitationFactory, UserFactory
from tests.security.logs import Gunicorn, app_log

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    return re.search(r"http://testserver(/\S+/)", message.body).group(1)


@pytest.fixture
def secret_links(
    place, lead_client, django_capture_on_commit_callbacks
) -> dict[str, tuple[str, list[str]]]:
    """name -> (path, the secrets in it), each path handed out by its own flow."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(
            f"/places/{place.slug}/people/", {"email": "colleague@example.org", "role": Role.LEAD}
        )
    assert response.status_code == 302
    join = link_in(mail.outbox[-1])
    assert Client().get(join).status_code == 200

    UserFactory(email="forgetful@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/accounts/password/reset/", {"email": "forgetful@example.org"})
    assert response.status_code == 302
    reset = link_in(mail.outbox[-1])
    assert Client().get(reset).status_code == 302  # to the set-password form

    invitation = InvitationFactory(round__place=place)
    respond = f"/r/{invitation.token}/"
    assert Client().get(respond).status_code == 200
    return {
        "join": (join, [join.split("/")[-2]]),
        "reset": (reset, reset.split("/")[-3:-1]),
        "respond": (respond, [invitation.token]),
        "autosave": (f"{respond}autosave/", [invitation.token]),
    }


def assert_redacted(output: str, links: dict[str, tuple[str, list[str]]]) -> None:
    for name, (_, secrets) in links.items():
        for secret in secrets:
            assert secret not in output, f"the {name} link's secret {secret!r} was logged"
    assert "[redacted]" in output


def test_the_apps_log_redacts_every_secret_link(secret_links):
    # A refused post (no CSRF cookie) is logged with its path at WARNING.
    refusing = Client(enforce_csrf_checks=True)
    with app_log() as log:
        for path, _ in secret_links.values():
            assert refusing.post(path).status_code == 403
    output = log.getvalue()
    assert output.count("Forbidden (CSRF cookie not set.)") == len(secret_links)
    assert_redacted(output, secret_links)
    assert "/places/join/[redacted]/" in output
    assert "/accounts/password/reset/[redacted]/[redacted]/" in output


def test_gunicorns_access_log_redacts_every_secret_link(secret_links, tmp_path):
    server = Gunicorn(tmp_path, LOG_LEVEL="INFO")
    with server.running():
        for path, _ in secret_links.values():
            server.get(path)
    assert server.output.count("GET /") == len(secret_links), server.output
    assert_redacted(server.output, secret_links)
    assert "GET /places/join/[redacted]/ HTTP/1.1" in server.output


def test_every_url_parameter_named_like_a_secret_is_marked_secret():
    """The marker is the rule: a new pattern with a token in it must use ``<secret:…>``."""
    unmarked = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
                continue
            assert isinstance(entry, URLPattern)
            for name, converter in getattr(entry.pattern, "converters", {}).items():
                looks_secret = re.search(r"token|secret|key|uid", name)
                if looks_secret and not isinstance(converter, SecretConverter):
                    unmarked.append(f"{route} <{name}>")

    walk(get_resolver().url_patterns)
    assert not unmarked, f"secret-looking URL parameters without <secret:…>: {unmarked}"
    assert issubclass(SecretConverter, StringConverter)
