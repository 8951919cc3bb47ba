"""A place's own page: its rounds with their progress, and its partners.

It lives here, not in ``places``, because it shows rounds: places never imports assessments,
which builds on it (decision 0083). ``ninefold/urls.py`` adds it to the ``places`` URLs, so
its address and name (``places:detail``) are unchanged.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments.models import RoundState
from assessments.progress import rounds_with_progress
from places.access import FACILITATORS_AND_LEADS, get_membership


@login_required
def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_membership(request.user, slug)
    place = membership.place
    rounds = rounds_with_progress(place.rounds.select_related("framework"))
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
