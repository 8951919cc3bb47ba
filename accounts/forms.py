from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from ninefold.forms import StaffFormMixin

NEW_PASSWORD_ERRORS = {
    "new_password1": "Enter a new password",
    "new_password2": "Type the new password again",
}


class EmailAuthenticationForm(StaffFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the right form, like name@example.org",
        },
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email address and password do not match an account",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].error_messages["required"] = "Enter your password"

    def clean(self):
        if not settings.PASSWORD_SIGN_IN:
            raise ValidationError(
                f"Sign in with {settings.OIDC_PROVIDER_NAME}: passwords are not used here",
                code="passwords_off",
            )
        return super().clean()


class EmailPasswordResetForm(StaffFormMixin, PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will send a link to this address if it belongs to an account.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter the email address you sign in with",
            "invalid": "Enter an email address in the right form, like name@example.org",
        },
    )


class NewPasswordForm(StaffFormMixin, SetPasswordForm):
    """A new password chosen from a reset link."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, message in NEW_PASSWORD_ERRORS.items():
            self.fields[name].error_messages["required"] = message


class ChangePasswordForm(StaffFormMixin, PasswordChangeForm):
    """A signed-in user's new password, with the old one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        for name, message in NEW_PASSWORD_ERRORS.items():
            self.fields[name].error_messages["required"] = message


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The email address a sign-in attempt is counted against, for django-axes.

    The form field is called ``username`` although the user model signs in with
    ``email``; lower-casing means ``Ann@x.org`` and ``ann@x.org`` share one count.
    """
    value = (credentials or {}).get("username") or request.POST.get("username")
    return value.strip().lower() if value else value
