"""Every URL in the URLconf, requested by people outside a place with that place's real ids.

The patterns are read from the URLconf, so a new URL is covered the day it is added. Each path
parameter is filled from ``victim_values`` (by name); a parameter the map cannot fill fails the
test loudly: add its name there. Nobody outside the victim place may ever get a 200 that shows
the victim's data, whether by GET or POST, and POSTs must change nothing.

Respondent tokens are credentials, not ids: a person holding the real token is meant to see the
form. So ``token`` is filled with a near miss of the victim's token and with its stored hash.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments.models import Invitation, Rating, Response, Round
from networks.models import Network, NetworkPlace
from places.models import Membership, Partner, Place, PlaceInvitation, Role
from places.services import place_invitation_create
from preconditions.models import Precondition
from reports.models import KeyMessages
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    PartnerFactory,
    PlaceFactory,
    RatingFactory,
    ResponseFactory,
    RoundFactory,
)
from workshop.models import Action, AgreedView

pytestmark = pytest.mark.django_db

VICTIM_MARKERS = [
    "Victimville Confidential Partnership",
    "Victimville Housing Trust",
    "Victimville spring round",
    "Valentina Victimson",
    "valentina.victimson@victimville.example",
    "evidence-only-victimville-knows",
    "victimville-secret-action",
    "Victimville Network of Places",
    "victimville-key-message-for-the-board",
]
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    template: str  # e.g. "places/<slug:slug>/rounds/<int:round_id>/"
    name: str
    is_admin: bool

    @property
    def params(self) -> list[str]:
        return [m.group("name") for m in _PARAM.finditer(self.template)]


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, prefix: str, namespace: str, in_admin: bool) -> None:
        for p in patterns:
            piece = str(p.pattern)
            if isinstance(p, URLResolver):
                ns = ":".join(filter(None, [namespace, p.namespace]))
                walk(p.url_patterns, prefix + piece, ns, in_admin or p.namespace == "admin")
            elif isinstance(p, URLPattern):
                routes.append(
                    Route(
                        prefix + piece, ":".join(filter(None, [namespace, p.name or "?"])), in_admin
                    )
                )

    walk(get_resolver().url_patterns, "", "", False)
    return routes


@pytest.fixture
def victim():
    place = PlaceFactory(name=VICTIM_MARKERS[0], slug="victimville")
    lead = MembershipFactory(place=place, role=Role.LEAD)
    partner = PartnerFactory(place=place, name=VICTIM_MARKERS[1])
    round_ = RoundFactory(place=place, name=VICTIM_MARKERS[2])
    invitation = InvitationFactory(
        round=round_, partner=partner, name=VICTIM_MARKERS[3], email=VICTIM_MARKERS[4]
    )
    response = ResponseFactory(invitation=invitation)
    rating = RatingFactory(response=response, evidence=VICTIM_MARKERS[5])
    # Workshop and network objects of the victim place: an action, an agreed view, a network
    # the place shares with (named), and a colleague invitation into the place.
    action = Action.objects.create(
        place=place,
        round=round_,
        what=VICTIM_MARKERS[6],
        owner=partner,
        due_on=round_.closes_on,
    )
    AgreedView.objects.create(
        round=round_, precondition=rating.precondition, level=3, reasons=VICTIM_MARKERS[6]
    )
    KeyMessages.objects.create(round=round_, summary=VICTIM_MARKERS[8], saved_by=lead.user)
    network = Network.objects.create(name=VICTIM_MARKERS[7], slug="victim-network")
    NetworkPlace.objects.create(
        network=network, place=place, consent_share=True, consent_named=True
    )
    colleague = place_invitation_create(
        place=place, actor=lead.user, email="colleague@victimville.example", role=Role.BOARD
    )
    return {
        "place": place,
        "lead": lead,
        "partner": partner,
        "round": round_,
        "invitation": invitation,
        "response": response,
        "rating": rating,
        "action": action,
        "network": network,
        "colleague_invitation": colleague,
    }


def victim_values(victim) -> dict[str, list[str]]:
    """Candidate values for each path parameter name (generous: other helpers add URLs)."""
    place, round_, partner = victim["place"], victim["round"], victim["partner"]
    invitation, response, rating = victim["invitation"], victim["response"], victim["rating"]
    membership = victim["lead"]
    token = invitation.token
    near_miss = token[:-1] + ("A" if token[-1] != "A" else "B")
    every_id = sorted(
        {str(o.pk) for o in (place, round_, partner, invitation, response, rating, membership)}
    )
    values = {
        "slug": [place.slug],
        "place_slug": [place.slug],
        "place": [place.slug],
        "round_id": [str(round_.pk)],
        "round_pk": [str(round_.pk)],
        "round": [str(round_.pk)],
        "partner_id": [str(partner.pk)],
        "partner_pk": [str(partner.pk)],
        "invitation_id": [str(invitation.pk), str(victim["colleague_invitation"].pk)],
        "action_id": [str(victim["action"].pk)],
        "network_slug": [victim["network"].slug],
        "invitation_pk": [str(invitation.pk)],
        "response_id": [str(response.pk)],
        "response_pk": [str(response.pk)],
        "rating_id": [str(rating.pk)],
        "membership_id": [str(membership.pk)],
        "membership_pk": [str(membership.pk)],
        "member_id": [str(membership.pk)],
        "user_id": [str(membership.user_id)],
        "pk": every_id,
        "id": every_id,
        "token": [near_miss, invitation.token_hash],
        "uidb64": [urlsafe_base64_encode(force_bytes(membership.user_id))],
        "code": [Precondition.objects.filter(framework=round_.framework).first().code],
        "precondition_code": [Precondition.objects.filter(framework=round_.framework).first().code],
        "format": ["csv", "pdf", "json", "xlsx"],
        "kind": ["csv", "pdf"],
    }
    return values


def fill(route: Route, values: dict[str, list[str]]) -> list[str]:
    unknown = [p for p in route.params if p not in values]
    if unknown:
        pytest.fail(
            f"URL {route.name!r} ({route.template}) has parameter(s) {unknown} that "
            "tests/security/test_url_access.py cannot fill: add them to victim_values().",
            pytrace=False,
        )
    if "^" in route.template or "(?P<" in route.template:
        pytest.fail(f"URL {route.name!r} uses a regular expression: use path() instead.")
    urls = []
    for combo in itertools.product(*(values[p] for p in route.params)):
        url, params = route.template, dict(zip(route.params, combo, strict=True))
        url = _PARAM.sub(lambda m, params=params: params[m.group("name")], url)
        urls.append("/" + url)
    return urls


def victim_state(victim) -> tuple:
    """Everything an attacker's POST might change, to prove it changed nothing."""
    place = victim["place"]
    return (
        tuple(Place.objects.filter(pk=place.pk).values_list()),
        tuple(Partner.objects.filter(place=place).order_by("pk").values_list()),
        tuple(Round.objects.filter(place=place).order_by("pk").values_list()),
        tuple(Invitation.objects.filter(round__place=place).order_by("pk").values_list()),
        tuple(Response.objects.filter(invitation__round__place=place).order_by("pk").values_list()),
        tuple(Rating.objects.filter(response__invitation__round__place=place).values_list()),
        tuple(Membership.objects.filter(place=place).order_by("pk").values_list()),
        tuple(Action.objects.filter(place=place).order_by("pk").values_list()),
        tuple(AgreedView.objects.filter(round__place=place).order_by("pk").values_list()),
        tuple(KeyMessages.objects.filter(round__place=place).order_by("pk").values_list()),
        tuple(NetworkPlace.objects.filter(place=place).order_by("pk").values_list()),
        tuple(PlaceInvitation.objects.filter(place=place).order_by("pk").values_list()),
    )


