"""Personal data requests (find, export, erase), removing a note's text, and the public
privacy notice and accessibility statement."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assessments.models import Rating
from places.access import LEADS, get_membership, object_of_place, require_site_staff
from places.models import Place
from places.services import activity_record
from privacy import erasure, notes, subject_access
from privacy.forms import PersonalDataSearchForm

logger = logging.getLogger("ninefold.privacy")


def _attachment(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _log(request, places, verb: str, what: str) -> None:
    """Record a request in each place concerned (never the address itself) and in the log."""
    for place in places:
        activity_record(place=place, actor=request.user, verb=verb, description=what)
    logger.info(
        "personal data request",
        extra={"verb": verb, "user_id": request.user.pk, "places": [p.pk for p in places]},
    )


def _requests(request: HttpRequest, *, places, place: Place | None) -> HttpResponse:
    """The page for a lead (``place``) or a site administrator (every place)."""
    site_wide = place is None
    form = PersonalDataSearchForm(request.POST or None)
    found = None
    action = request.POST.get("action", "find")
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        scope = [place] if place else subject_access.places_with_data(email, places)
        if action == "erase":
            if not form.cleaned_data["confirm_erase"]:
                form.add_error(
                    "confirm_erase", "Tick the box to confirm the request before erasing."
                )
            else:
                done = erasure.erase_personal_data(
                    email=email, places=places, actor=request.user, site_wide=site_wide
                )
                logger.info(
                    "personal data erased", extra={"user_id": request.user.pk, "site": site_wide}
                )
                messages.success(request, _erased_message(done))
                return redirect(request.path)
        found = subject_access.find_personal_data(email, places, site_wide=site_wide)
        if action in ("json", "html"):
            _log(
                request,
                scope,
                "personal-data-exported",
                "Exported what is held about one person, at their request (subject access).",
            )
            stamp = timezone.localtime().strftime("%Y-%m-%d")
            if action == "json":
                body = json.dumps(found.as_dict(), cls=DjangoJSONEncoder, indent=2)
                return _attachment(body, "application/json", f"personal-data-{stamp}.json")
            html = render_to_string(
                "privacy/export.html", {"found": found, "now": timezone.now(), "place": place}
            )
            return _attachment(html, "text/html; charset=utf-8", f"personal-data-{stamp}.html")
        _log(
            request,
            scope,
            "personal-data-searched",
            "Looked up what is held about one person (a personal data request).",
        )
    return render(
        request,
        "privacy/requests.html",
        {"form": form, "found": found, "place": place, "site_wide": site_wide},
    )


def _erased_message(done: erasure.Erased) -> str:
    if not done.anything:
        return "Nothing was held about that address, so nothing was erased."
    parts = [
        f"Erased {done.invitations} invitation(s) with {done.responses} submitted answer(s), "
        f"{done.colleague_invitations} colleague invitation(s)"
        + (f", {done.lead_invitations} lead invitation(s)" if done.lead_invitations else "")
        + f", and the name and address in {done.activity_entries} activity entries."
    ]
    if done.closed_rounds_changed:
        parts.append(
            "The figures of " + ", ".join(done.closed_rounds_changed) + " changed; its reports "
            "now say so."
        )
    if done.account_kept:
        parts.append(
            "This address also has a Ninefold account, which is kept: remove the person from "
            "the place's people, and ask a site administrator to delete the account."
        )
    return " ".join(parts)


@login_required
def place_requests(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_membership(request.user, slug, LEADS)
    places = Place.objects.filter(pk=membership.place_id)
    return _requests(request, places=places, place=membership.place)


@login_required
def site_requests(request: HttpRequest) -> HttpResponse:
    require_site_staff(request.user)
    return _requests(request, places=Place.objects.all(), place=None)


@login_required
def redact_note(request: HttpRequest, slug: str, rating_id: int) -> HttpResponse:
    membership = get_membership(request.user, slug, LEADS)
    place = membership.place
    rating = object_of_place(
        Rating.objects.select_related("precondition", "response__invitation__round"),
        place,
        via="response__invitation__round__place",
        pk=rating_id,
    )
    round_ = rating.response.invitation.round
    back = reverse("reports:precondition", args=[place.slug, round_.pk, rating.precondition.code])
    if request.method == "POST":
        try:
            notes.note_redact(rating=rating, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The note's text is removed. Its rating still counts.")
        return redirect(back)
    return render(
        request,
        "privacy/redact_note.html",
        {"place": place, "round": round_, "rating": rating, "back": back},
    )


def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/notice.html",
        {
            "notice": settings.NINEFOLD_PRIVACY,
            "retention_months": settings.NINEFOLD_RETENTION_MONTHS,
            "min_group_size": settings.NINEFOLD_MIN_GROUP_SIZE,
        },
    )


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/accessibility.html", {"notice": settings.NINEFOLD_PRIVACY})
