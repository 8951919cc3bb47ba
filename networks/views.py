"""A place's networks (its lead's consent) and a network's comparison of places."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from networks import selectors, services
from networks.forms import ConsentForm
from networks.models import NetworkPlace
from places.access import LEADS, get_membership, object_of_place


def _consent_page(request, membership, *, failed=None, bound=None) -> HttpResponse:
    """The place's network requests, each with its consent form; ``bound`` (the form that
    failed) stands in for the form of ``failed``."""
    return render(
        request,
        "networks/place_networks.html",
        {
            "membership": membership,
            "place": membership.place,
            "requests": [
                (
                    np,
                    bound
                    if failed is not None and np.pk == failed.pk
                    else ConsentForm(
                        prefix=np.network.slug,
                        initial={"share": np.consent_share, "named": np.consent_named},
                    ),
                )
                for np in selectors.network_requests_for_place(membership.place)
            ],
            "failed": failed,
        },
    )


@login_required
@require_GET
def place_networks(request: HttpRequest, slug: str) -> HttpResponse:
    return _consent_page(request, get_membership(request.user, slug, LEADS))


@login_required
@require_POST
def consent(request: HttpRequest, slug: str, network_slug: str) -> HttpResponse:
    membership = get_membership(request.user, slug, LEADS)
    network_place = object_of_place(
        NetworkPlace.objects.select_related("network"),
        membership.place,
        network__slug=network_slug,
    )
    form = ConsentForm(request.POST, prefix=network_slug)
    if not form.is_valid():
        return _consent_page(request, membership, failed=network_place, bound=form)
    services.network_place_set_consent(
        network_place=network_place,
        share=form.cleaned_data["share"],
        named=form.cleaned_data["named"],
        user=request.user,
    )
    messages.success(request, f"Your answer to {network_place.network.name} is saved.")
    return redirect("networks:place_networks", slug=slug)


@login_required
@require_GET
def networks(request: HttpRequest) -> HttpResponse:
    return render(
        request, "networks/networks.html", {"networks": selectors.networks_for_viewer(request.user)}
    )


@login_required
@require_GET
def comparison(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = selectors.network_for_viewer(request.user, network_slug)
    result = selectors.network_comparison(network, viewer=request.user)
    return render(
        request,
        "networks/comparison.html",
        {
            "network": network,
            "comparison": result,
            "rows": selectors.comparison_rows(result),
            "chart": selectors.comparison_chart(result),
            "trends": selectors.comparison_trends(result),
            "own": next((p for p in result.places if p.own), None),
            "min_places": selectors.MIN_PLACES_FOR_CHART,
            "chart_width": selectors.CHART_WIDTH,
            "strip_height": selectors.STRIP_HEIGHT,
            "mid": selectors.MID,
            "tick_label_y": selectors.TICK_LABEL_Y,
            "ticks": [(level, selectors.scale_x(level)) for level in range(1, 6)],
            "spark": (selectors.SPARK_WIDTH, selectors.SPARK_HEIGHT),
        },
    )
