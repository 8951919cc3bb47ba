"""The partnership lead's pages for running rounds and inviting respondents.

Every view reaches the place through places.access.get_membership (404 outside
the user's places, 403 for a role not allowed) and looks rounds and invitations
up filtered by that place.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.forms.manage import (
    BulkInvitationForm,
    ConfidentialityForm,
    ExtendForm,
    InvitationForm,
    RoundForm,
)
from assessments.models import Confidentiality, Invitation, Round, RoundState
from assessments.progress import (
    SHOW_ALL,
    SHOW_FILTERS,
    revoked_invitations,
    round_invitations,
    round_progress,
    rounds_with_progress,
)
from assessments.services import invitations as invitation_services
from assessments.services import rounds as round_services
from ninefold.forms import add_service_errors
from ninefold.lists import read_upload
from places.access import EVERYONE, LEADS, get_membership, object_of_place
from places.models import Membership, Role


def _round(request: HttpRequest, slug: str, pk: int, roles=LEADS) -> tuple[Membership, Round]:
    membership = get_membership(request.user, slug, roles)
    round_ = object_of_place(Round.objects.select_related("framework"), membership.place, pk=pk)
    return membership, round_


def _invitation(request: HttpRequest, slug: str, pk: int, invitation_pk: int) -> Invitation:
    membership = get_membership(request.user, slug, LEADS)
    return object_of_place(
        Invitation.objects.select_related("round__place"),
        membership.place,
        via="round__place",
        pk=invitation_pk,
        round_id=pk,
    )


def _to_round(round_: Round) -> HttpResponse:
    return redirect("assessments:round_detail", slug=round_.place.slug, pk=round_.pk)


def _message_from(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def round_list(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_membership(request.user, slug, EVERYONE)
    rounds = rounds_with_progress(
        Round.objects.filter(place=membership.place).select_related("framework")
    )
    return render(
        request,
        "assessments/manage/round_list.html",
        {
            "place": membership.place,
            "membership": membership,
            "rounds": rounds,
            "is_lead": membership.role == Role.LEAD,
        },
    )


@login_required
def round_create(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_membership(request.user, slug, LEADS)
    place = membership.place
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = round_services.round_create(
                place=place, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The round “{round_.name}” is ready as a draft.")
            return _to_round(round_)
    return render(request, "assessments/manage/round_form.html", {"place": place, "form": form})


@login_required
def round_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The progress page a lead checks every morning: a fixed number of queries, no writes.

    Where each email stands is read from the outbox rows (assessments.progress.with_email):
    a send whose worker stopped reads as failed here, and the buttons' services mark it so
    before they pick rows (decision 0030).
    """
    membership, round_ = _round(request, slug, pk)
    now = timezone.now()
    show = request.GET.get("show", SHOW_ALL)
    if show not in SHOW_FILTERS:
        show = SHOW_ALL
    progress = round_progress(round=round_, now=now)
    invitations = list(round_invitations(round=round_, show=show, now=now))
    revoked = (
        list(revoked_invitations(round=round_)) if show == SHOW_ALL and progress.revoked else []
    )
    overall = progress.overall
    # Each filter's number is its list's length, from the same tallies.
    counts = {
        "not-submitted": overall.not_submitted,
        "failed": overall.failed,
        "submitted": overall.submitted,
        SHOW_ALL: overall.invited,
    }
    filters = [
        {"key": key, "label": label, "count": counts[key], "current": key == show}
        for key, (label, _) in SHOW_FILTERS.items()
    ]
    # Counted with the rules the buttons send with (assessments.progress).
    unsent = overall.awaiting_invitation
    to_chase = overall.to_chase
    drafts = overall.draft
    return render(
        request,
        "assessments/manage/round_detail.html",
        {
            "place": round_.place,
            "round": round_,
            "progress": progress,
            "invitations": invitations,
            "revoked_invitations": revoked,
            "show": show,
            "show_label": SHOW_FILTERS[show][0],
            "filters": filters,
            "unsent": unsent,
            "to_chase": to_chase,
            "drafts": drafts,
            "RoundState": RoundState,
            "Confidentiality": Confidentiality,
            "min_group_size": settings.NINEFOLD_MIN_GROUP_SIZE,
            # Anyone who started answering did so under the round's promise (a draft counts).
            "has_answers": bool(progress.overall.draft or progress.overall.submitted),
            "extend_form": ExtendForm(initial={"closes_on": round_.closes_on}),
        },
    )


