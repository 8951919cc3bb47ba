"""Workshop sequence, agreed views and actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from ninefold.forms import keep_refused_row
from places.access import (
    EVERYONE,
    FACILITATORS_AND_LEADS,
    get_membership,
    object_of_place,
)
from places.models import Membership
from reports.aggregation import cached_round_summary
from reports.selectors import precondition_for_round
from workshop import selectors, services
from workshop.forms import REFUSED_STATUS_KEY, ActionForm, ActionStatusForm, AgreedViewForm
from workshop.models import Action


def _membership_and_round(request: HttpRequest, slug: str, round_id: int, roles):
    membership = get_membership(request.user, slug, roles)
    return membership, selectors.workshop_round(membership.place, round_id)


def _can_run(membership: Membership) -> bool:
    return membership.role in FACILITATORS_AND_LEADS


# --------------------------------------------------------------------------------------------
# Workshop
# --------------------------------------------------------------------------------------------


@login_required
@require_GET
def start(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    membership, round_ = _membership_and_round(request, slug, round_id, FACILITATORS_AND_LEADS)
    # The summary the report pages cache (decision 0053): no query on a repeat visit.
    summary = cached_round_summary(round_, breakdowns=False, place=membership.place)
    views = selectors.agreed_views_for_round(round_)
    return render(
        request,
        "workshop/start.html",
        {
            "membership": membership,
            "place": membership.place,
            "round": round_,
            "summary": summary,
            "items": [(item, views.get(item.code)) for item in summary.preconditions],
            "first_code": summary.preconditions[0].code if summary.preconditions else None,
            "carried": selectors.actions_carried_into(round_),
            "can_run": True,
            "here": request.get_full_path(),
        },
    )


def _render_step(
    request: HttpRequest,
    membership: Membership,
    round_,
    code: str,
    *,
    view_form: AgreedViewForm | None = None,
    action_form: ActionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    step = selectors.workshop_step(round_, code)
    views = selectors.agreed_views_for_round(round_)
    agreed = views.get(code)
    if view_form is None:
        view_form = AgreedViewForm(scale=step.scale, initial=AgreedViewForm.initial_for(agreed))
    if action_form is None:
        action_form = ActionForm(
            place=membership.place,
            framework_id=round_.framework_id,
            initial={"preconditions": [step.precondition.pk]},
        )
    actions = [
        a for a in selectors.actions_for_round(round_) if step.precondition in a.preconditions.all()
    ]
    return render(
        request,
        "workshop/step.html",
        {
            "membership": membership,
            "place": membership.place,
            "round": round_,
            "step": step,
            "agreed": agreed,
            "view_form": view_form,
            "action_form": action_form,
            "actions": actions,
            "errors": [f for f in (view_form, action_form) if f.is_bound and f.errors],
        },
        status=status,
    )


@login_required
@require_GET
def step(request: HttpRequest, slug: str, round_id: int, code: str) -> HttpResponse:
    membership, round_ = _membership_and_round(request, slug, round_id, FACILITATORS_AND_LEADS)
    return _render_step(request, membership, round_, code)


def _step_url(round_, code: str) -> str:
    return reverse("workshop:step", args=[round_.place.slug, round_.pk, code])


@login_required
@require_POST
def record_view(request: HttpRequest, slug: str, round_id: int, code: str) -> HttpResponse:
    membership, round_ = _membership_and_round(request, slug, round_id, FACILITATORS_AND_LEADS)
    precondition = precondition_for_round(round_, code)
    scale = dict(round_.framework.scale.values_list("value", "label"))
    form = AgreedViewForm(request.POST, scale=scale)
    if not form.is_valid():
        return _render_step(request, membership, round_, code, view_form=form)
    services.agreed_view_record(
        round_=round_,
        precondition=precondition,
        level=form.cleaned_data["level"],
        disagree=form.cleaned_data["disagree"],
        reasons=form.cleaned_data["reasons"],
        user=request.user,
    )
    messages.success(request, f"The agreed view of {code} is recorded.")
    return redirect(_step_url(round_, code) + "#agreed-view")


@login_required
@require_POST
def add_action(request: HttpRequest, slug: str, round_id: int, code: str) -> HttpResponse:
    membership, round_ = _membership_and_round(request, slug, round_id, FACILITATORS_AND_LEADS)
    precondition_for_round(round_, code)  # an unknown code is a 404
    form = ActionForm(request.POST, place=membership.place, framework_id=round_.framework_id)
    if not form.is_valid():
        return _render_step(request, membership, round_, code, action_form=form)
    services.action_create(
        round_=round_,
        what=form.cleaned_data["what"],
        owner=form.cleaned_data["owner"],
        due_on=form.cleaned_data["due_on"],
        preconditions=form.cleaned_data["preconditions"],
        user=request.user,
    )
    messages.success(request, "The action is added.")
    return redirect(_step_url(round_, code) + "#actions")


@login_required
@require_GET
def summary(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    """Agreed views and actions of a round; board members read it, without the forms."""
    membership, round_ = _membership_and_round(request, slug, round_id, EVERYONE)
    return render(
        request,
        "workshop/summary.html",
        {
            "membership": membership,
            "place": membership.place,
            "round": round_,
            "views": selectors.agreed_view_rows(round_),
            "actions": selectors.actions_for_round(round_),
            "carried": selectors.actions_carried_into(round_),
            "can_run": _can_run(membership),
            "here": request.get_full_path(),
        },
    )


@login_required
@require_POST
def action_status(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    membership = get_membership(request.user, slug, FACILITATORS_AND_LEADS)
    action = object_of_place(Action.objects.select_related("round"), membership.place, pk=action_id)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("workshop:summary", args=[slug, action.round_id])
    form = ActionStatusForm(request.POST, prefix=f"action-{action.pk}")
    if not form.is_valid():
        # Back to the list, where the row shows what was typed with the error at its field.
        keep_refused_row(request, REFUSED_STATUS_KEY, action.pk, form)
        messages.error(
            request, f"The status of '{action.what}' was not changed: see the error on its row"
        )
        return redirect(back)
    services.action_set_status(
        action=action,
        status=form.cleaned_data["status"],
        note=form.cleaned_data["status_note"],
        user=request.user,
    )
    messages.success(request, f"'{action.what}' is now {action.get_status_display().lower()}.")
    return redirect(back)
