"""The consent and networks pages cost a pinned number of queries, however many networks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from networks.models import Network, NetworkPlace
from tests.factories import PlaceFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


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
    url = reverse("networks:place_networks", args=[place.slug])
    with django_assert_num_queries(4):  # session, user, membership with place, requests
        response = client.get(url)
    assert response.content.decode().count("<h2") >= networks


@pytest.mark.parametrize("networks", [1, 4])
def test_a_refused_consent_costs_the_same_however_many_networks_ask(
    place, lead, networks, django_assert_num_queries
):
    _asked_by(place, networks)
    client = client_for(lead)
    url = reverse("networks:consent", args=[place.slug, "network-0"])
    # session, user, membership with place, the network's request, every request again
    with django_assert_num_queries(5):
        response = client.post(url, {"network-0-named": "on"})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not NetworkPlace.objects.filter(consented_at__isnull=False).exists()


def test_a_consent_given_costs_a_pinned_number_of_queries(place, lead, django_assert_num_queries):
    _asked_by(place, 1)
    client = client_for(lead)
    url = reverse("networks:consent", args=[place.slug, "network-0"])
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
        html = client.get(reverse("networks:networks")).content.decode()
    assert html.count("Viewed ") >= networks
