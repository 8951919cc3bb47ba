from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ninefold.forms import add_service_errors, keep_refused_row, refused_row_form
from places import selectors, services
from places.access import (
    LEADS,
    get_lead_invitation,
    get_member,
    get_membership,
    get_partner,
    get_place_invitation,
    may_create_places,
    require_site_staff,
)
from places.forms import (
    InviteColleagueForm,
    InviteLeadForm,
    JoinForm,
    PartnerForm,
    PartnerListForm,
    PlaceEditForm,
    PlaceForm,
    RoleForm,
)
from places.models import Role, Sector
from preconditions.selectors import default_framework_with_items

User = get_user_model()


def about(request: HttpRequest) -> HttpResponse:
    framework = default_framework_with_items()
    return render(
        request,
        "places/about.html",
        {"framework": framework, "min_group_size": settings.NINEFOLD_MIN_GROUP_SIZE},
    )


# --- Places -------------------------------------------------------------------------------


@login_required
def place_create(request: HttpRequest) -> HttpResponse:
    if not may_create_places(request.user):
        # Who may set up places is settings.PLACE_CREATORS (decision 0024).
        raise PermissionDenied("A site administrator invites the people who set up places.")
    form = PlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            place = services.place_create(
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                creator=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{place.name} is set up. Next, add its partners.")
            return redirect("places:partners", slug=place.slug)
    return render(request, "places/place_form.html", {"form": form, "place": None})


@login_required
def place_edit(request: HttpRequest, slug: str) -> HttpResponse:
    membership = get_membership(request.user, slug, LEADS)
    place = membership.place
    form = PlaceEditForm(
        request.POST or None,
        initial={
            "name": place.name,
            "description": place.description,
            "retention_months": place.retention_months,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.place_update(
                place=place,
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                retention_months=form.cleaned_data["retention_months"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The place's details are saved.")
            return redirect(place)
    return render(request, "places/place_form.html", {"form": form, "place": place})


# --- Partners -----------------------------------------------------------------------------


@login_required
def partner_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The place's partners (archived ones greyed) and a form to add one."""
    membership = get_membership(request.user, slug, LEADS)
    place = membership.place
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(
                place=place,
                actor=request.user,
                name=form.cleaned_data["name"],
                sector=form.cleaned_data["sector"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{partner.name} is added.")
            return redirect("places:partners", slug=place.slug)
    return render(
        request,
        "places/partners.html",
        {"place": place, "form": form, "partners": selectors.partners_for_place(place)},
    )


@login_required
def partner_bulk(request: HttpRequest, slug: str) -> HttpResponse:
    """Add many partners from a pasted list or a CSV file: all of them, or none."""
    membership = get_membership(request.user, slug, LEADS)
    place = membership.place
    if request.method == "POST":
        form = PartnerListForm(request.POST, request.FILES, place=place)
        if form.is_valid():
            try:
                partners = services.partners_bulk_create(
                    place=place, actor=request.user, rows=form.rows
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"{len(partners)} partners are added.")
                return redirect("places:partners", slug=place.slug)
    else:
        form = PartnerListForm(place=place)
    return render(
        request,
        "places/partner_bulk.html",
        {"place": place, "form": form, "sectors": Sector.choices},
    )


@login_required
def partner_edit(request: HttpRequest, slug: str, partner_id: int) -> HttpResponse:
    """Correct a partner's name or sector."""
    _, partner = get_partner(request.user, slug, partner_id)
    form = PartnerForm(
        request.POST or None, initial={"name": partner.name, "sector": partner.sector}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(
                partner=partner,
                actor=request.user,
                name=form.cleaned_data["name"],
                sector=form.cleaned_data["sector"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            partner.refresh_from_db(fields=["name", "sector"])  # show the saved name, not the try
        else:
            messages.success(request, f"{partner.name} is saved.")
            return redirect("places:partners", slug=slug)
    return render(
        request,
        "places/partner_form.html",
        {"place": partner.place, "partner": partner, "form": form},
    )


@login_required
@require_POST
def partner_archive(request: HttpRequest, slug: str, partner_id: int) -> HttpResponse:
    _, partner = get_partner(request.user, slug, partner_id)
    services.partner_archive(partner=partner, actor=request.user)
    messages.success(
        request, f"{partner.name} is archived: its past answers stay, new invitations skip it."
    )
    return redirect("places:partners", slug=slug)


@login_required
@require_POST
def partner_restore(request: HttpRequest, slug: str, partner_id: int) -> HttpResponse:
    _, partner = get_partner(request.user, slug, partner_id)
    services.partner_restore(partner=partner, actor=request.user)
    messages.success(request, f"{partner.name} is restored.")
    return redirect("places:partners", slug=slug)


# --- People -------------------------------------------------------------------------------


@login_required
def people(request: HttpRequest, slug: str) -> HttpResponse:
    """Who can see the place, invitations waiting, and a form to invite a colleague."""
    membership = get_membership(request.user, slug, LEADS)
    place = membership.place
    form = InviteColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.place_invitation_create(
                place=place,
                actor=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if invitation.email_failed:
                messages.error(request, _email_failed(invitation))
            else:
                messages.success(
                    request,
                    f"An invitation is on its way to {invitation.email}. The link works for "
                    f"{services.PLACE_INVITATION_DAYS} days.",
                )
            return redirect("places:people", slug=place.slug)
    return render(
        request,
        "places/people.html",
        {
            "place": place,
            "membership": membership,
            "form": form,
            "members": [
                (member, _role_form(request, member))
                for member in selectors.members_of_place(place)
            ],
            "invitations": selectors.pending_place_invitations(place),
            "now": timezone.now(),
        },
    )


# Role changes refused, by membership (ninefold.forms.keep_refused_row).
REFUSED_ROLE_KEY = "places_refused_role"


def _role_form(request: HttpRequest, member) -> RoleForm:
    """The role select on a member's row: as refused last time, or their current role."""
    ids = f"id_member-{member.pk}_%s"
    refused = refused_row_form(request, REFUSED_ROLE_KEY, member.pk, RoleForm, auto_id=ids)
    return refused or RoleForm(initial={"role": member.role}, auto_id=ids)


@login_required
@require_POST
def member_role(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    _, target = get_member(request.user, slug, membership_id)
    form = RoleForm(request.POST)
    refused: list[str] = []
    if form.is_valid():
        try:
            target = services.membership_change_role(
                membership=target, actor=request.user, role=form.cleaned_data["role"]
            )
        except ValidationError as exc:
            refused = exc.messages
    if refused or form.errors:
        # Back to the list, where the member's row shows the error at the role.
        keep_refused_row(request, REFUSED_ROLE_KEY, target.pk, form, refused)
        messages.error(
            request, f"The role of {target.user} was not changed: see the error on their row"
        )
        return redirect("places:people", slug=slug)
    messages.success(request, f"{target.user} is now {target.get_role_display().lower()}.")
    if target.user_id == request.user.pk and target.role != Role.LEAD:
        return redirect("places:detail", slug=slug)
    return redirect("places:people", slug=slug)


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    _, target = get_member(request.user, slug, membership_id)
    try:
        services.membership_remove(membership=target, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("places:people", slug=slug)
    if target.user_id == request.user.pk:
        messages.success(request, f"You have left {target.place.name}.")
        return redirect("home")
    messages.success(request, f"{target.user} no longer has access to this place.")
    return redirect("places:people", slug=slug)


def _change_invitation(request, slug: str, invitation_id: int, service, done: str):
    """Resend or withdraw a colleague invitation; the service's refusal is shown as a message."""
    _, invitation = get_place_invitation(request.user, slug, invitation_id)
    try:
        service(invitation=invitation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        # A resend whose email failed says so (withdrawing sends nothing: no such flag).
        if getattr(invitation, "email_failed", None):
            messages.error(request, _email_failed(invitation))
        else:
            messages.success(request, done.format(email=invitation.email))
    return redirect("places:people", slug=slug)


def _email_failed(invitation) -> str:
    return (
        f"The invitation to {invitation.email} is saved, but the email could not be sent. "
        "Use “Send again” below in a few minutes; if it fails again, tell your IT team."
    )


@login_required
@require_POST
def invitation_resend(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    return _change_invitation(
        request,
        slug,
        invitation_id,
        services.place_invitation_resend,
        "A fresh link is on its way to {email}.",
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    return _change_invitation(
        request,
        slug,
        invitation_id,
        services.place_invitation_revoke,
        "The invitation to {email} is withdrawn.",
    )


def _link_does_not_work(request: HttpRequest) -> HttpResponse:
    return render(request, "places/join_invalid.html", status=404)


def join(request: HttpRequest, token: str) -> HttpResponse:
    """A colleague's invitation link: make an account, or accept with the signed-in one."""
    invitation = services.place_invitation_find(token)
    if invitation is None:
        return _link_does_not_work(request)
    user = request.user if request.user.is_authenticated else None
    context: dict = {"invitation": invitation, "place": invitation.place}
    if user is not None:
        if user.email.lower() != invitation.email.lower():
            return render(request, "places/join_wrong_account.html", context, status=403)
        if request.method == "POST":
            try:
                membership = services.place_invitation_accept(invitation=invitation, user=user)
            except ValidationError as exc:
                if getattr(exc, "code", None) == services.INVITATION_NOT_PENDING:
                    return _link_does_not_work(request)
                raise
            messages.success(request, f"Welcome to {membership.place.name}.")
            return redirect(membership.place)
        return render(request, "places/join_confirm.html", context)
    if User.objects.filter(email__iexact=invitation.email).exists():
        return render(request, "places/join_sign_in.html", context)
    form = JoinForm(request.POST or None, email=invitation.email)
    # With PASSWORD_SIGN_IN off, accounts are made only through the provider (accounts/oidc.py).
    if request.method == "POST" and settings.PASSWORD_SIGN_IN and form.is_valid():
        try:
            membership = services.place_invitation_accept(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            # Used or withdrawn since the look-up above (a second tab, the lead withdrawing it).
            if getattr(exc, "code", None) == services.INVITATION_NOT_PENDING:
                return _link_does_not_work(request)
            add_service_errors(form, exc)
        else:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Your account is ready. Welcome to {membership.place.name}.")
            return redirect(membership.place)
    return render(request, "places/join_new_account.html", {**context, "form": form})


# --- Lead invitations (decision 0024) --------------------------------------------------------


@login_required
def lead_invitations(request: HttpRequest) -> HttpResponse:
    """A site administrator invites people to set up places, and sees who is still to accept."""
    require_site_staff(request.user)
    form = InviteLeadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _link = services.lead_invitation_create(
                actor=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"An invitation is on its way to {invitation.email}. The link works for "
                f"{services.PLACE_INVITATION_DAYS} days.",
            )
            return redirect("leads:invitations")
    return render(
        request,
        "places/lead_invitations.html",
        {
            "form": form,
            "invitations": selectors.pending_lead_invitations(),
            "now": timezone.now(),
        },
    )


def _change_lead_invitation(request, invitation_id: int, service, done: str):
    invitation = get_lead_invitation(request.user, invitation_id)
    try:
        service(invitation=invitation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done.format(email=invitation.email))
    return redirect("leads:invitations")


@login_required
@require_POST
def lead_invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return _change_lead_invitation(
        request,
        invitation_id,
        services.lead_invitation_resend,
        "A fresh link is on its way to {email}.",
    )


@login_required
@require_POST
def lead_invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return _change_lead_invitation(
        request,
        invitation_id,
        services.lead_invitation_revoke,
        "The invitation to {email} is withdrawn.",
    )


def lead_join(request: HttpRequest, token: str) -> HttpResponse:
    """A lead invitation's link: make an account, or accept with the signed-in one; then on
    to setting up a place. The same steps as a colleague's ``join``."""
    invitation = services.lead_invitation_find(token)
    if invitation is None:
        return _link_does_not_work(request)
    user = request.user if request.user.is_authenticated else None
    context: dict = {"invitation": invitation}
    if user is not None:
        if user.email.lower() != invitation.email.lower():
            return render(request, "places/lead_join_wrong_account.html", context, status=403)
        if request.method == "POST":
            try:
                services.lead_invitation_accept(invitation=invitation, user=user)
            except ValidationError as exc:
                if getattr(exc, "code", None) == services.INVITATION_NOT_PENDING:
                    return _link_does_not_work(request)
                raise
            messages.success(request, "You can now set up your place.")
            return redirect("places:create")
        return render(request, "places/lead_join_confirm.html", context)
    if User.objects.filter(email__iexact=invitation.email).exists():
        return render(request, "places/lead_join_sign_in.html", context)
    form = JoinForm(request.POST or None, email=invitation.email)
    # With PASSWORD_SIGN_IN off, accounts are made only through the provider (accounts/oidc.py).
    if request.method == "POST" and settings.PASSWORD_SIGN_IN and form.is_valid():
        try:
            user = services.lead_invitation_accept(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == services.INVITATION_NOT_PENDING:
                return _link_does_not_work(request)
            add_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Your account is ready. Next, set up your place.")
            return redirect("places:create")
    return render(request, "places/lead_join_new_account.html", {**context, "form": form})


# --- Activity -----------------------------------------------------------------------------

ACTIVITY_PER_PAGE = 50


@login_required
def activity(request: HttpRequest, slug: str) -> HttpResponse:
    """The place's activity log, newest first, for its leads (two queries per page)."""
    membership = get_membership(request.user, slug, LEADS)
    paginator = Paginator(selectors.activity_for_place(membership.place), ACTIVITY_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "places/activity.html", {"place": membership.place, "page": page})
