"""The real URLconf plus views that fail on purpose, to exercise the error handlers."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.urls import path

from ninefold.urls import handler400, handler403, handler404, handler500  # noqa: F401
from ninefold.urls import urlpatterns as real_patterns

SECRET_DETAIL = "secret-detail-/srv/app/ninefold/settings.py"


def bad(request):
    raise BadRequest(SECRET_DETAIL)


def forbidden(request):
    raise PermissionDenied(SECRET_DETAIL)


def missing(request):
    raise Http404(SECRET_DETAIL)


def boom(request):
    raise RuntimeError(SECRET_DETAIL)


urlpatterns = [
    path("test-errors/400/", bad),
    path("test-errors/403/", forbidden),
    path("test-errors/404/", missing),
    path("test-errors/500/", boom),
    *real_patterns,
]
