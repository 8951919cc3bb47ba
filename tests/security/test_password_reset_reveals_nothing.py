"""Password reset reveals nothing and floods no inbox: the email goes through the task queue,
a known and an unknown address cost the request the same work, and requests are limited per
email and per client address with a clear message."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from accounts import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
URL = "/accounts/password/reset/"


def run_worker() -> None:
    # The worker would close the test's own transaction, as a long-lived process should.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def request_reset(email: str, address: str = "203.0.113.7"):
    return Client(REMOTE_ADDR=address).post(URL, {"email": email})


def shape(queries) -> list[str]:
    """The SQL run, without the values (the email, the task's id and times)."""
    return [re.sub(r"'[^']*'|\b\d+\b", "?", q["sql"]) for q in queries]


def test_known_and_unknown_addresses_cost_the_request_the_same_work():
    UserFactory(email="known@example.org")
    sent_in_request = []
    with (
        override_settings(TASKS=DATABASE_TASKS),
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=lambda messages: sent_in_request.extend(messages) or len(messages),
        ),
    ):
        with CaptureQueriesContext(connection) as known:
            assert request_reset("known@example.org").status_code == 302
        with CaptureQueriesContext(connection) as unknown:
            assert request_reset("unknown@example.org").status_code == 302
    assert sent_in_request == [], "an email was sent inside the request"
    assert shape(known.captured_queries) == shape(unknown.captured_queries)
    assert not any("accounts_user" in q for q in shape(known.captured_queries))

    with override_settings(TASKS=DATABASE_TASKS):
        run_worker()
    assert [m.to for m in mail.outbox] == [["known@example.org"]]
    assert re.search(r"http://testserver/accounts/password/reset/\S+/\S+/", mail.outbox[0].body)


def test_one_email_is_limited_whoever_asks():
    UserFactory(email="target@example.org")
    for n in range(services.RESETS_PER_EMAIL):
        assert request_reset("Target@example.org", address=f"198.51.100.{n}").status_code == 302
    response = request_reset("target@example.org", address="198.51.100.99")
    assert response.status_code == 429
    assert "has been asked for 3 times in the last 60 minutes" in response.content.decode()
    assert len(mail.outbox) == services.RESETS_PER_EMAIL


def test_one_client_address_is_limited_across_emails():
    for n in range(services.RESETS_PER_ADDRESS):
        assert request_reset(f"person{n}@example.org").status_code == 302
    response = request_reset("someone-else@example.org")
    assert response.status_code == 429
    assert "Too many password resets have been asked for from your network" in (
        response.content.decode()
    )
    # Another address is not held up.
    assert request_reset("someone-else@example.org", address="192.0.2.1").status_code == 302
