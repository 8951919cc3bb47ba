import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-orchard-gravel-42"


def test_reset_emails_a_link_in_text_and_html_that_sets_a_new_password(client: Client):
    user = UserFactory(full_name="Ada Rowe")
    response = client.post(reverse("accounts:password_reset"), {"email": user.email.upper()})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "Set a new Ninefold password"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    assert link in html
    assert "Ada Rowe" in message.body
    assert "ignore this email" in message.body

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link works once.
    again = client.get(link, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client: Client):
    response = client.post(
        reverse("accounts:password_reset"), {"email": "nobody@example.org"}, follow=True
    )
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_reset_rejects_a_weak_new_password_and_keeps_the_old_one(client: Client):
    user = UserFactory()
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "12345678", "new_password2": "12345678"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "too short" in html
    user.refresh_from_db()
    assert user.check_password("correct-horse-battery")


def test_change_password_needs_the_old_one_and_a_strong_new_one(client: Client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("accounts:password_change")

    wrong = client.post(
        url,
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert "old password was entered incorrectly" in wrong.content.decode()

    weak = client.post(
        url,
        {
            "old_password": "correct-horse-battery",
            "new_password1": "password",
            "new_password2": "password",
        },
    )
    assert "too common" in weak.content.decode()

    ok = client.post(
        url,
        {
            "old_password": "correct-horse-battery",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert ok["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Still signed in on this device.
    assert client.get(reverse("accounts:password_change_done")).status_code == 200


def test_change_password_sends_anonymous_to_sign_in(client: Client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
