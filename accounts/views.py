from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy

from accounts import services
from accounts.forms import EmailPasswordResetForm
from ninefold.client_ip import client_ip


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' lockout response: a page that says what happened and for how long."""
    return render(
        request,
        "accounts/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link: queued for the worker, limited per email and per client address.

    Django's view sends the email inside the request, and only for a known address, so the
    answer's timing told whether an account exists; and it never limited requests."""

    form_class = EmailPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        if not settings.PASSWORD_SIGN_IN:
            form.add_error(
                None, f"Passwords are not used here: sign in with {settings.OIDC_PROVIDER_NAME}."
            )
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            services.password_reset_request(
                email=form.cleaned_data["email"], client_address=client_ip(self.request)
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return HttpResponseRedirect(self.get_success_url())
