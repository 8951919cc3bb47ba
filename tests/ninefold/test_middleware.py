"""A database that cannot be reached gives a clear 503, not a 500 that looks like a bug."""

from unittest import mock

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError
from django.urls import reverse

from ninefold.middleware import RETRY_AFTER_SECONDS

pytestmark = pytest.mark.django_db

LOOKUP = "assessments.views.respond.invitation_for_token"


def test_operational_error_in_a_view_gives_503_with_retry_after(client):
    with mock.patch(LOOKUP, side_effect=OperationalError("server closed the connection")):
        response = client.get(reverse("assessments:respond", args=["some-token"]))

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "Temporarily unavailable" in body
    assert "server closed the connection" not in body  # nothing internal leaks


def test_interface_error_on_a_post_gives_503(client):
    with mock.patch(LOOKUP, side_effect=InterfaceError("connection already closed")):
        response = client.post(reverse("assessments:respond", args=["some-token"]), {})

    assert response.status_code == 503


def test_autosave_gets_json_it_can_read_while_the_database_is_away(client):
    with mock.patch(LOOKUP, side_effect=OperationalError("could not connect")):
        response = client.post(
            reverse("assessments:respond_autosave", args=["some-token"]),
            {},
            headers={"Accept": "application/json"},
        )

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_the_log_names_the_view_not_the_secret_link(client, caplog):
    with mock.patch(LOOKUP, side_effect=OperationalError("could not connect")):
        client.get(reverse("assessments:respond", args=["secret-token-value"]))

    records = [r for r in caplog.records if r.name == "ninefold.unavailable"]
    assert len(records) == 1
    assert "assessments:respond" in records[0].getMessage()
    assert "secret-token-value" not in records[0].getMessage()


def test_other_database_errors_are_still_server_errors(client):
    client.raise_request_exception = False
    with mock.patch(LOOKUP, side_effect=IntegrityError("duplicate key")):
        response = client.get(reverse("assessments:respond", args=["some-token"]))

    assert response.status_code == 500
