import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def sign_in(client: Client, email: str, password: str, ip: str = "127.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def fail(client: Client, email: str, times: int, ip: str = "127.0.0.1") -> list[int]:
    return [sign_in(client, email, "not-the-password", ip).status_code for _ in range(times)]


def test_four_failures_then_the_right_password_still_signs_in():
    user = UserFactory()
    client = Client()
    fail(client, user.email, 4)
    response = sign_in(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert response.wsgi_request.user == user


def test_five_failures_lock_out_even_the_right_password_with_a_clear_page():
    user = UserFactory()
    client = Client()
    # The fifth failure itself already gets the lockout page.
    assert fail(client, user.email, 5) == [200, 200, 200, 200, 429]

    response = sign_in(client, user.email, PASSWORD)

    html = response.content.decode()
    assert response.status_code == 429
    assert "Signing in is paused" in html
    assert "5 unsuccessful attempts" in html
    assert "15 minutes" in html
    assert reverse("accounts:password_reset") in html
    assert not response.wsgi_request.user.is_authenticated


def test_lockout_counts_email_in_any_case_together():
    user = UserFactory()
    client = Client()
    fail(client, user.email.upper(), 3)
    fail(client, user.email, 2)
    assert sign_in(client, user.email, PASSWORD).status_code == 429


def test_lockout_is_per_email_and_address_so_other_places_can_still_sign_in():
    user = UserFactory()
    other = UserFactory()
    fail(Client(), user.email, 5, ip="203.0.113.9")

    assert sign_in(Client(), user.email, PASSWORD, ip="198.51.100.7").status_code == 302
    assert sign_in(Client(), other.email, PASSWORD, ip="203.0.113.9").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_lockout_counts_the_forwarded_address():
    user = UserFactory()
    proxy = "10.0.0.2"
    for _ in range(5):
        Client(HTTP_X_FORWARDED_FOR="203.0.113.9").post(
            reverse("accounts:login"),
            {"username": user.email, "password": "not-the-password"},
            REMOTE_ADDR=proxy,
        )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"

    locked = Client(HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert sign_in(locked, user.email, PASSWORD, ip=proxy).status_code == 429
    # The lead, signing in through the same proxy from elsewhere, is not locked out.
    elsewhere = Client(HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert sign_in(elsewhere, user.email, PASSWORD, ip=proxy).status_code == 302


def test_lockout_lifts_after_fifteen_minutes():
    user = UserFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(Client(), user.email, 5)
        assert sign_in(Client(), user.email, PASSWORD).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        assert sign_in(Client(), user.email, PASSWORD).status_code == 429
    # The refused attempt at minute 14 started the pause over.
    with time_machine.travel(start + dt.timedelta(minutes=14 + 16), tick=False):
        assert sign_in(Client(), user.email, PASSWORD).status_code == 302


def test_a_success_resets_the_failure_count():
    user = UserFactory()
    client = Client()
    fail(client, user.email, 4)
    assert sign_in(client, user.email, PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    fail(client, user.email, 4)
    assert sign_in(client, user.email, PASSWORD).status_code == 302


def test_sign_out_is_post_only_and_ends_the_session(client: Client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_sign_in_page_links_to_password_reset(client: Client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in html
