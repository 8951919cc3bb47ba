from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email address and password do not match an account.",
    }

    def clean(self):
        if not settings.PASSWORD_SIGN_IN:
            raise ValidationError(
                f"Sign in with {settings.OIDC_PROVIDER_NAME}: passwords are not used here.",
                code="passwords_off",
            )
        return super().clean()


class EmailPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will send a link to this address if it belongs to an account.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The email address a sign-in attempt is counted against, for django-axes.

    The form field is called ``username`` although the user model signs in with
    ``email``; lower-casing means ``Ann@x.org`` and ``ann@x.org`` share one count.
    """
    value = (credentials or {}).get("username") or request.POST.get("username")
    return value.strip().lower() if value else value
