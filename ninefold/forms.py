"""Form helpers every app's views share. Apps import this module; it imports no app."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Attach a service's ValidationError to ``form``: each field's errors on that field when
    the form has it, everything else at the top of the form (the error summary lists both)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
