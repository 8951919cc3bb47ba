"""No ``Server: gunicorn`` header, and a refusal (403) is logged as one line, not a traceback."""

from __future__ import annotations

import pytest
from django.test import Client

from places.models import Role
from tests.factories import MembershipFactory
from tests.security.logs import Gunicorn, app_log


def test_gunicorn_sends_no_server_header(tmp_path):
    server = Gunicorn(tmp_path)
    with server.running():
        status, headers = server.get("/healthz")
    assert status in {200, 503}
    assert "Date" in headers  # gunicorn's other default headers are still sent
    assert "Server" not in headers, headers["Server"]


@pytest.mark.django_db
def test_a_403_is_logged_as_one_line(place):
    board = MembershipFactory(place=place, role=Role.BOARD).user
    client = Client()
    client.force_login(board)
    with app_log() as log:
        response = client.get(f"/places/{place.slug}/people/")
    assert response.status_code == 403
    lines = log.getvalue().splitlines()
    assert len(lines) == 1, log.getvalue()
    assert "WARNING django.request Forbidden (Permission denied)" in lines[0]
    assert "Traceback" not in log.getvalue()


@pytest.mark.django_db
def test_a_500_still_logs_its_traceback(settings):
    settings.ROOT_URLCONF = "tests.settings.urls_errors"
    with app_log() as log:
        response = Client(raise_request_exception=False).get("/test-errors/500/")
    assert response.status_code == 500
    assert "Traceback" in log.getvalue()
