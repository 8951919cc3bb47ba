"""Subject access and erasure: what a lead and a site administrator find, export and erase."""

from __future__ import annotations

import json

import pytest
from django.db.models import Q
from django.urls import reverse

from assessments.models import Invitation, Rating, Response
from assessments.services.invitations import invitation_create
from places.models import ActivityLog, PlaceInvitation, Role
from places.services import place_invitation_create
from reports import aggregation
from tests.factories import (
    MembershipFactory,
    PartnerFactory,
    PlaceFactory,
    RoundFactory,
    UserFactory,
)
from tests.helpers import client_for
from tests.privacy.conftest import answer_as, where_in_database

pytestmark = pytest.mark.django_db

EMAIL = "person0.respondent@council.example"


def url(place):
    return reverse("privacy:place_requests", args=[place.slug])


def test_a_lead_finds_everything_held_about_an_address(closed_round, django_assert_num_queries):
    place, lead = closed_round["place"], closed_round["lead"]
    client = client_for(lead)
    page = client.get(url(place))
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    found = client.post(url(place), {"email": EMAIL.upper(), "action": "find"})
    body = found.content.decode()
    assert "Respondent Person0" in body  # the name, matched whatever the case of the address
    assert "Ann at the council told us so" in body  # their evidence note
    assert closed_round["partners"][0].name.replace("'", "&#x27;") in body
    assert "Invitations to answer a round (1)" in body
    assert "Added Respondent Person0" in body  # the activity entry naming them
    assert "Respondent Person1" not in body  # nobody else's
    for level in (2, 3, 4):
        assert body.count(f"<h{level}") == body.count(f"</h{level}>"), f"h{level} unbalanced"
    assert ActivityLog.objects.filter(place=place, verb="personal-data-searched").count() == 1
    # The log never holds the address that was searched for.
    assert not ActivityLog.objects.filter(
        verb__startswith="personal-data", description__icontains="person0"
    ).exists()
    # Session, user, membership, then a fixed number for the search however much is found.
    with django_assert_num_queries(10):
        client.post(url(place), {"email": EMAIL, "action": "find"})
    with django_assert_num_queries(3):
        client.get(url(place))


def test_exports_as_json_and_as_a_readable_page(closed_round):
    place, lead = closed_round["place"], closed_round["lead"]
    client = client_for(lead)
    as_json = client.post(url(place), {"email": EMAIL, "action": "json"})
    assert as_json["Content-Disposition"].startswith("attachment;")
    assert as_json["Cache-Control"] == "private, no-store"
    data = json.loads(as_json.content)
    assert data["email"] == EMAIL
    [invitation] = data["invitations"]
    assert invitation["name"] == "Respondent Person0"
    assert [a["score"] for a in invitation["answers"]] == [2, 3, None]
    assert invitation["answers"][2]["dont_know"] is True
    as_html = client.post(url(place), {"email": EMAIL, "action": "html"})
    assert as_html["Content-Type"].startswith("text/html")
    assert b"<h1>Personal data held by Ninefold</h1>" in as_html.content
    assert b"Respondent Person0" in as_html.content
    assert ActivityLog.objects.filter(place=place, verb="personal-data-exported").count() == 2


def test_bad_address_gets_a_message_and_changes_nothing(closed_round):
    place, lead = closed_round["place"], closed_round["lead"]
    before = Invitation.objects.count()
    page = client_for(lead).post(url(place), {"email": "not an address", "action": "erase"})
    assert page.status_code == 200
    assert b"Enter an email address like name@example.org" in page.content
    assert b'value="not an address"' in page.content  # what was typed is kept
    assert Invitation.objects.count() == before


def test_erasing_needs_the_box_ticked(closed_round):
    place, lead = closed_round["place"], closed_round["lead"]
    page = client_for(lead).post(url(place), {"email": EMAIL, "action": "erase"})
    assert b"Tick the box to confirm the request before erasing." in page.content
    assert Invitation.objects.filter(email=EMAIL).exists()


