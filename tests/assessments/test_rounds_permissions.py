"""Permission matrix for every round and invitation view a lead uses.

Anonymous (and a respondent, who only ever has a personal link) is sent to sign in;
a member whose role is not allowed gets 403; a lead of another place gets 404, as do
another place's rounds and invitations reached through one's own place.
"""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Invitation, Round, RoundState
from places.models import Role
from tests.factories import InvitationFactory, MembershipFactory, RoundFactory

pytestmark = pytest.mark.django_db

# (url name, needs an invitation id, method, allowed roles)
VIEWS = [
    ("round_list", False, "get", {"lead", "facilitator", "board"}),
    ("round_create", False, "get", {"lead"}),
    ("round_create", False, "post", {"lead"}),
    ("round_detail", False, "get", {"lead"}),
    ("round_open", False, "post", {"lead"}),
    ("round_extend", False, "get", {"lead"}),
    ("round_extend", False, "post", {"lead"}),
    ("round_close", False, "get", {"lead"}),
    ("round_close", False, "post", {"lead"}),
    ("invitation_add", False, "get", {"lead"}),
    ("invitation_add", False, "post", {"lead"}),
    ("invitation_bulk", False, "get", {"lead"}),
    ("invitation_bulk", False, "post", {"lead"}),
    ("invitations_send", False, "post", {"lead"}),
    ("invitations_remind", False, "post", {"lead"}),
    ("invitation_resend", True, "post", {"lead"}),
    ("invitation_revoke", True, "post", {"lead"}),
]
PLACE_ONLY = {"round_list", "round_create"}


@pytest.fixture
def world(place):
    round_ = RoundFactory(place=place, state=RoundState.DRAFT)
    invitation = InvitationFactory(round=round_)
    other_round = RoundFactory()
    other_invitation = InvitationFactory(round=other_round)
    return round_, invitation, other_round, other_invitation


def _url(name: str, round_: Round, invitation: Invitation | None, slug: str | None = None) -> str:
    slug = slug or round_.place.slug
    if name in PLACE_ONLY:
        return reverse(f"assessments:{name}", args=[slug])
    args = [slug, round_.pk] + ([invitation.pk] if invitation is not None else [])
    return reverse(f"assessments:{name}", args=args)


def _client_for(who: str, place, respondent_token: str) -> Client:
    client = Client()
    if who == "respondent":
        client.get(reverse("assessments:respond", args=[respondent_token]))
    elif who == "other_lead":
        client.force_login(MembershipFactory(role=Role.LEAD).user)
    elif who != "anonymous":
        client.force_login(MembershipFactory(place=place, role=who).user)
    return client


@pytest.mark.parametrize(("name", "needs_invitation", "method", "allowed"), VIEWS)
@pytest.mark.parametrize(
    "who", ["anonymous", "respondent", "board", "facilitator", "lead", "other_lead"]
)
def test_permission_matrix(world, place, who, name, needs_invitation, method, allowed):
    round_, invitation, _, _ = world
    client = _client_for(who, place, invitation.token)
    url = _url(name, round_, invitation if needs_invitation else None)

    response = getattr(client, method)(url)

    if who in ("anonymous", "respondent"):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif who == "other_lead":
        assert response.status_code == 404
    elif who in allowed:
        assert response.status_code in (200, 302, 400)
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("name", "needs_invitation", "method", "allowed"),
    [view for view in VIEWS if view[0] not in PLACE_ONLY],
)
def test_another_places_round_or_invitation_through_ones_own_place_is_404(
    world, lead_client, name, needs_invitation, method, allowed
):
    round_, invitation, other_round, other_invitation = world
    # Another place's round under my place's slug.
    url = _url(name, other_round, other_invitation if needs_invitation else None, round_.place.slug)
    assert getattr(lead_client, method)(url).status_code == 404
    if needs_invitation:
        # Another place's invitation under my own round.
        url = _url(name, round_, other_invitation)
        assert getattr(lead_client, method)(url).status_code == 404


@pytest.mark.parametrize("name", ["round_open", "invitations_send", "invitations_remind"])
def test_post_only_actions_refuse_get(world, lead_client, name):
    round_, _, _, _ = world
    assert lead_client.get(_url(name, round_, None)).status_code == 405


def test_posts_without_a_csrf_token_are_refused_and_change_nothing(world, lead):
    round_, invitation, _, _ = world
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    assert client.post(_url("round_open", round_, None)).status_code == 403
    assert client.post(_url("invitation_revoke", round_, invitation)).status_code == 403
    round_.refresh_from_db()
    invitation.refresh_from_db()
    assert round_.state == RoundState.DRAFT
    assert not invitation.is_revoked
