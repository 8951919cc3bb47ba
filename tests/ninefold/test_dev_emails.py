"""With DEBUG on, the emails the app would send are listed at /dev/emails/; never otherwise."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from ninefold import mail as mail_store
from ninefold.views import sent_emails

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def outbox(settings, tmp_path):
    settings.EMAIL_BACKEND = "ninefold.mail.DevelopmentEmailBackend"
    settings.EMAIL_OUTBOX_DIR = tmp_path / "emails"
    return settings.EMAIL_OUTBOX_DIR


def send_invitation() -> None:
    mail.send_mail(
        "Join Harrowdene on Ninefold",
        "To accept, open this link:\n\nhttp://127.0.0.1:8123/places/join/abc123/\n\nNinefold",
        None,
        ["colleague@example.org"],
    )


def test_with_debug_on_the_page_lists_recipient_subject_and_link(outbox, settings, capsys):
    send_invitation()
    assert "Join Harrowdene on Ninefold" in capsys.readouterr().out  # still on the console
    settings.DEBUG = True
    response = Client().get("/dev/emails/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "colleague@example.org" in html
    assert '<h2 class="h5 card-title">Join Harrowdene on Ninefold</h2>' in html
    link = "http://127.0.0.1:8123/places/join/abc123/"
    assert f'<a href="{link}">{link}</a>' in html


def test_newest_first_and_an_empty_outbox_says_how_to_fill_it(outbox, settings):
    settings.DEBUG = True
    assert "No emails yet" in Client().get("/dev/emails/").content.decode()
    send_invitation()
    mail.send_mail("Second", "no link", None, ["second@example.org"])
    assert [e.subject for e in mail_store.sent_emails()] == [
        "Second",
        "Join Harrowdene on Ninefold",
    ]


def test_with_debug_off_the_page_is_not_found_even_with_emails_kept(outbox, settings):
    send_invitation()
    settings.DEBUG = False
    response = Client().get("/dev/emails/")
    assert response.status_code == 404
    assert "colleague@example.org" not in response.content.decode()


def test_the_view_itself_refuses_without_debug(rf, outbox, settings):
    settings.DEBUG = False
    with pytest.raises(Exception, match="No such page"):
        sent_emails(rf.get("/dev/emails/"))


def test_the_demo_says_where_emails_go(outbox, settings, capsys):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8123"
    call_command("demo")
    out = capsys.readouterr().out
    assert "listed at http://127.0.0.1:8123/dev/emails/" in out
    assert "http://127.0.0.1:8123/accounts/sign-in/" in out


def test_make_demo_points_every_link_at_the_host_it_serves_on():
    result = subprocess.run(
        ["make", "-n", "demo", "HOST=127.0.0.1:8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    commands = [line for line in result.stdout.splitlines() if "manage.py" in line]
    assert len(commands) == 4, result.stdout + result.stderr
    assert all("SITE_URL=http://127.0.0.1:8123 " in line for line in commands)
    assert "runserver 127.0.0.1:8123" in commands[-1]
    assert "http://127.0.0.1:8123/dev/emails/" in result.stdout
