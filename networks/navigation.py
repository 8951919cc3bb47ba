"""What the site's navigation calls a person's home page: "Your networks" for a network
viewer (their home starts with the networks they compare), "Your places" for everyone else.

Every page shows the link, so the answer is kept in the session rather than asked of the
database on each request: it is worked out when the person signs in and again whenever their
home page is shown (which lists their networks anyway). Someone made a network viewer while
signed in sees the new wording once they next open their home page.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from networks.models import Network

SESSION_KEY = "ninefold_views_networks"


def remember(request, views_networks: bool) -> None:
    """Keep whether the person views a network; the session is written only on a change."""
    session = getattr(request, "session", None)
    if session is not None and session.get(SESSION_KEY) != views_networks:
        session[SESSION_KEY] = views_networks


@receiver(user_logged_in, dispatch_uid="networks.navigation.on_sign_in")
def on_sign_in(sender, request, user, **kwargs) -> None:
    if request is not None:
        remember(request, Network.objects.filter(members=user).exists())


def home_link(request) -> dict:
    """Context processor: the label of the navigation's link to the home page."""
    session = getattr(request, "session", None)
    views_networks = bool(session and session.get(SESSION_KEY))
    return {"home_link_label": "Your networks" if views_networks else "Your places"}
