"""The respondent's personal-link pages: the form, the confirmation and autosave.

No account is involved: the token in the URL is the only key, and it opens exactly
one invitation's own answers. Every page first goes through ``_invitation_or_refusal``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.views.decorators.http import require_http_methods, require_POST

from assessments import easy_read
from assessments.forms.respond import RespondForm, initial_from_answers
from assessments.models import (
    EVIDENCE_MAX_LENGTH,
    Invitation,
    Perspective,
    Response,
    ResponseStatus,
)
from assessments.ratelimit import record_failed_lookup
from assessments.selectors.responses import (
    FrameworkItems,
    framework_items,
    invitation_for_token,
    response_with_answers,
)
from assessments.services.responses import (
    DONT_KNOW,
    MISSING_BEFORE_SUBMIT,
    Answer,
    RoundNotOpen,
    StaleResponse,
    invitation_mark_opened,
    response_save,
    round_accepts_answers,
    round_not_open_yet,
)
from ninefold.forms import add_service_errors

TEMPLATE_DIR = "assessments/respond"
# ?read=easy or ?read=standard picks the version of the texts (see docs/decisions/0070).
READ_CHOICES = {"easy", "standard"}
# The same request as MISSING_BEFORE_SUBMIT, in the easy-read version's words.
MISSING_EASY_READ = "Choose an answer for this question, or “Don't know”."
# The draft form's switch buttons save, then show the other version.
SWITCH_ACTIONS = {"read-easy": "easy", "read-standard": "standard"}


def _typed(request: HttpRequest) -> list[tuple[str, str, str]]:
    """What a refused post carried, as (item code, choice, note), so nothing typed is lost.

    The token opened nothing, so there is no framework to name the items by: the codes
    and values are shown as posted (escaped like any text).
    """
    if request.method != "POST":
        return []
    codes = sorted(
        {key.rsplit("-", 1)[0] for key in request.POST if key.endswith(("-choice", "-evidence"))}
    )
    typed = []
    for code in codes[:50]:
        choice = request.POST.get(f"{code}-choice", "").strip()
        note = request.POST.get(f"{code}-evidence", "").strip()
        if choice or note:
            typed.append((code[:20], choice[:20], note[:EVIDENCE_MAX_LENGTH]))
    return typed


def _invitation_or_refusal(request: HttpRequest, token: str) -> Invitation | HttpResponse:
    """The invitation behind ``token``, or the page refusing it.

    A valid token is always served. Only a token that opens nothing is counted against
    the client's address; past the limit it gets the 429 page instead of the 404 one
    (decision 0035). Either page shows back what a refused post carried.
    """
    invitation = invitation_for_token(token)
    if invitation is None:
        context = {"typed": _typed(request)}
        if record_failed_lookup(request):
            return render(request, f"{TEMPLATE_DIR}/too_many_attempts.html", context, status=429)
        return render(request, "assessments/link_invalid.html", context, status=404)
    invitation.link_token = token  # for the templates' links back to this page
    # Easy-read texts by default for people with lived experience; anyone can switch.
    chosen = request.GET.get("read", "")
    invitation.read_query = f"read={chosen}" if chosen in READ_CHOICES else ""
    invitation.easy_read = (
        chosen == "easy"
        if chosen in READ_CHOICES
        else invitation.perspective == Perspective.LIVED_EXPERIENCE
    )
    return invitation


def _back_to(name: str, invitation: Invitation) -> HttpResponse:
    """Redirect to a respondent page, keeping the version of the texts chosen."""
    url = reverse(f"assessments:{name}", args=[invitation.link_token])
    return redirect(f"{url}?{invitation.read_query}" if invitation.read_query else url)


def _grouped(items: FrameworkItems, rows: dict) -> list[tuple]:
    return [(group, [rows[p.pk] for p in members]) for group, members in items.groups]


def _labels(items: FrameworkItems, *, easy: bool = False) -> dict[str, str]:
    """What each answer is called: "4 Established", or in easy read "Mostly" (decision 0025)."""
    labels = {
        str(level.value): level.easy_read_name if easy else f"{level.value} {level.label}"
        for level in items.scale
    }
    labels[DONT_KNOW] = "Don't know"
    labels[""] = "You did not answer" if easy else "Not answered"
    return labels


def _heading(item, *, easy: bool) -> str:
    """How a question is named in words, in errors too: its plain question in easy read."""
    return item.easy_read_text if easy else f"{item.code}. {item.name}"


def _summary(items: FrameworkItems, answers: dict[str, Answer], *, easy: bool = False) -> list:
    """Groups of (precondition, choice label, evidence, level picture) for the read-only pages."""
    labels = _labels(items, easy=easy)
    pictures = {str(level.value): easy_read.level_picture(level.value) for level in items.scale}
    pictures[DONT_KNOW] = easy_read.DONT_KNOW_PICTURE
    summary = []
    for group, members in items.groups:
        entries = []
        for p in members:
            answer = answers.get(p.code, Answer())
            entries.append(
                (p, labels.get(answer.choice, ""), answer.evidence, pictures.get(answer.choice))
            )
        summary.append((group, entries))
    return summary


def _with_pictures(invitation: Invitation, items: FrameworkItems) -> None:
    """Give the easy-read templates a picture for each item and level (decision 0025)."""
    framework_name = invitation.round.framework.name
    for item in items.preconditions:
        item.easy_picture = easy_read.item_picture(framework_name, item.code)
    for level in items.scale:
        level.easy_picture = easy_read.level_picture(level.value)


def _context(invitation: Invitation, items: FrameworkItems, **extra) -> dict:
    if invitation.easy_read:
        _with_pictures(invitation, items)
    return {
        "dont_know_picture": easy_read.DONT_KNOW_PICTURE,
        "invitation": invitation,
        "round": invitation.round,
        "total": len(items.preconditions),
        "scale": items.scale,
        "evidence_limit": EVIDENCE_MAX_LENGTH,
        "min_group_size": settings.NINEFOLD_MIN_GROUP_SIZE,
        **extra,
    }


def _render_form(
    request: HttpRequest,
    invitation: Invitation,
    items: FrameworkItems,
    form: RespondForm,
    response: Response | None,
    *,
    status: int = 200,
    stale: StaleResponse | None = None,
) -> HttpResponse:
    is_amending = response is not None and response.status == ResponseStatus.SUBMITTED
    easy = invitation.easy_read
    rows = form.rows(stale.saved if stale else None, labels=_labels(items, easy=easy))
    field_errors = []
    missing = []  # listed together: nine long lines saying the same thing help nobody
    for row in rows.values():
        code, heading = row.precondition.code, _heading(row.precondition, easy=easy)
        if easy:
            row.choice_errors = [
                MISSING_EASY_READ if m == MISSING_BEFORE_SUBMIT else m for m in row.choice_errors
            ]
        for message in row.choice_errors:
            if message in (MISSING_BEFORE_SUBMIT, MISSING_EASY_READ):
                missing.append((f"{code}-choice-1", heading))
                continue
            field_errors.append((f"{code}-choice-1", f"{heading}: {message}"))
        for message in row.evidence_errors:
            where = heading if easy else f"{heading}, evidence note:"
            field_errors.append((f"{code}-evidence", f"{where} {message}"))
    general_errors = list(form.non_field_errors()) + list(form.errors.get("version", []))
    return render(
        request,
        f"{TEMPLATE_DIR}/form.html",
        _context(
            invitation,
            items,
            form=form,
            groups=_grouped(items, rows),
            answered=form.answered_count(),
            general_errors=general_errors,
            field_errors=field_errors,
            missing=missing,
            stale=stale,
            stale_rows=[row for row in rows.values() if row.saved is not None],
            is_amending=is_amending,
            autosave=not is_amending,
            last_saved=response.updated_at if response is not None else None,
        ),
        status=status,
    )


def _render_closed(
    request: HttpRequest,
    invitation: Invitation,
    items: FrameworkItems,
    answers: dict[str, Answer],
    response: Response | None,
    *,
    status: int = 200,
    unsaved: dict[str, Answer] | None = None,
) -> HttpResponse:
    return render(
        request,
        f"{TEMPLATE_DIR}/closed.html",
        _context(
            invitation,
            items,
            response=response,
            summary=(
                _summary(items, answers, easy=invitation.easy_read)
                if response is not None
                else None
            ),
            unsaved=_summary(items, unsaved, easy=invitation.easy_read) if unsaved else None,
        ),
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    """The form (or, once submitted, the summary) behind a personal link."""
    found = _invitation_or_refusal(request, token)
    if isinstance(found, HttpResponse):
        return found
    invitation = invitation_mark_opened(invitation=found)
    rnd = invitation.round
    if round_not_open_yet(rnd):
        return render(request, f"{TEMPLATE_DIR}/not_open.html", _context(invitation, _no_items()))
    items = framework_items(rnd.framework)

    if request.method != "POST":
        response, answers = response_with_answers(invitation)
        if not round_accepts_answers(rnd):
            return _render_closed(request, invitation, items, answers, response)
        if (
            response is not None
            and response.status == ResponseStatus.SUBMITTED
            and "amend" not in request.GET
        ):
            return _render_summary(request, invitation, items, answers, response)
        form = RespondForm(
            initial=initial_from_answers(answers, response.version if response else 0),
            preconditions=items.preconditions,
            scale=items.scale,
        )
        return _render_form(request, invitation, items, form, response)

    form = RespondForm(
        request.POST,
        preconditions=items.preconditions,
        scale=items.scale,
        submitting=request.POST.get("action") == "submit",
    )
    if not round_accepts_answers(rnd):
        response, answers = response_with_answers(invitation)
        # Shown back as typed: an unanswered item is no reason to hide the rest.
        typed = RespondForm(request.POST, preconditions=items.preconditions, scale=items.scale)
        unsaved = typed.answers() if typed.is_valid() else None
        return _render_closed(
            request, invitation, items, answers, response, status=409, unsaved=unsaved
        )
    if not form.is_valid():
        response = Response.objects.filter(invitation=invitation).first()
        return _render_form(request, invitation, items, form, response, status=400)
    try:
        saved = response_save(
            invitation=invitation,
            answers=form.answers(),
            version=form.cleaned_data["version"],
            submit=request.POST.get("action") == "submit",
            preconditions=items.preconditions,
            scale=items.scale,
        )
    except StaleResponse as stale:
        data = request.POST.copy()
        data["version"] = str(stale.version)
        form = RespondForm(data, preconditions=items.preconditions, scale=items.scale)
        form.is_valid()
        return _render_form(
            request, invitation, items, form, stale.response, status=409, stale=stale
        )
    except ValidationError as error:
        add_service_errors(form, error)
        response = Response.objects.filter(invitation=invitation).first()
        return _render_form(request, invitation, items, form, response, status=400)
    except RoundNotOpen:  # closed between the check above and the save
        response, answers = response_with_answers(invitation)
        return _render_closed(request, invitation, items, answers, response, status=409)

    if saved.status == ResponseStatus.SUBMITTED:
        return _back_to("respond_done", invitation)
    switch_to = SWITCH_ACTIONS.get(request.POST.get("action", ""))
    if switch_to:
        # The draft is saved first, so nothing typed is lost by changing version.
        invitation.read_query = f"read={switch_to}"
        messages.success(request, "Your answers are saved. The questions are the same.")
        return _back_to("respond", invitation)
    messages.success(
        request,
        "Your answers are saved. You can close this page and come back later with your link.",
    )
    return _back_to("respond", invitation)


def _no_items() -> FrameworkItems:
    return FrameworkItems(groups=[], preconditions=[], scale=[])


def _render_summary(request, invitation, items, answers, response, *, just_submitted=False):
    return render(
        request,
        f"{TEMPLATE_DIR}/summary.html",
        _context(
            invitation,
            items,
            response=response,
            summary=_summary(items, answers, easy=invitation.easy_read),
            just_submitted=just_submitted,
        ),
    )


@require_http_methods(["GET", "HEAD"])
def respond_done(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation after submitting: a summary and a way back to amend."""
    found = _invitation_or_refusal(request, token)
    if isinstance(found, HttpResponse):
        return found
    invitation = found
    rnd = invitation.round
    if round_not_open_yet(rnd):
        return _back_to("respond", invitation)
    items = framework_items(rnd.framework)
    response, answers = response_with_answers(invitation)
    if response is None or response.status != ResponseStatus.SUBMITTED:
        return _back_to("respond", invitation)
    if not round_accepts_answers(rnd):
        return _render_closed(request, invitation, items, answers, response)
    return _render_summary(request, invitation, items, answers, response, just_submitted=True)


