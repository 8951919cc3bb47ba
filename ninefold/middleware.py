"""Middleware of the project as a whole (not of one app)."""

from __future__ import annotations

import logging
import re

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control

logger = logging.getLogger("ninefold.unavailable")

RETRY_AFTER_SECONDS = 30

UNAVAILABLE_MESSAGE = (
    "Ninefold cannot reach its database just now. What you saved before is safe, "
    "but what you sent just now may not have been saved. Please try again in a minute."
)

# Deliberately self-contained: no base template, no database, no user, no static files,
# nothing inline that a strict Content-Security-Policy would block.
UNAVAILABLE_PAGE = f"""<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Temporarily unavailable – Ninefold</title></head>
<body>
<main>
<h1>Temporarily unavailable</h1>
<p>{UNAVAILABLE_MESSAGE}</p>
<p>If you were filling in a form, go back to it: your browser usually keeps what you typed.</p>
</main>
</body>
</html>
"""


def unavailable_response(request: HttpRequest) -> HttpResponse:
    if "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse(
            {"status": "unavailable", "message": UNAVAILABLE_MESSAGE}, status=503
        )
    else:
        response = HttpResponse(UNAVAILABLE_PAGE, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After, not 500, while the database cannot be reached.

    A lost or refused database connection (PostgreSQL restarting, a failover, the
    network) raises ``OperationalError`` or ``InterfaceError`` from the view; the
    transaction was rolled back, so the honest answer is "try again", not "bug".
    Django closes the broken connection at the end of the request and the next
    request connects afresh (CONN_HEALTH_CHECKS), so the app recovers by itself.
    Other database errors (IntegrityError, DataError…) remain real bugs: 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, OperationalError | InterfaceError):
            # The view's name, not the path: personal links carry a secret token.
            match = request.resolver_match
            logger.error(
                "Database unavailable during %s %s: %s",
                request.method,
                match.view_name if match else "?",
                exception,
            )
            return unavailable_response(request)
        return None


# C0 and C1 control characters and DEL: no address of the app has one, and PostgreSQL text
# cannot hold NUL, so a view looking one up would fail with a 500.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class RefuseControlCharactersMiddleware:
    """Answer 404 to any path with a control character (``/dashboard/%00/``), before routing.

    One rule for every path parameter (``<str:code>``, tokens, anything added later), rather
    than a check in each view or converter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _CONTROL_CHARACTERS.search(request.path):
            raise Http404("No such page.")
        return self.get_response(request)


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response that does not set its own.

    Respondents' answers, dashboards, place pages and summaries are personal or belong to one
    place: no browser history, shared computer or proxy may keep them. One default rather than
    a decorator per view, so a new page cannot forget it. Static files never come through
    here (WhiteNoise answers them first, with its own long caching)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
