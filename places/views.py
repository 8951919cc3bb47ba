from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments.models import RoundState
from places.access import FACILITATORS_AND_LEADS, get_membership, places_for_user
from preconditions.selectors import default_framework_with_items


def home(request: HttpRequest) -> HttpResponse:
    memberships = list(places_for_user(request.user))
    return render(request, "places/home.html", {"memberships": memberships})


def about(request: HttpRequest) -> HttpResponse:
    framework = default_framework_with_items()
    return render(request, "places/about.html", {"framework": framework})


@login_required
def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_membership(request.user, slug)
    place = membership.place
    rounds = place.rounds.select_related("framework").annotate(
        invited=Count("invitations", distinct=True),
        submitted=Count(
            "invitations__response",
            filter=Q(invitations__response__status="submitted"),
            distinct=True,
        ),
    )
    partners = place.partners.all()
    return render(
        request,
        "places/detail.html",
        {
            "place": place,
            "membership": membership,
            "rounds": rounds,
            "partners": partners,
            "RoundState": RoundState,
            "can_export": membership.role in FACILITATORS_AND_LEADS,
        },
    )
