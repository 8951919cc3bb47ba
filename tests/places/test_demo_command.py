import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from assessments.models import Invitation, Rating, Response, Round
from places.models import Membership, Partner, Place

pytestmark = pytest.mark.django_db

MODELS = [Place, Partner, Membership, User, Round, Invitation, Response, Rating]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_twice_leaves_the_same_counts(capsys):
    call_command("demo")
    first = counts()
    call_command("demo")
    assert counts() == first
    assert "lead@example.org" in capsys.readouterr().out


def test_demo_place_has_what_the_brief_asks_for():
    call_command("demo")
    place = Place.objects.get(slug="harrowdene")
    partners = place.partners.all()
    assert 10 <= partners.count() <= 14
    assert len({p.sector for p in partners}) >= 7
    assert partners.filter(archived_at__isnull=False).count() == 1
    archived = partners.get(archived_at__isnull=False)
    assert Rating.objects.filter(response__invitation__partner=archived).exists()

    rounds = place.rounds.all()
    assert sorted(r.state for r in rounds) == ["closed", "closed", "open"]
    ratings = Rating.objects.filter(response__invitation__round__place=place)
    assert ratings.filter(score__isnull=True).exists(), "some don't know"
    assert ratings.exclude(evidence="").exists()
    assert {r.score for r in ratings if r.score} == {1, 2, 3, 4, 5}
    assert Response.objects.filter(status="draft").exists()
    assert Membership.objects.filter(place=place).values("role").distinct().count() == 3


def test_demo_lead_signs_in_and_sees_the_demo_place():
    call_command("demo")
    client = Client()
    response = client.post(
        "/accounts/sign-in/",
        {"username": "lead@example.org", "password": "harrowdene-demo"},
        follow=True,
    )
    assert "Harrowdene" in response.content.decode()


def test_demo_archives_every_partner_marked_archived_wherever_it_stands(monkeypatch):
    from places import demo_content

    # Two archived partners, neither of them last in the list.
    partners = [
        (name, sector, archived or name == "Harrowdene Homes")
        for name, sector, archived in demo_content.PARTNERS
    ]
    partners.insert(2, partners.pop())
    monkeypatch.setattr(demo_content, "PARTNERS", partners)
    call_command("demo")
    place = Place.objects.get(slug="harrowdene")
    archived = set(place.partners.filter(archived_at__isnull=False).values_list("name", flat=True))
    assert archived == {"Northgate Youth Trust", "Harrowdene Homes"}
    # Archived after the rounds were made: they answered the closed rounds, not the open one.
    for name in archived:
        rounds = set(
            Invitation.objects.filter(partner__name=name).values_list("round__state", flat=True)
        )
        assert rounds == {"closed"}
