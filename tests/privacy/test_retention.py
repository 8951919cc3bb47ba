"""Retention: respondents' names and emails go, every figure stays exactly as it was."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.models import Invitation, InvitationLink, Rating, Response
from places.models import ActivityLog, PlaceInvitation, Role
from places.services import place_invitation_create, place_invitation_revoke
from privacy.retention import add_months, apply_retention
from reports import aggregation, exports
from tests.privacy.conftest import where_in_database

pytestmark = pytest.mark.django_db


def figures(round_):
    """Everything the round's reports show: summaries for both audiences, exports, the gap."""
    round_ = type(round_).objects.select_related("place", "framework").get(pk=round_.pk)
    identity = list(exports.rating_rows(round_, include_identity=True))
    return {
        "lead": aggregation.round_summary(round_, audience=aggregation.LEAD),
        "shared": aggregation.round_summary(round_, audience=aggregation.SHARED),
        "ratings": list(exports.rating_rows(round_)),
        "identity_rows_without_identity": [row[:-2] for row in identity],
        "summary": list(exports.summary_rows(round_)),
        "gap": aggregation.lived_experience_gap(round_),
        "notes_lead": aggregation.evidence_notes(round_, audience=aggregation.LEAD),
        "notes_shared": aggregation.evidence_notes(round_),
    }


def personal_words(people):
    return [w for p in people for w in (p.name, p.email)]


def test_add_months_keeps_the_day_or_takes_the_months_last():
    moment = dt.datetime(2026, 1, 31, 10, tzinfo=dt.UTC)
    assert add_months(moment, 1) == dt.datetime(2026, 2, 28, 10, tzinfo=dt.UTC)
    assert add_months(moment, 12) == dt.datetime(2027, 1, 31, 10, tzinfo=dt.UTC)
    assert add_months(moment, 13) == dt.datetime(2027, 2, 28, 10, tzinfo=dt.UTC)


def test_before_the_retention_point_nothing_is_removed(closed_round):
    round_ = closed_round["round"]
    just_before = add_months(round_.closed_at, 12) - dt.timedelta(minutes=1)
    result = apply_retention(now=just_before)
    assert result.invitations == 0
    assert where_in_database(personal_words(closed_round["people"]))


def test_figures_identical_and_no_name_or_email_left_anywhere(closed_round):
    round_ = closed_round["round"]
    people = closed_round["people"]
    words = personal_words(people)
    before = figures(round_)
    # The check can fail: before retention the details are in the invitations and the log.
    found_before = where_in_database(words)
    assert "assessments.Invitation.name" in found_before
    assert "assessments.Invitation.email" in found_before
    assert "places.ActivityLog.description" in found_before
    hashes_before = set(Invitation.objects.values_list("token_hash", flat=True))
    ratings_before = list(Rating.objects.order_by("pk").values_list("pk", "score", "evidence"))

    result = apply_retention(now=add_months(round_.closed_at, 12) + dt.timedelta(minutes=1))

    assert result.rounds == 1
    assert result.invitations == len(people)
    assert figures(round_) == before
    assert where_in_database(words) == []
    # Answers, partner, perspective and notes kept; the rows are the same rows.
    assert list(Rating.objects.order_by("pk").values_list("pk", "score", "evidence")) == (
        ratings_before
    )
    assert Response.objects.count() == 7
    kept = Invitation.objects.filter(round=round_)
    assert {(i.partner_id, i.perspective) for i in kept} == {
        (p.partner_id, p.perspective) for p in people
    }
    assert all(i.personal_data_removed_at is not None for i in kept)
    # Every personal link is void: none of the stored hashes is one a link was made for.
    assert not hashes_before & set(kept.values_list("token_hash", flat=True))
    assert not InvitationLink.objects.filter(invitation__round=round_).exists()
    # The log says what happened, without naming anyone.
    entry = ActivityLog.objects.get(verb="retention-applied")
    assert "9 respondents" in entry.description
    # A second run finds nothing more to do.
    assert apply_retention(now=add_months(round_.closed_at, 24)).invitations == 0


def test_a_place_with_a_shorter_period_is_cleared_sooner(closed_round):
    place, round_ = closed_round["place"], closed_round["round"]
    place.retention_months = 1
    place.save()
    result = apply_retention(now=add_months(round_.closed_at, 1) + dt.timedelta(hours=1))
    assert result.invitations == len(closed_round["people"])


def test_open_rounds_are_never_touched(closed_round):
    from tests.factories import InvitationFactory, RoundFactory

    open_round = RoundFactory(place=closed_round["place"])
    waiting = InvitationFactory(round=open_round)
    apply_retention(now=timezone.now() + dt.timedelta(days=3650))
    waiting.refresh_from_db()
    assert waiting.email and waiting.name and waiting.personal_data_removed_at is None


def test_colleague_invitations_never_accepted_go_after_the_period(closed_round):
    place, lead = closed_round["place"], closed_round["lead"]
    withdrawn = place_invitation_create(
        place=place, actor=lead, email="withdrawn@council.example", role=Role.BOARD
    )
    place_invitation_revoke(invitation=withdrawn, actor=lead)
    waiting = place_invitation_create(
        place=place, actor=lead, email="waiting@council.example", role=Role.BOARD
    )
    apply_retention(now=timezone.now() + dt.timedelta(days=30))
    assert PlaceInvitation.objects.filter(pk=withdrawn.pk).exists()
    apply_retention(now=timezone.now() + dt.timedelta(days=400))
    assert not PlaceInvitation.objects.filter(pk=withdrawn.pk).exists()
    # Expired 14 days after it was sent, so gone 12 months after that too.
    assert not PlaceInvitation.objects.filter(pk=waiting.pk).exists()


def test_the_command_reports_what_it_did(closed_round):
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "from 0 invitations in 0 rounds" in out.getvalue()


def test_the_lead_sets_the_period_on_the_place_settings_form(closed_round):
    from tests.helpers import client_for

    place = closed_round["place"]
    client = client_for(closed_round["lead"])
    url = f"/places/{place.slug}/edit/"
    page = client.get(url)
    assert b'name="retention_months"' in page.content and b'value="12"' in page.content
    refused = client.post(url, {"name": place.name, "retention_months": "0"})
    assert refused.status_code == 200 and b"at least 1 month" in refused.content
    place.refresh_from_db()
    assert place.retention_months == 12
    saved = client.post(url, {"name": place.name, "description": "", "retention_months": "6"})
    assert saved.status_code == 302
    place.refresh_from_db()
    assert place.retention_months == 6
    assert ActivityLog.objects.filter(
        place=place, description__contains="retention period from 12 to 6 months"
    ).exists()
