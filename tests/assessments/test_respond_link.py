"""The personal link: who gets in, who does not, and what a closed or future round says."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from django.utils.html import escape

from assessments.models import Invitation, RoundState
from assessments.ratelimit import FAILED_LOOKUPS_ALLOWED
from tests.assessments.conftest import form_data, link
from tests.factories import InvitationFactory, RatingFactory, ResponseFactory, RoundFactory

pytestmark = pytest.mark.django_db

NOT_VALID = "This link is not valid"


def test_a_valid_link_opens_the_form_for_its_round_and_partner(client, invitation):
    page = client.get(link(invitation))
    assert page.status_code == 200
    html = page.content.decode()
    assert escape(invitation.round.name) in html
    assert escape(invitation.partner.name) in html
    assert "Save and come back later" in html


@pytest.mark.parametrize(
    "token",
    [
        "x" * 32,  # well-formed but unknown
        "short",  # malformed: too short
        "a" * 101,  # malformed: too long
        "not%20a%20token~~~~~~~~~~~~~~~~~~",  # malformed: wrong letters
    ],
)
def test_unknown_or_malformed_tokens_get_the_same_not_valid_page(client, token):
    page = client.get(f"/r/{token}/")
    assert page.status_code == 404
    assert NOT_VALID in page.content.decode()


def test_a_forged_token_one_letter_off_is_not_valid(client, invitation):
    forged = invitation.token[:-1] + ("A" if invitation.token[-1] != "A" else "B")
    page = client.get(f"/r/{forged}/")
    assert page.status_code == 404
    assert NOT_VALID in page.content.decode()


def test_a_revoked_invitation_looks_exactly_like_an_unknown_link(client, invitation):
    invitation.revoked_at = timezone.now()
    invitation.save()
    revoked = client.get(link(invitation))
    unknown = client.get("/r/" + "y" * 32 + "/")
    assert revoked.status_code == unknown.status_code == 404
    assert revoked.content == unknown.content


def test_a_malformed_token_is_refused_without_a_look_up(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/r/short/").status_code == 404
    # Only the failure count is written; no invitation or link is read.
    assert queries.captured_queries
    assert not [q for q in queries.captured_queries if "assessments_invitation" in q["sql"]]


def test_the_token_is_looked_up_by_its_hash_only(invitation):
    stored = Invitation.objects.get(pk=invitation.pk)
    assert invitation.token not in stored.token_hash
    assert len(invitation.token) >= 22  # at least 128 bits of URL-safe base64


def test_every_page_behind_the_link_refuses_a_bad_token(client):
    assert client.get("/r/" + "z" * 32 + "/done/").status_code == 404
    assert client.post("/r/" + "z" * 32 + "/autosave/", {}).status_code == 404
    assert client.post("/r/" + "z" * 32 + "/", {}).status_code == 404


def test_first_opening_is_recorded_and_kept(client, invitation):
    client.get(link(invitation))
    invitation.refresh_from_db()
    first = invitation.first_opened_at
    assert first is not None
    client.get(link(invitation))
    invitation.refresh_from_db()
    assert invitation.first_opened_at == first


def test_a_round_not_yet_open_says_when_it_opens(client):
    today = timezone.localdate()
    rnd = RoundFactory(
        opens_on=today + dt.timedelta(days=3), closes_on=today + dt.timedelta(days=30)
    )
    invitation = InvitationFactory(round=rnd)
    page = client.get(link(invitation))
    html = page.content.decode()
    assert page.status_code == 200
    assert "is not open yet" in html
    assert "Save and come back later" not in html


def test_a_draft_round_is_not_open_yet(client):
    invitation = InvitationFactory(round=RoundFactory(state=RoundState.DRAFT))
    html = client.get(link(invitation)).content.decode()
    assert "is not open yet" in html


def test_a_closed_round_says_so_and_shows_the_submitted_answers_read_only(client):
    rnd = RoundFactory(state=RoundState.CLOSED, closed_at=timezone.now())
    response = ResponseFactory(invitation=InvitationFactory(round=rnd))
    response.status = "submitted"
    response.submitted_at = timezone.now()
    response.save()
    RatingFactory(response=response, score=4, evidence="The board changed its agenda.")
    page = client.get(link(response.invitation))
    html = page.content.decode()
    assert page.status_code == 200
    assert "has closed" in html
    assert "The board changed its agenda." in html
    assert "4 Established" in html
    assert "<form" not in html.split('id="main"')[1]


def test_the_day_after_the_closing_date_the_link_is_read_only(client, invitation):
    closes = invitation.round.closes_on
    after = dt.datetime.combine(closes + dt.timedelta(days=1), dt.time(10), tzinfo=dt.UTC)
    with time_machine.travel(after):
        html = client.get(link(invitation)).content.decode()
    assert "has closed" in html
    assert "No answers were saved with this link." in html


UNKNOWN = "/r/" + "q" * 32 + "/"


def test_guessing_tokens_is_paused_after_too_many_failures(client, invitation):
    for _ in range(FAILED_LOOKUPS_ALLOWED):
        assert client.get(UNKNOWN).status_code == 404
    blocked = client.get(UNKNOWN)
    assert blocked.status_code == 429
    assert "Please wait" in blocked.content.decode()
    # Another address is unaffected.
    assert client.get(UNKNOWN, REMOTE_ADDR="10.0.0.9").status_code == 404


def test_a_valid_link_from_a_paused_address_is_always_served(client, invitation):
    """Many respondents share one council or NHS address with whoever scans from it."""
    for _ in range(FAILED_LOOKUPS_ALLOWED * 3):
        client.get("/r/" + "w" * 32 + "/")
    assert client.get(UNKNOWN).status_code == 429
    assert client.get(link(invitation)).status_code == 200
    saved = client.post(link(invitation, "autosave/"), form_data(A_choice="4"))
    assert saved.status_code == 200 and saved.json()["status"] == "saved"
    version = saved.json()["version"]
    posted = client.post(link(invitation), form_data(version, A_choice="4", B_choice="2"))
    assert posted.status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_pause_counts_the_forwarded_address(client, invitation):
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(FAILED_LOOKUPS_ALLOWED):
        client.get(UNKNOWN, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    # Writing a different address in front of the proxy's entry does not escape the pause...
    spoofed = "198.51.100.1, 203.0.113.9"
    assert client.get(UNKNOWN, HTTP_X_FORWARDED_FOR=spoofed, **proxy).status_code == 429
    # ...someone else coming through the same proxy is not paused...
    assert client.get(UNKNOWN, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 404
    # ...and the paused address's valid links still open.
    valid = client.get(link(invitation), HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    assert valid.status_code == 200


def test_the_pause_on_guessing_ends_with_its_window(client, invitation):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(FAILED_LOOKUPS_ALLOWED):
            client.get(UNKNOWN)
        assert client.get(UNKNOWN).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        assert client.get(UNKNOWN).status_code == 404


def test_exactly_the_allowed_number_of_failures_are_answered_404():
    from django.test import RequestFactory

    from assessments.ratelimit import record_failed_lookup

    request = RequestFactory().get(UNKNOWN, REMOTE_ADDR="192.0.2.1")
    refused = [record_failed_lookup(request) for _ in range(FAILED_LOOKUPS_ALLOWED + 5)]
    assert refused == [False] * FAILED_LOOKUPS_ALLOWED + [True] * 5


@pytest.mark.parametrize("refusal", [404, 429])
def test_a_refused_submission_shows_back_what_was_typed(client, refusal):
    if refusal == 429:
        for _ in range(FAILED_LOOKUPS_ALLOWED):
            client.get(UNKNOWN)
    note = "We share data <weekly> with the O'Neill team"
    page = client.post(UNKNOWN, form_data(A_choice="4", C_evidence=note))
    assert page.status_code == refusal
    html = page.content.decode()
    assert "What you typed was not saved" in html
    assert escape(note) in html and "<weekly>" not in html
    assert "Question A" in html and "Your choice: 4" in html and "Question C" in html
    assert "Question B" not in html  # nothing was typed for B


def test_valid_links_do_not_count_towards_the_pause(client, invitation):
    for _ in range(FAILED_LOOKUPS_ALLOWED + 5):
        assert client.get(link(invitation)).status_code == 200


def test_the_page_shows_only_this_respondents_answers(client, invitation):
    colleague = InvitationFactory(round=invitation.round, partner=invitation.partner)
    theirs = ResponseFactory(invitation=colleague)
    RatingFactory(response=theirs, evidence="A colleague's private note")
    mine = ResponseFactory(invitation=invitation)
    RatingFactory(response=mine, evidence="My own note")
    html = client.get(link(invitation)).content.decode()
    assert "My own note" in html
    assert "A colleague's private note" not in html
    assert colleague.name not in html
    assert colleague.email not in html
