"""The marker for URLs that carry a secret: ``<secret:name>`` in a URL pattern.

A respondent's personal link, a colleague's invitation link and a password-reset link each
hold a token that works for whoever has it. Writing ``<secret:token>`` instead of
``<str:token>`` in the pattern is all it takes for that part of every matching path to be
redacted from the app's and gunicorn's logs (ninefold/logging.py walks the URL patterns for
the marker), so a new secret URL cannot be forgotten by the redaction.
"""

from __future__ import annotations

from django.urls import register_converter
from django.urls.converters import StringConverter


class SecretConverter(StringConverter):
    """Matches like ``str`` (anything but a slash); only the marker differs."""


register_converter(SecretConverter, "secret")