@require_POST
def respond_autosave(request: HttpRequest, token: str) -> HttpResponse:
    """Save a draft in the background (the page's script calls this); answers in JSON."""
    found = _invitation_or_refusal(request, token)
    if isinstance(found, HttpResponse):
        message = (
            "Too many links that do not work were tried from your connection: "
            "wait a few minutes, then save with the button."
            if found.status_code == 429
            else "This link is not valid."
        )
        return JsonResponse({"status": "refused", "message": message}, status=found.status_code)
    invitation = found
    rnd = invitation.round
    closed = {
        "status": "closed",
        "message": "This round is not taking answers, so this change was not saved.",
    }
    if not round_accepts_answers(rnd):
        return JsonResponse(closed, status=409)
    items = framework_items(rnd.framework)
    form = RespondForm(request.POST, preconditions=items.preconditions, scale=items.scale)
    if not form.is_valid():
        return JsonResponse(
            {
                "status": "invalid",
                "message": (
                    "Not saved automatically: something needs checking. Press “Save and "
                    "come back later” to see what."
                ),
                "errors": form.errors.get_json_data(),
            },
            status=400,
        )
    try:
        response = response_save(
            invitation=invitation,
            answers=form.answers(),
            version=form.cleaned_data["version"],
            submit=False,
            preconditions=items.preconditions,
            scale=items.scale,
        )
    except StaleResponse:
        return JsonResponse(
            {
                "status": "stale",
                "message": (
                    "These answers were changed in another tab or window, so automatic saving "
                    "has stopped. Press “Save and come back later” to compare and choose."
                ),
            },
            status=409,
        )
    except ValidationError as error:
        return JsonResponse({"status": "invalid", "message": " ".join(error.messages)}, status=400)
    except RoundNotOpen:
        return JsonResponse(closed, status=409)
    local = timezone.localtime(response.updated_at)
    return JsonResponse(
        {
            "status": "saved",
            "version": response.version,
            "saved_at": time_format(local, "H:i"),
            "answered": form.answered_count(),
            "url": reverse("assessments:respond", args=[token]),
        }
    )