@require_POST
@login_required
def round_open(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _, round_ = _round(request, slug, pk)
    try:
        round_services.round_open(round=round_, actor=request.user)
    except ValidationError as error:
        messages.error(request, _message_from(error))
    else:
        messages.success(request, "The round is open. You can now send the invitations.")
    return _to_round(round_)


@login_required
def round_extend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _, round_ = _round(request, slug, pk)
    form = ExtendForm(request.POST or None, initial={"closes_on": round_.closes_on})
    if request.method == "POST" and form.is_valid():
        try:
            round_services.round_extend(
                round=round_, actor=request.user, closes_on=form.cleaned_data["closes_on"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"The round now closes on {form.cleaned_data['closes_on']:%-d %B %Y}."
            )
            return _to_round(round_)
    return render(
        request,
        "assessments/manage/round_extend.html",
        {"place": round_.place, "round": round_, "form": form},
    )


@require_POST
@login_required
def round_confidentiality(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change how the round's results are shown; loosening is refused once anyone answered."""
    _, round_ = _round(request, slug, pk)
    form = ConfidentialityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how the round's results are shown.")
        return _to_round(round_)
    try:
        round_ = round_services.round_set_confidentiality(
            round=round_, actor=request.user, confidentiality=form.cleaned_data["confidentiality"]
        )
    except ValidationError as error:
        messages.error(request, _message_from(error))
    else:
        messages.success(
            request, f"Results of this round: {round_.get_confidentiality_display().lower()}."
        )
    return _to_round(round_)


@login_required
def round_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET asks for confirmation and says how many drafts will be left out; POST closes."""
    _, round_ = _round(request, slug, pk)
    if request.method == "POST":
        try:
            round_services.round_close(round=round_, actor=request.user)
        except ValidationError as error:
            messages.error(request, _message_from(error))
        else:
            messages.success(request, "The round is closed. Its answers are now final.")
        return _to_round(round_)
    drafts = round_services.round_draft_count(round=round_)
    return render(
        request,
        "assessments/manage/round_close.html",
        {"place": round_.place, "round": round_, "drafts": drafts},
    )


def _send_after_adding(request: HttpRequest, round_: Round) -> None:
    if round_.state != RoundState.OPEN:
        messages.info(
            request, "The round is not open yet: open it, then send the invitations from here."
        )
        return
    queued = invitation_services.invitations_send_unsent(round=round_, actor=request.user)
    messages.success(request, f"{queued} invitation email{'s' if queued != 1 else ''} on the way.")


@login_required
def invitation_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _, round_ = _round(request, slug, pk)
    form = InvitationForm(request.POST or None, place=round_.place)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitation_services.invitation_create(
                round=round_,
                actor=request.user,
                name=data["name"],
                email=data["email"],
                partner=data["partner"],
                perspective=data["perspective"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{invitation.name} is on the list.")
            if data["send_now"]:
                _send_after_adding(request, round_)
            return _to_round(round_)
    return render(
        request,
        "assessments/manage/invitation_add.html",
        {"place": round_.place, "round": round_, "form": form},
    )


@login_required
def invitation_bulk(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _, round_ = _round(request, slug, pk)
    form = BulkInvitationForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data.get("file")
            text = read_upload(upload) if upload else form.cleaned_data["text"]
            rows = invitation_services.parse_respondent_list(round=round_, text=text)
            created = invitation_services.invitations_create_bulk(
                round=round_, actor=request.user, rows=rows
            )
        except invitation_services.BulkListError as error:
            problems = error.problems
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, f"{len(created)} people added to the round.")
            if form.cleaned_data["send_now"]:
                _send_after_adding(request, round_)
            return _to_round(round_)
    return render(
        request,
        "assessments/manage/invitation_bulk.html",
        {"place": round_.place, "round": round_, "form": form, "problems": problems},
        status=400 if problems else 200,
    )


@require_POST
@login_required
def invitations_send(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _, round_ = _round(request, slug, pk)
    try:
        queued = invitation_services.invitations_send_unsent(round=round_, actor=request.user)
    except ValidationError as error:
        messages.error(request, _message_from(error))
    else:
        messages.success(
            request, f"{queued} invitation email{'s' if queued != 1 else ''} on the way."
        )
    return _to_round(round_)


@require_POST
@login_required
def invitations_remind(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _, round_ = _round(request, slug, pk)
    try:
        queued = invitation_services.invitations_chase(round=round_, actor=request.user)
    except ValidationError as error:
        messages.error(request, _message_from(error))
    else:
        messages.success(
            request,
            f"{queued} email{'s' if queued != 1 else ''} on the way to everyone invited "
            "who has not submitted. Links sent earlier keep working.",
        )
    return _to_round(round_)


@require_POST
@login_required
def invitation_resend(request: HttpRequest, slug: str, pk: int, invitation_pk: int) -> HttpResponse:
    invitation = _invitation(request, slug, pk, invitation_pk)
    try:
        invitation_services.invitation_resend(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, _message_from(error))
    else:
        messages.success(
            request,
            f"The invitation is on its way to {invitation.name} again. "
            "The link in the earlier email keeps working.",
        )
    return _to_round(invitation.round)


@require_POST
@login_required
def invitation_revoke(request: HttpRequest, slug: str, pk: int, invitation_pk: int) -> HttpResponse:
    invitation = _invitation(request, slug, pk, invitation_pk)
    try:
        invitation_services.invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, _message_from(error))
    else:
        messages.success(request, f"{invitation.name}'s links no longer work.")
    return _to_round(invitation.round)
