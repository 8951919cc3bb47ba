"""Staff sign-in through the deploying body's OpenID Connect provider (decision 0112).

mozilla-django-oidc does the protocol (state, nonce, code exchange, ID token signature). This
module adds what Ninefold needs around it:

- the provider's endpoints are found from its issuer (``OIDC_ISSUER``), by the standard
  discovery document, when first needed and then cached for an hour, so an unreachable
  provider never stops the app from starting or password sign-in from working;
- a person is let in only with a verified email address in an allowed domain, matched to an
  existing account, or to a pending colleague or lead invitation (which then makes the account,
  with no role: the role comes from accepting the invitation, never from the provider);
- every refusal says why, on the sign-in page, and a provider that cannot be reached gives a
  clear page rather than an error.
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from places.models import LeadInvitation, PlaceInvitation

logger = logging.getLogger(__name__)

DISCOVERY_CACHE_SECONDS = 60 * 60
_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class ProviderUnavailable(Exception):
    """The provider's discovery document, token or keys could not be fetched."""


def discovery() -> dict:
    """The provider's configuration, fetched from ``OIDC_ISSUER`` (cached for an hour)."""
    issuer = settings.OIDC_ISSUER.rstrip("/")
    key = f"ninefold:oidc-discovery:{issuer}"
    found = cache.get(key)
    if found:
        return found
    try:
        answer = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        answer.raise_for_status()
        found = answer.json()
        missing = [name for name in _ENDPOINTS.values() if not found.get(name)]
        if missing:
            raise ValueError(f"no {', '.join(missing)} in the discovery document")
    except (requests.RequestException, ValueError) as exc:
        logger.warning("OpenID Connect provider unavailable: %s", exc)
        raise ProviderUnavailable(str(exc)) from exc
    cache.set(key, found, DISCOVERY_CACHE_SECONDS)
    return found


def oidc_setting(attr: str, *args):
    """mozilla-django-oidc's settings, with the endpoints taken from discovery."""
    if attr in _ENDPOINTS:
        return discovery()[_ENDPOINTS[attr]]
    return import_from_settings(attr, *args)


def _endpoint(attr: str) -> property:
    return property(lambda self: oidc_setting(attr))


def unavailable_page(request, status: int = 503):
    return render(
        request,
        "accounts/sso_unavailable.html",
        {"provider": settings.OIDC_PROVIDER_NAME},
        status=status,
    )


def email_domain_allowed(email: str) -> bool:
    domains = settings.OIDC_ALLOWED_EMAIL_DOMAINS
    return not domains or email.rsplit("@", 1)[-1].lower() in domains


def pending_invitation_exists(email: str) -> bool:
    now = timezone.now()
    pending = Q(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True) & Q(
        expires_at__gt=now
    )
    return (
        PlaceInvitation.objects.filter(pending).exists()
        or LeadInvitation.objects.filter(pending).exists()
    )


class NinefoldOIDCBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(oidc_setting)
    OIDC_OP_TOKEN_ENDPOINT = _endpoint("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = _endpoint("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = _endpoint("OIDC_OP_JWKS_ENDPOINT")

    def __init__(self, *args, **kwargs):
        # The library reads every endpoint here; Ninefold reads them when a sign-in needs
        # them, so password sign-in never waits for (or fails on) the provider.
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the provider's callback (a code and the nonce kept in the session) is ours.
        if request is None or "nonce" not in kwargs or "code" not in request.GET:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (ProviderUnavailable, requests.RequestException) as exc:
            logger.warning("OpenID Connect sign-in failed to reach the provider: %s", exc)
            self._refuse(
                f"{settings.OIDC_PROVIDER_NAME} could not be reached to finish signing you in. "
                "Please try again in a few minutes."
            )
            return None

    def retrieve_matching_jwk(self, token):
        """The library matches the token's key id against the provider's keys; a provider that
        names no key id (and has one signing key) is matched by that one key."""
        header = jwt.get_unverified_header(token)
        if "kid" in header:
            return super().retrieve_matching_jwk(token)
        answer = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT)
        answer.raise_for_status()
        keys = [
            k for k in answer.json().get("keys", []) if k.get("alg", header["alg"]) == header["alg"]
        ]
        if len(keys) != 1:
            raise SuspiciousOperation("The token names no key and the provider has several.")
        return jwt.PyJWK(keys[0])

    def _refuse(self, message: str) -> None:
        messages.error(self.request, message)

    def verify_claims(self, claims) -> bool:
        email = (claims.get("email") or "").strip()
        if not email:
            self._refuse(f"{settings.OIDC_PROVIDER_NAME} did not tell Ninefold your email address.")
            return False
        if claims.get("email_verified") is not True:
            self._refuse(
                f"{settings.OIDC_PROVIDER_NAME} has not confirmed that {email} is yours, so it "
                "cannot be used to sign in to Ninefold. Ask your IT team to verify it."
            )
            return False
        if not email_domain_allowed(email):
            self._refuse(
                f"Addresses at {email.rsplit('@', 1)[-1]} cannot sign in to Ninefold here. "
                "Use your work account."
            )
            return False
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=claims["email"].strip())

    def create_user(self, claims):
        """An account only for someone with a pending invitation (accepting it gives the
        role); anyone else is told to ask for one."""
        email = claims["email"].strip().lower()
        if not pending_invitation_exists(email):
            self._refuse(
                f"There is no Ninefold account for {email}. A partnership lead or a site "
                "administrator needs to invite you first."
            )
            return None
        name = " ".join(str(claims.get("name") or "").split())[:200]
        return self.UserModel.objects.create_user(email=email, password=None, full_name=name)

    def update_user(self, user, claims):
        return user


class SignInRequestView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider; a provider that cannot be reached gets a page."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not settings.OIDC_ENABLED:
            return unavailable_page(request, status=404)
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable:
            return unavailable_page(request)
        return super().get(request)


class SignInCallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        if not settings.OIDC_ENABLED:
            return unavailable_page(request, status=404)
        if request.GET.get("error"):
            messages.error(request, "Signing in was cancelled or refused by the provider.")
        return super().get(request)