def attackers() -> dict[str, Callable[[], Client]]:
    """Ways to get a fresh client for each outsider (a request may sign a client out)."""
    other_place = PlaceFactory(name="Elsewhere")
    makers: dict[str, Callable[[], Client]] = {"anonymous": Client}
    for role in (Role.LEAD, Role.FACILITATOR, Role.BOARD):
        user = MembershipFactory(place=other_place, role=role).user
        makers[f"{role} of another place"] = functools.partial(signed_in, user)
    # A respondent of another place's round, holding their own personal link.
    own = InvitationFactory(round=RoundFactory(place=other_place))

    def respondent() -> Client:
        client = Client()
        client.get(f"/r/{own.token}/")
        return client

    makers["respondent of another round"] = respondent
    return makers


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def leaks(response) -> list[str]:
    if response.status_code != 200:
        return []
    body = b"".join(response) if response.streaming else response.content
    return [m for m in VICTIM_MARKERS if m.encode() in body]


def test_the_urlconf_is_walked_including_included_apps():
    names = {r.name for r in all_routes()}
    assert {"home", "about", "places:detail", "assessments:respond"} <= names
    assert any(r.is_admin for r in all_routes())


def test_no_url_shows_another_places_data_to_outsiders(victim):
    values = victim_values(victim)
    before = victim_state(victim)
    clients = attackers()
    checked, problems = 0, []
    for route in all_routes():
        if route.is_admin:
            continue
        for url in fill(route, values):
            for who, make_client in clients.items():
                for method in ("get", "post"):
                    response = getattr(make_client(), method)(url)
                    checked += 1
                    found = leaks(response)
                    if found:
                        problems.append(f"{method.upper()} {url} as {who}: shows {found}")
                    if response.status_code >= 500:
                        problems.append(f"{method.upper()} {url} as {who}: {response.status_code}")
    assert not problems, "\n".join(problems)
    assert checked >= 20
    assert victim_state(victim) == before, "a request from outside changed the victim's data"


def test_the_victims_own_lead_does_see_the_place(victim):
    """The check above can fail: the same data is visible to someone who belongs."""
    client = Client()
    client.force_login(victim["lead"].user)
    response = client.get(f"/places/{victim['place'].slug}/")
    assert response.status_code == 200
    assert leaks(response)


