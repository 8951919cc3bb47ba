import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from assessments.models import Invitation, Rating, Response, Round
from networks.models import Network, NetworkPlace
from networks.selectors import network_comparison
from places.models import Membership, Partner, Place
from workshop.models import Action, AgreedView
from workshop.selectors import actions_carried_into

pytestmark = pytest.mark.django_db

# Tests that only read what the demo built share one load (``demo_extras_for_module``); the
# ones that run the command twice to prove it idempotent run it themselves.

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


def test_demo_extras_shows_a_past_workshop_carried_into_the_open_round(demo_extras_for_module):
    place = Place.objects.get(slug="harrowdene")
    past = place.rounds.get(name="Autumn 2025 review")
    assert AgreedView.objects.filter(round=past, disagree=True).exists()
    assert AgreedView.objects.filter(round=past, level__isnull=False).exists()
    open_round = place.rounds.get(state="open")
    statuses = {a.status for a in actions_carried_into(open_round)}
    assert {"done", "open"} <= statuses


def test_demo_network_shares_one_named_and_one_anonymous_place(demo_extras_for_module):
    network = Network.objects.get(name="Vale Integrated Care System")
    labels = sorted(p.label for p in network_comparison(network).places)
    assert labels == ["Kelsey Vale", "Place A"]
    assert network.memberships.filter(consent_share=False).count() == 2  # Marlow Fen, Harrowdene
    client = Client()
    client.post(
        reverse("accounts:login"),
        {"username": "network@example.org", "password": "harrowdene-demo"},
    )
    html = client.get(reverse("networks:comparison", args=[network.slug])).content.decode()
    assert "Kelsey Vale" in html and "Place A" in html
    assert "Ashbrook" not in html and "Marlow Fen" not in html and "Harrowdene" not in html


def test_demo_extras_twice_keeps_one_local_framework_and_the_same_lived_experience_answers():
    from preconditions.models import Framework, Precondition

    call_command("demo_extras")
    first = (Framework.objects.count(), Precondition.objects.count(), Rating.objects.count())
    call_command("demo_extras")
    assert (Framework.objects.count(), Precondition.objects.count(), Rating.objects.count()) == (
        first
    )


def test_demo_harrowdene_open_round_shows_the_lived_experience_gap(
    demo_extras_for_module, settings, client
):
    from reports.aggregation import lived_experience_gap

    open_round = Place.objects.get(slug="harrowdene").rounds.get(state="open")
    gap = lived_experience_gap(open_round)
    assert not gap.hidden
    assert gap.lived_respondents >= settings.NINEFOLD_MIN_GROUP_SIZE
    b = next(i for i in gap.items if i.code == "B")
    assert b.gap < 0  # people with lived experience see B as less present
    # The printed easy-read link opens the easy-read form of a lived-experience invitation.
    page = client.get("/r/demo-lived-experience-easy-read-harrowdene/").content.decode()
    assert "You are reading the easy-read version" in page


def test_demo_marlow_fen_has_a_round_on_a_local_framework_of_eleven(demo_extras_for_module, client):
    round_ = Round.objects.get(place__slug="marlow-fen", name="Autumn 2026 local check-in")
    assert round_.framework.name == "Marlow Fen local version of the nine"
    assert round_.framework.preconditions.count() == 11
    assert Rating.objects.filter(
        response__invitation__round=round_, precondition__code="K"
    ).exists()
    lead = User.objects.get(email="lead.marlow-fen@example.org")
    client.force_login(lead)
    html = client.get(reverse("reports:dashboard", args=["marlow-fen", round_.pk])).content.decode()
    assert "Help reaches people without a car" in html and "Our fens" in html
