"""``/healthz``: answered first in the middleware chain, so that a container's health check
works over plain HTTP on any host name (no HTTPS redirect, no ALLOWED_HOSTS check). It runs one
cheap query and says only "ok" or "unavailable"."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.rstrip("/") == HEALTH_PATH and request.method in {"GET", "HEAD"}:
            from ninefold.views import healthz

            return healthz(request)
        return self.get_response(request)
