"""The presenter pages are base.html pages with the presenter's look; the consent and
networks pages, and the workshop posts the views refuse, cost a pinned number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import PlaceFactory
from tests.helpers import date_fields
from tests.workshop.conftest import as_, client_for
from workshop.models import Action, AgreedView, Network, NetworkPlace
from workshop.services import action_create

pytestmark = pytest.mark.django_db


# --- The presenter page ---------------------------------------------------------------------


@pytest.mark.parametrize("page", ["start", "step"])
def test_presenter_pages_extend_base_with_the_presenter_look(people, place, round_, page):
    args = [place.slug, round_.pk] + (["C"] if page == "step" else [])
    html = as_(people, "facilitator").get(reverse(f"workshop:{page}", args=args)).content.decode()
    # From base.html: one document, its skip link and the error summary's focus script.
    assert html.count("<!doctype html>") == 1 and html.count("<body") == 1
    assert '<a class="skip-link" href="#main">' in html
    assert "js/error-summary.js" in html
    # The presenter's own look: its bar and wide type instead of the site's header and footer.
    assert '<body class="workshop">' in html
    assert '<header class="workshop-bar">' in html and 'class="site-header' not in html
    assert '<main id="main" class="workshop-main"' in html
    assert "site-footer" not in html
    assert "css/workshop.css" in html and "js/workshop.js" in html
    assert f"· {round_.name} · Ninefold</title>" in html


# --- Refused workshop posts -----------------------------------------------------------------

# session, user, membership with place, round; then what each refusal reads to show the form
# again (or, for a status, nothing more than the action). The step's notes cost 2: the notes
# and who may be credited with them (docs/confidentiality.md).
REFUSED_VIEW_QUERIES = 22
REFUSED_ACTION_QUERIES = 21
REFUSED_STATUS_QUERIES = 4


def test_a_refused_agreed_view_costs_a_pinned_number_of_queries(
    people, place, round_, django_assert_num_queries
):
    client = as_(people, "lead")
    url = reverse("workshop:record_view", args=[place.slug, round_.pk, "C"])
    with django_assert_num_queries(REFUSED_VIEW_QUERIES):
        response = client.post(url, {"view": "disagree"})
    assert response.status_code == 200 and not AgreedView.objects.exists()


def test_a_refused_action_costs_a_pinned_number_of_queries(
    people, place, round_, django_assert_num_queries
):
    client = as_(people, "lead")
    url = reverse("workshop:add_action", args=[place.slug, round_.pk, "C"])
    with django_assert_num_queries(REFUSED_ACTION_QUERIES):
        response = client.post(url, {"what": "Keep this", **date_fields("due_on", "2027-02-31")})
    assert response.status_code == 200 and not Action.objects.exists()


def test_a_refused_status_change_costs_a_pinned_number_of_queries(
    people, place, round_, django_assert_num_queries
):
    lead = people["lead"]
    action = action_create(
        round_=round_,
        what="Share one measure",
        owner=place.partners.first(),
        due_on=dt.date(2027, 3, 31),
        preconditions=[],
        user=lead,
    )
    client = client_for(lead)
    url = reverse("workshop:action_status", args=[place.slug, action.pk])
    with django_assert_num_queries(REFUSED_STATUS_QUERIES):
        response = client.post(url, {f"action-{action.pk}-status": "not-a-status"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "open"


# --- Consent and networks pages -------------------------------------------------------------


def _asked_by(place, count: int) -> None:
    for n in range(count):
        network = Network.objects.create(name=f"Network {n}", slug=f"network-{n}")
        NetworkPlace.objects.create(network=network, place=place)


@pytest.mark.parametrize("networks", [1, 4])
def test_the_consent_page_costs_the_same_however_many_networks_ask(
    place, lead, networks, django_assert_num_queries
):
    _asked_by(place, networks)
    client = client_for(lead)
    url = reverse("workshop:place_networks", args=[place.slug])
    with django_assert_num_queries(4):  # session, user, membership with place, requests
        response = client.get(url)
    assert response.content.decode().count("<h2") >= networks


@pytest.mark.parametrize("networks", [1, 4])
def test_a_refused_consent_costs_the_same_however_many_networks_ask(
    place, lead, networks, django_assert_num_queries
):
    _asked_by(place, networks)
    client = client_for(lead)
    url = reverse("workshop:consent", args=[place.slug, "network-0"])
    # session, user, membership with place, the network's request, every request again
    with django_assert_num_queries(5):
        response = client.post(url, {"network-0-named": "on"})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not NetworkPlace.objects.filter(consented_at__isnull=False).exists()


def test_a_consent_given_costs_a_pinned_number_of_queries(place, lead, django_assert_num_queries):
    _asked_by(place, 1)
    client = client_for(lead)
    url = reverse("workshop:consent", args=[place.slug, "network-0"])
    # session, user, membership, the request; then in one transaction (savepoint pair): the
    # locked request with its place and network, full_clean's six checks, its update and
    # the activity log entry.
    with django_assert_num_queries(16):
        response = client.post(url, {"network-0-share": "on"})
    assert response.status_code == 302
    assert NetworkPlace.objects.get().consent_share


@pytest.mark.parametrize("networks", [1, 4])
def test_the_networks_page_costs_the_same_however_many_networks(
    networks, django_assert_num_queries
):
    from tests.factories import UserFactory

    viewer = UserFactory()
    for n in range(networks):
        network = Network.objects.create(name=f"Viewed {n}", slug=f"viewed-{n}")
        network.members.add(viewer)
        NetworkPlace.objects.create(network=network, place=PlaceFactory())
    client = client_for(viewer)
    with django_assert_num_queries(3):  # session, user, networks
        html = client.get(reverse("workshop:networks")).content.decode()
    assert html.count("Viewed ") >= networks
