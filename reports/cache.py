"""Report caching, keyed on the place's data version (decision 0053).

Everything a report shows of a place (figures, names, workshop records) changes only
through writes that bump ``Place.data_version`` in the same transaction
(``reports.freshness``). So a cached summary, page or PDF stored under a version is
exactly what would be built now while the version is unchanged, and a reader learns the
version from the place row it loads anyway: a cache hit reads no answer table at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from places.models import Place

# Raise when the shape of anything cached here changes, so old entries are never read.
CACHE_FORMAT = 2
# A superseded version's entries are never read again; a short life lets the cache drop
# them first when it culls. Rebuilding a page costs tens of milliseconds; a PDF, seconds,
# so PDFs pass a longer timeout.
CACHE_SECONDS = 3600

T = TypeVar("T")
_MISSING = object()


def current_version(place_id: int) -> int:
    """The place's data version as committed now (one query)."""
    return Place.objects.filter(pk=place_id).values_list("data_version", flat=True).get()


def key(place_id: int, version: int, *parts: object) -> str:
    return ":".join(
        ["ninefold", "report", str(CACHE_FORMAT), str(place_id), str(version), *map(str, parts)]
    )


def get_or_build(
    place: Place | int, parts: tuple, build: Callable[[], T], *, timeout: int = CACHE_SECONDS
) -> T:
    """The cached value for ``parts`` of this place, built and stored on a miss.

    Pass the ``Place`` a view loaded for this request (its version costs nothing) or the
    place's id (the version is read, one query). ``build`` may raise (a 404, say):
    nothing is stored then.
    """
    if isinstance(place, Place):
        place_id, version = place.pk, place.data_version
    else:
        place_id, version = place, current_version(place)
    cache_key = key(place_id, version, *parts)
    value = cache.get(cache_key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(cache_key, value, timeout)
    return value


@dataclass(frozen=True)
class ReportPage:
    """A report page's own part, rendered once per data version and role.

    ``body`` is HTML rendered without the request (no user, no CSRF token, no nonce),
    so it is the same for everyone it is cached for; the site frame around it is
    rendered per request.
    """

    title: str
    body: str
    charts: bool

    @property
    def html(self) -> SafeString:
        return mark_safe(self.body)  # noqa: S308 - rendered by our own autoescaping template
