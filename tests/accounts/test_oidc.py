"""Staff sign-in through a real OpenID Connect provider process (accounts/oidc.py)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client

from accounts.models import User
from places.models import Membership, Role
from places.services import place_invitation_create
from tests.accounts.oidc_provider import free_port, running_provider
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def sign_in_through(provider, client: Client, sub: str, *, next_url: str = "") -> object:
    """The whole round trip: start, sign in on the provider, come back to the callback."""
    start = client.get("/accounts/sso/start/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start.content[:300]
    assert start["Location"].startswith(provider.issuer)
    back = urlsplit(provider.authorize(start["Location"], sub))
    assert back.path == "/accounts/sso/callback/"
    return client.get(f"{back.path}?{back.query}")


def signed_in_user(client: Client):
    """Who the client is signed in as (reads the session without showing any message)."""
    request = HttpRequest()
    request.session = client.session
    return get_user(request)


def test_a_staff_member_signs_in_with_a_verified_address(sso):
    user = UserFactory(email="ann.lead@council.example")
    sso.set_user("ann", email="Ann.Lead@council.example", email_verified=True)
    client = Client()
    done = sign_in_through(sso, client, "ann", next_url="/about/")
    assert done.status_code == 302 and done["Location"] == "/about/"
    assert signed_in_user(client) == user
    # Signing out ends the local session.
    client.post("/accounts/sign-out/")
    assert not signed_in_user(client).is_authenticated
    assert client.get(f"/places/{MembershipFactory(user=user).place.slug}/").status_code == 302


def test_an_address_outside_the_allowed_domains_is_refused(sso):
    UserFactory(email="bob@gmail.example")
    sso.set_user("bob", email="bob@gmail.example", email_verified=True)
    client = Client()
    done = sign_in_through(sso, client, "bob")
    assert done.status_code == 302, (done.status_code, done.content[:2000])
    assert done["Location"] == "/accounts/sign-in/"
    assert not signed_in_user(client).is_authenticated
    page = client.get("/accounts/sign-in/").content.decode()
    assert "Addresses at gmail.example cannot sign in to Ninefold here" in page


def test_an_unverified_address_is_refused(sso):
    UserFactory(email="cat@council.example")
    sso.set_user("cat", email="cat@council.example", email_verified=False)
    client = Client()
    sign_in_through(sso, client, "cat")
    assert not signed_in_user(client).is_authenticated
    assert "has not confirmed that cat@council.example is yours" in (
        client.get("/accounts/sign-in/").content.decode()
    )


def test_no_account_and_no_invitation_is_refused_and_nothing_is_made(sso):
    sso.set_user("dan", email="dan@council.example", email_verified=True)
    client = Client()
    sign_in_through(sso, client, "dan")
    assert not signed_in_user(client).is_authenticated
    assert not User.objects.filter(email="dan@council.example").exists()
    assert "needs to invite you first" in client.get("/accounts/sign-in/").content.decode()


def test_an_invitation_is_accepted_through_the_provider_and_only_that_gives_a_role(
    sso, django_capture_on_commit_callbacks, mailoutbox
):
    lead = MembershipFactory(role=Role.LEAD)
    with django_capture_on_commit_callbacks(execute=True):
        place_invitation_create(
            place=lead.place, actor=lead.user, email="eve@council.example", role=Role.FACILITATOR
        )
    link = "/places/join/" + mailoutbox[-1].body.split("/places/join/")[1].split("/")[0] + "/"
    client = Client()
    page = client.get(link).content.decode()
    assert "Continue with Council sign-in" in page
    sso.set_user("eve", email="eve@council.example", email_verified=True, name="Eve Adeyemi")
    done = sign_in_through(sso, client, "eve", next_url=link)
    assert done["Location"] == link
    eve = User.objects.get(email="eve@council.example")
    assert eve.full_name == "Eve Adeyemi" and not eve.has_usable_password()
    # Signed in, but no role until the invitation is accepted.
    assert not Membership.objects.filter(user=eve).exists()
    confirm = client.get(link).content.decode()
    assert '<form method="post"' in confirm and "Join " in confirm
    client.post(link)
    assert Membership.objects.get(user=eve, place=lead.place).role == Role.FACILITATOR


def test_a_provider_that_cannot_be_reached_gives_a_clear_page(settings):
    settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Council sign-in"
    cache.clear()
    page = Client().get("/accounts/sso/start/")
    assert page.status_code == 503
    assert "Council sign-in cannot be reached" in page.content.decode()
    # Password sign-in still works meanwhile.
    user = UserFactory(email="frank@council.example")
    user.set_password("a-long-enough-password")
    user.save()
    client = Client()
    client.post(
        "/accounts/sign-in/",
        {"username": "frank@council.example", "password": "a-long-enough-password"},
    )
    assert signed_in_user(client) == user


def test_the_provider_going_down_mid_sign_in_is_explained(settings):
    with running_provider() as short_lived:
        settings.OIDC_ISSUER = short_lived.issuer
        settings.OIDC_ENABLED = True
        settings.OIDC_RP_CLIENT_ID = "ninefold-test"
        settings.OIDC_RP_CLIENT_SECRET = "ninefold-test-secret"  # noqa: S105
        settings.OIDC_PROVIDER_NAME = "Council sign-in"
        settings.OIDC_ALLOWED_EMAIL_DOMAINS = []
        cache.clear()
        UserFactory(email="gail@council.example")
        short_lived.set_user("gail", email="gail@council.example", email_verified=True)
        client = Client()
        start = client.get("/accounts/sso/start/")
        back = urlsplit(short_lived.authorize(start["Location"], "gail"))
    # The provider has stopped before Ninefold could exchange the code.
    client.get(f"{back.path}?{back.query}")
    assert not signed_in_user(client).is_authenticated
    assert "Council sign-in could not be reached to finish signing you in" in (
        client.get("/accounts/sign-in/").content.decode()
    )


def test_with_passwords_off_only_the_provider_signs_in(sso, settings):
    settings.PASSWORD_SIGN_IN = False
    user = UserFactory(email="hal@council.example")
    user.set_password("a-long-enough-password")
    user.save()
    client = Client()
    page = client.get("/accounts/sign-in/").content.decode()
    assert "Sign in with Council sign-in" in page and 'name="password"' not in page
    refused = client.post(
        "/accounts/sign-in/", {"username": user.email, "password": "a-long-enough-password"}
    )
    assert "passwords are not used here" in refused.content.decode()
    assert not signed_in_user(client).is_authenticated
