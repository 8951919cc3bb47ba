import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from assessments.models import Invitation, Rating, Response, Round
from places.models import Membership, Partner, Place
from workshop.models import Action, AgreedView, Network, NetworkPlace
from workshop.selectors import actions_carried_into, network_comparison

pytestmark = pytest.mark.django_db

MODELS = [
    Place,
    Partner,
    Membership,
    User,
    Round,
    Invitation,
    Response,
    Rating,
    AgreedView,
    Action,
    Network,
    NetworkPlace,
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_extras_twice_leaves_the_same_counts(capsys):
    call_command("demo_extras")  # runs the demo first when it is missing
    first = counts()
    call_command("demo_extras")
    assert counts() == first
    assert "network@example.org" in capsys.readouterr().out


def test_demo_extras_shows_a_past_workshop_carried_into_the_open_round():
    call_command("demo_extras")
    place = Place.objects.get(slug="harrowdene")
    past = place.rounds.get(name="Autumn 2025 review")
    assert AgreedView.objects.filter(round=past, disagree=True).exists()
    assert AgreedView.objects.filter(round=past, level__isnull=False).exists()
    open_round = place.rounds.get(state="open")
    statuses = {a.status for a in actions_carried_into(open_round)}
    assert {"done", "open"} <= statuses


def test_demo_network_shares_one_named_and_one_anonymous_place():
    call_command("demo_extras")
    network = Network.objects.get(name="Vale Integrated Care System")
    labels = sorted(p.label for p in network_comparison(network).places)
    assert labels == ["Kelsey Vale", "Place A"]
    assert network.memberships.filter(consent_share=False).count() == 2  # Marlow Fen, Harrowdene
    client = Client()
    client.post(
        reverse("accounts:login"),
        {"username": "network@example.org", "password": "harrowdene-demo"},
    )
    html = client.get(reverse("workshop:comparison", args=[network.slug])).content.decode()
    assert "Kelsey Vale" in html and "Place A" in html
    assert "Ashbrook" not in html and "Marlow Fen" not in html and "Harrowdene" not in html