def test_a_board_member_of_the_place_gets_the_round_pdf_but_not_the_raw_data(victim, monkeypatch):
    """Decision 0032: the round's PDF is the board paper; the comparison, the export page and
    the exports stay with facilitators and leads."""
    from reports import pdf

    monkeypatch.setattr(pdf, "render_pdf", lambda html, **kw: b"%PDF-1.7 fake")
    board = MembershipFactory(place=victim["place"], role=Role.BOARD).user
    base = f"/places/{victim['place'].slug}/rounds/{victim['round'].pk}/"
    client = signed_in(board)
    assert client.get(base + "report.pdf").status_code == 200
    for path in (
        base + "export/",
        base + "ratings.csv",
        base + "summary.csv",
        base + "key-messages/",
    ):
        assert client.get(path).status_code == 403, path
    assert client.get(f"/places/{victim['place'].slug}/comparison.pdf").status_code == 403


# What each role of the place gets from the round's report pages (decision 0032): the PDF
# is for everyone, the key messages for facilitators and leads, the raw data for leads only.
ROLE_STATUS = {
    "report.pdf": {Role.LEAD: 200, Role.FACILITATOR: 200, Role.BOARD: 200},
    "dashboard/": {Role.LEAD: 200, Role.FACILITATOR: 200, Role.BOARD: 200},
    "key-messages/": {Role.LEAD: 200, Role.FACILITATOR: 200, Role.BOARD: 403},
    "export/": {Role.LEAD: 200, Role.FACILITATOR: 200, Role.BOARD: 403},
    "summary.csv": {Role.LEAD: 200, Role.FACILITATOR: 200, Role.BOARD: 403},
    "ratings.csv": {Role.LEAD: 200, Role.FACILITATOR: 403, Role.BOARD: 403},
    "ratings.xlsx": {Role.LEAD: 200, Role.FACILITATOR: 403, Role.BOARD: 403},
}


@pytest.mark.parametrize("role", [Role.LEAD, Role.FACILITATOR, Role.BOARD])
def test_each_role_of_the_place_gets_the_round_pages_its_role_allows(victim, monkeypatch, role):
    from reports import pdf

    monkeypatch.setattr(pdf, "render_pdf", lambda html, **kw: b"%PDF-1.7 fake")
    client = signed_in(MembershipFactory(place=victim["place"], role=role).user)
    base = f"/places/{victim['place'].slug}/rounds/{victim['round'].pk}/"
    got = {path: client.get(base + path).status_code for path in ROLE_STATUS}
    assert got == {path: statuses[role] for path, statuses in ROLE_STATUS.items()}
    # Saving, finalising and reopening key messages: the same roles as the page.
    allowed = ROLE_STATUS["key-messages/"][role] == 200
    for path in ("key-messages/final/", "key-messages/reopen/"):
        status = client.post(base + path, {"revision": "0"}).status_code
        assert (status == 403) is not allowed, (path, status)


@pytest.mark.parametrize("path", ["/admin/", "/admin/places/place/", "/admin/auth/group/"])
def test_admin_sends_non_staff_to_the_admin_sign_in(victim, path):
    for who, make_client in attackers().items():
        response = make_client().get(path)
        assert response.status_code == 302, who
        assert response["Location"].startswith("/admin/login/"), who


def test_admin_object_pages_redirect_non_staff_for_every_admin_url(victim):
    values = victim_values(victim)
    values.update({"object_id": [str(victim["place"].pk)], "app_label": ["places"]})
    make_lead = attackers()["lead of another place"]
    for route in all_routes():
        if not route.is_admin or "(?P<" in route.template or "^" in route.template:
            continue
        if any(p not in values for p in route.params):
            continue
        for url in fill(route, values):
            response = make_lead().get(url)
            assert not leaks(response), url
            if route.name in {"admin:login", "admin:logout"}:
                continue  # the admin's own sign-in form, and signing out
            assert response.status_code in (302, 404, 405), f"{url}: {response.status_code}"
            if response.status_code == 302:
                assert "/admin/login/" in response["Location"], url


def test_every_post_is_refused_without_a_csrf_token(victim):
    values = victim_values(victim)
    other_lead = MembershipFactory(place=PlaceFactory(name="Elsewhere again"), role=Role.LEAD).user
    clients = {
        "anonymous": functools.partial(Client, enforce_csrf_checks=True),
        "lead of another place": functools.partial(signed_in, other_lead, enforce_csrf_checks=True),
        "the place's own lead": functools.partial(
            signed_in, victim["lead"].user, enforce_csrf_checks=True
        ),
    }
    problems = []
    for route in all_routes():
        if route.is_admin:
            continue
        for url in fill(route, values)[:2]:
            for who, make_client in clients.items():
                response = make_client().post(url, {"anything": "x"})
                if (
                    response.status_code != 403
                    or b"Your form could not be accepted" not in response.content
                ):
                    problems.append(f"POST {url} as {who}: {response.status_code}")
    assert not problems, "views accepting POST without CSRF:\n" + "\n".join(problems)
