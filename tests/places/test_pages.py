import pytest
from django.test import Client
from django.urls import reverse

from places.models import Role
from tests.factories import MembershipFactory, PlaceFactory, RoundFactory

pytestmark = pytest.mark.django_db


def test_home_lists_only_the_users_own_places_with_role(client: Client):
    mine = MembershipFactory(place=PlaceFactory(name="Eastbrook"), role=Role.BOARD)
    MembershipFactory(user=mine.user, place=PlaceFactory(name="Westmere"), role=Role.LEAD)
    PlaceFactory(name="Northholt Secret Place")
    client.force_login(mine.user)

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Eastbrook" in html and "Westmere" in html
    assert "Board member" in html and "Partnership lead" in html
    assert "Northholt Secret Place" not in html


def test_home_for_anonymous_invites_sign_in_and_lists_no_places(client: Client):
    PlaceFactory(name="Hidden Vale")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Sign in" in response.content.decode()
    assert "Hidden Vale" not in response.content.decode()


def test_about_page_lists_nine_by_group_with_credit(client: Client):
    response = client.get(reverse("about"))
    html = response.content.decode()
    assert response.status_code == 200
    vision = html.index(">Vision<")
    behaviours = html.index(">Behaviours<")
    assert vision < html.index("Beneficiary impact over organisation focus") < behaviours
    assert behaviours < html.index("Able to let go: act as a platform for innovation")
    assert "Collaborate CIC" in html and "Lankelly Chase" in html
    assert html.count("<dt>") >= 9 + 5


def test_place_page_shows_rounds_to_a_member(client: Client):
    membership = MembershipFactory(role=Role.FACILITATOR)
    RoundFactory(place=membership.place, name="Winter listening round")
    client.force_login(membership.user)
    response = client.get(reverse("places:detail", args=[membership.place.slug]))
    assert response.status_code == 200
    assert "Winter listening round" in response.content.decode()


def test_place_page_is_404_for_a_member_of_another_place(client: Client, outsider):
    place = PlaceFactory()
    RoundFactory(place=place, name="Confidential round")
    client.force_login(outsider)
    response = client.get(reverse("places:detail", args=[place.slug]))
    assert response.status_code == 404
    assert "Confidential round" not in response.content.decode()


def test_place_page_sends_anonymous_to_sign_in(client: Client):
    place = PlaceFactory()
    response = client.get(reverse("places:detail", args=[place.slug]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_sign_in_with_email_lands_on_home_with_places(client: Client):
    membership = MembershipFactory(place=PlaceFactory(name="Kestrel Bay"))
    response = client.post(
        reverse("accounts:login"),
        {"username": membership.user.email, "password": "correct-horse-battery"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Kestrel Bay" in response.content.decode()


def test_sign_in_with_wrong_password_says_so_and_keeps_email(client: Client):
    membership = MembershipFactory()
    response = client.post(
        reverse("accounts:login"),
        {"username": membership.user.email, "password": "wrong"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "do not match an account" in html
    assert membership.user.email in html


def test_place_page_query_count_does_not_grow_with_rounds(
    client: Client, django_assert_num_queries
):
    membership = MembershipFactory()
    client.force_login(membership.user)
    url = reverse("places:detail", args=[membership.place.slug])
    RoundFactory(place=membership.place)
    client.get(url)
    with django_assert_num_queries(5):
        client.get(url)
    for _ in range(4):
        RoundFactory(place=membership.place)
    with django_assert_num_queries(5):
        client.get(url)