def test_erasure_removes_the_person_and_the_closed_round_says_its_figures_changed(closed_round):
    place, lead, round_ = closed_round["place"], closed_round["lead"], closed_round["round"]
    place_invitation_create(place=place, actor=lead, email=EMAIL, role=Role.BOARD)
    before = aggregation.round_summary(round_, audience=aggregation.LEAD)
    client = client_for(lead)
    dashboard_url = reverse("reports:dashboard", args=[place.slug, round_.pk])
    assert b"asked for their answers to be erased" not in client.get(dashboard_url).content
    done = client.post(url(place), {"email": EMAIL, "action": "erase", "confirm_erase": "on"})
    assert done.status_code == 302
    assert where_in_database([EMAIL, "Respondent Person0"]) == []
    assert (
        Response.objects.count() == 6
        and not Rating.objects.filter(evidence__contains="Ann at the council").exists()
    )
    assert not PlaceInvitation.objects.filter(email=EMAIL).exists()
    round_.refresh_from_db()
    assert round_.figures_changed_at is not None
    after = aggregation.round_summary(round_, audience=aggregation.LEAD)
    assert after.response_rate.people_submitted == before.response_rate.people_submitted - 1
    entry = ActivityLog.objects.get(place=place, verb="personal-data-erased")
    assert "one person" in entry.description and round_.name in entry.description
    dashboard = client.get(dashboard_url)
    assert b"because a person asked for their answers to be erased" in dashboard.content
    from reports.pdf import round_report_html

    assert "because a person asked for their answers to be erased" in round_report_html(round_)
    # Everyone else is as they were.
    assert Invitation.objects.filter(round=round_).count() == len(closed_round["people"]) - 1
    assert Invitation.objects.filter(name="Respondent Person1").exists()


def test_erasure_in_an_open_round_leaves_no_notice(closed_round):
    place, lead = closed_round["place"], closed_round["lead"]
    open_round = RoundFactory(place=place)
    invitation = invitation_create(
        round=open_round,
        actor=lead,
        name="Open Person",
        email="open.person@council.example",
        partner=closed_round["partners"][0],
        perspective="manager",
    )
    answer_as(invitation, {"A": 3}, "")
    client_for(lead).post(
        url(place),
        {"email": "open.person@council.example", "action": "erase", "confirm_erase": "on"},
    )
    open_round.refresh_from_db()
    assert open_round.figures_changed_at is None
    assert not Invitation.objects.filter(pk=invitation.pk).exists()


def test_a_lead_never_sees_or_erases_another_places_data(closed_round):
    other_lead = MembershipFactory(place=PlaceFactory(), role=Role.LEAD)
    client = client_for(other_lead.user)
    mine = url(other_lead.place)
    found = client.post(mine, {"email": EMAIL, "action": "find"})
    assert b"Nothing is held about this address" in found.content
    assert b"Respondent Person0" not in found.content
    client.post(mine, {"email": EMAIL, "action": "erase", "confirm_erase": "on"})
    assert Invitation.objects.filter(email=EMAIL).exists()
    # The victim place's own page is a 404 for them; for its facilitator a 403.
    assert client.get(url(closed_round["place"])).status_code == 404
    facilitator = MembershipFactory(place=closed_round["place"], role=Role.FACILITATOR).user
    assert client_for(facilitator).get(url(closed_round["place"])).status_code == 403


def test_an_account_is_shown_to_a_lead_only_when_it_belongs_to_their_place(closed_round):
    place = closed_round["place"]
    outsider = UserFactory(email="someone@elsewhere.example")
    client = client_for(closed_round["lead"])
    found = client.post(url(place), {"email": outsider.email, "action": "find"})
    assert b"Account made" not in found.content
    MembershipFactory(place=place, user=outsider, role=Role.BOARD)
    found = client.post(url(place), {"email": outsider.email, "action": "find"})
    assert b"Account made" in found.content and b"Board member of" in found.content


def test_a_site_administrator_searches_and_erases_across_places(closed_round):
    other = PlaceFactory()
    other_round = RoundFactory(place=other)
    invitation_create(
        round=other_round,
        actor=None,
        name="Same Person Elsewhere",
        email=EMAIL,
        partner=PartnerFactory(place=other),
        perspective="manager",
    )
    admin = UserFactory(is_staff=True)
    client = client_for(admin)
    site = reverse("privacy:site_requests")
    found = client.post(site, {"email": EMAIL, "action": "find"})
    assert b"Respondent Person0" in found.content and b"Same Person Elsewhere" in found.content
    # Logged in both places concerned.
    assert ActivityLog.objects.filter(verb="personal-data-searched").count() == 2
    client.post(site, {"email": EMAIL, "action": "erase", "confirm_erase": "on"})
    assert not Invitation.objects.filter(Q(email=EMAIL) | Q(name__startswith="Same")).exists()
    assert ActivityLog.objects.filter(verb="personal-data-erased").count() == 2
    # A lead is refused the site-wide page.
    assert client_for(closed_round["lead"]).get(site).status_code == 403
