"""The home page, which puts the site together: a person's places and the networks they view.

Like ``ninefold.urls``, this module sits above every app (decision 0083); the rest of
``ninefold`` is the shared base the apps build on, and never imports them.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from networks.navigation import remember
from networks.selectors import networks_for_viewer
from places.access import may_create_places, places_for_user


def home(request: HttpRequest) -> HttpResponse:
    networks = networks_for_viewer(request.user)
    if request.user.is_authenticated:
        remember(request, bool(networks))  # the navigation's link is named after this page
    return render(
        request,
        "home.html",
        {
            "memberships": list(places_for_user(request.user)),
            "networks": networks,
            "may_create_places": may_create_places(request.user),
        },
    )
