"""The key messages of a round: written by its facilitators and leads for the board paper.

Leads and facilitators of the place edit them, mark them final and reopen them; board
members read them in the PDF (a 403 here); anyone outside the place, or another place's
round by URL, gets a 404. The page also shows the summary the app drafts from the figures
(reports.drafted), which the PDF prints after the key messages (decisions 0063, 0064).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assessments.models import Round
from ninefold.forms import add_service_errors
from places.access import FACILITATORS_AND_LEADS, get_membership, object_of_place
from places.models import Membership
from reports import aggregation, drafted, services
from reports.forms import KeyMessagesForm


def _round_for(request: HttpRequest, slug: str, round_id: int) -> tuple[Membership, Round]:
    membership = get_membership(request.user, slug, FACILITATORS_AND_LEADS)
    round_ = object_of_place(Round, membership.place, pk=round_id)
    return membership, round_


def _page(
    request: HttpRequest,
    membership: Membership,
    round_: Round,
    *,
    form: KeyMessagesForm | None = None,
    action_error: str = "",
    status: int = 200,
) -> HttpResponse:
    saved = services.key_messages_for(round_)
    if form is None:
        form = KeyMessagesForm(
            initial={
                "summary": saved.summary if saved else "",
                "board_note": saved.board_note if saved else "",
                "revision": saved.revision if saved else 0,
            }
        )
    # The shared audience, as in the PDF: the same sentences the board will read.
    # With the breakdowns: the summary the dashboard caches, which carries the gap.
    summary = aggregation.cached_round_summary(round_, place=membership.place)
    gap = summary.gap
    return render(
        request,
        "reports/key_messages.html",
        {
            "place": membership.place,
            "round": round_,
            "membership": membership,
            "saved": saved,
            "form": form,
            "action_error": action_error,
            "drafted": drafted.drafted_summary(summary, gap),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    membership, round_ = _round_for(request, slug, round_id)
    if request.method == "GET":
        return _page(request, membership, round_)
    form = KeyMessagesForm(request.POST)
    if form.is_valid():
        try:
            services.key_messages_save(
                round_=round_,
                summary=form.cleaned_data["summary"],
                board_note=form.cleaned_data["board_note"],
                revision=form.cleaned_data["revision"],
                user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The key messages are saved as a draft.")
            return redirect("reports:key_messages", slug=slug, round_id=round_.pk)
    return _page(request, membership, round_, form=form, status=400)


def _revision(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return -1  # never a saved revision: refused as stale


@login_required
@require_POST
def finalise(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    membership, round_ = _round_for(request, slug, round_id)
    try:
        services.key_messages_finalise(
            round_=round_, revision=_revision(request), user=request.user
        )
    except ValidationError as error:
        return _page(request, membership, round_, action_error=" ".join(error.messages), status=400)
    messages.success(
        request, "The key messages are marked final. The PDF no longer calls them a draft."
    )
    return redirect("reports:key_messages", slug=slug, round_id=round_.pk)


@login_required
@require_POST
def reopen(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    membership, round_ = _round_for(request, slug, round_id)
    try:
        services.key_messages_reopen(round_=round_, user=request.user)
    except ValidationError as error:
        return _page(request, membership, round_, action_error=" ".join(error.messages), status=400)
    messages.success(request, "The key messages are a draft again: you can change them.")
    return redirect("reports:key_messages", slug=slug, round_id=round_.pk)
