"""Who may use each lead tool: anonymous → sign in, outsiders → 404, wrong role → 403."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from places import services
from places.models import Role
from tests.factories import MembershipFactory, PartnerFactory, PlaceFactory, RatingFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(place, lead):
    board_member = MembershipFactory(place=place, role=Role.BOARD)
    invitation = services.place_invitation_create(
        place=place, actor=lead, email="invitee@example.org", role=Role.BOARD
    )
    return {
        "partner": PartnerFactory(place=place),
        "membership": board_member,
        "invitation": invitation,
        "rating": RatingFactory(response__invitation__round__place=place, evidence="A note"),
    }


# (url name, method, which object id the URL takes, status for a lead of this place)
LEAD_VIEWS = [
    ("places:edit", "get", None, 200),
    ("places:edit", "post", None, 302),
    ("places:partners", "get", None, 200),
    ("places:partners", "post", None, 302),
    ("places:partners_bulk", "get", None, 200),
    ("places:partners_bulk", "post", None, 302),
    ("places:partner_edit", "get", "partner", 200),
    ("places:partner_edit", "post", "partner", 302),
    ("places:partner_archive", "post", "partner", 302),
    ("places:partner_restore", "post", "partner", 302),
    ("places:people", "get", None, 200),
    ("places:people", "post", None, 302),
    ("places:member_role", "post", "membership", 302),
    ("places:member_remove", "post", "membership", 302),
    ("places:invitation_resend", "post", "invitation", 302),
    ("places:invitation_revoke", "post", "invitation", 302),
    ("places:activity", "get", None, 200),
    ("privacy:place_requests", "get", None, 200),
    ("privacy:place_requests", "post", None, 200),
    ("privacy:redact_note", "get", "rating", 200),
    ("privacy:redact_note", "post", "rating", 302),
]

POST_DATA = {
    "places:edit": {"name": "Renamed place", "description": "", "retention_months": "12"},
    "places:partners": {"name": "New partner", "sector": "nhs"},
    "places:partner_edit": {"name": "Renamed partner", "sector": "housing"},
    "places:partners_bulk": {"text": "Listed partner,nhs"},
    "places:people": {"email": "colleague@example.org", "role": "board"},
    "places:member_role": {"role": "facilitator"},
    "privacy:place_requests": {"email": "invitee@example.org", "action": "find"},
}


def url_for(name: str, place, key: str | None, objects) -> str:
    args = [place.slug] if key is None else [place.slug, objects[key].pk]
    return reverse(name, args=args)


def call(client: Client, method: str, url: str, name: str):
    if method == "get":
        return client.get(url)
    return client.post(url, POST_DATA.get(name, {}))


@pytest.mark.parametrize(("name", "method", "key", "lead_status"), LEAD_VIEWS)
def test_lead_of_this_place_may(name, method, key, lead_status, place, lead, objects):
    response = call(client_for(lead), method, url_for(name, place, key, objects), name)
    assert response.status_code == lead_status


@pytest.mark.parametrize(("name", "method", "key", "lead_status"), LEAD_VIEWS)
@pytest.mark.parametrize("role", [Role.BOARD, Role.FACILITATOR])
def test_board_members_and_facilitators_get_403(
    name, method, key, lead_status, role, place, objects
):
    member = MembershipFactory(place=place, role=role).user
    response = call(client_for(member), method, url_for(name, place, key, objects), name)
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "method", "key", "lead_status"), LEAD_VIEWS)
def test_lead_of_another_place_gets_404(name, method, key, lead_status, place, outsider, objects):
    response = call(client_for(outsider), method, url_for(name, place, key, objects), name)
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "method", "key", "lead_status"), LEAD_VIEWS)
def test_anonymous_is_sent_to_sign_in(name, method, key, lead_status, place, objects):
    response = call(client_for(None), method, url_for(name, place, key, objects), name)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("places:partner_edit", "partner"),
        ("places:partner_archive", "partner"),
        ("places:partner_restore", "partner"),
        ("places:member_role", "membership"),
        ("places:member_remove", "membership"),
        ("places:invitation_resend", "invitation"),
        ("places:invitation_revoke", "invitation"),
    ],
)
def test_another_places_object_under_my_place_is_404_and_untouched(name, key, place, lead):
    other_place = PlaceFactory()
    other_lead = MembershipFactory(place=other_place, role=Role.LEAD).user
    foreign = {
        "partner": PartnerFactory(place=other_place),
        "membership": MembershipFactory(place=other_place, role=Role.BOARD),
        "invitation": services.place_invitation_create(
            place=other_place, actor=other_lead, email="far@example.org", role=Role.BOARD
        ),
    }
    response = client_for(lead).post(
        reverse(name, args=[place.slug, foreign[key].pk]), POST_DATA.get(name, {})
    )
    assert response.status_code == 404
    foreign[key].refresh_from_db()
    if key == "partner":
        assert foreign[key].archived_at is None
        assert foreign[key].name != "Renamed partner"
    if key == "membership":
        assert foreign[key].role == Role.BOARD
    if key == "invitation":
        assert foreign[key].is_pending


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("places:partner_archive", "partner"),
        ("places:member_remove", "membership"),
        ("places:invitation_revoke", "invitation"),
    ],
)
def test_changing_views_refuse_get(name, key, place, lead, objects):
    response = client_for(lead).get(url_for(name, place, key, objects))
    assert response.status_code == 405


def test_creating_a_place_is_for_those_the_setting_allows(user, settings):
    # Who else may (staff, invited leads) is pinned in test_lead_invitations.py.
    url = reverse("places:create")
    assert client_for(None).get(url)["Location"].startswith(reverse("accounts:login"))
    assert client_for(user).get(url).status_code == 403
    settings.PLACE_CREATORS = "anyone"
    assert client_for(user).get(url).status_code == 200


@pytest.mark.parametrize("role", [Role.BOARD, Role.FACILITATOR])
def test_the_place_page_shows_lead_tools_only_to_leads(role, place, lead):
    url = reverse("places:detail", args=[place.slug])
    tools = reverse("places:people", args=[place.slug])
    assert tools in client_for(lead).get(url).content.decode()
    member = MembershipFactory(place=place, role=role).user
    assert tools not in client_for(member).get(url).content.decode()
