"""Project-wide views: the health check and the error pages.

Error pages say what happened and what to do next, and nothing else: no paths, no exception
text, no settings. The 500 page is rendered without the request's context processors, because
the failure may be in the database they would query.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from ninefold import mail

logger = logging.getLogger(__name__)


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" when the database answers one cheap query, otherwise 503 "unavailable"."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database did not answer")
        return HttpResponse("unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def sent_emails(request: HttpRequest) -> HttpResponse:
    """With DEBUG on only: the emails the app would have sent, with their links, so someone
    trying Ninefold on a laptop can follow an invitation (ninefold.mail). 404 otherwise."""
    if not settings.DEBUG:
        raise Http404("No such page.")
    return render(
        request,
        "dev/emails.html",
        {"emails": mail.sent_emails(), "kept": settings.EMAIL_BACKEND.startswith("ninefold.mail")},
    )


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request: no context processors, no session or user lookup.
    return HttpResponseServerError(loader.get_template("errors/500.html").render({}))
