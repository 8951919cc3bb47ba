"""Report caching, keyed on the release and the place's data version (decision 0053).

Everything a report shows of a place (figures, names, workshop records) changes only
through writes that bump ``Place.data_version`` in the same transaction
(``reports.freshness``). So a cached summary, page or PDF stored under a version is
exactly what would be built now while the version is unchanged, and a reader learns the
version from the place row it loads anyway: a cache hit reads no answer table at all.

The rest of what a cached entry depends on is the code that built it (templates, styles,
the shape of a summary). Every key carries the release, so a deploy starts from an empty
cache instead of serving the previous release's markup, which may name static files the new
release no longer has.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from places.models import Place

# Raise when the shape of anything cached here changes, so old entries are never read.
CACHE_FORMAT = 3
# Rebuilding a page costs tens of milliseconds; a PDF, seconds, so PDFs pass a longer
# timeout. A superseded version's entries are removed when the next version's first entry
# is stored (``_register``), so they do not wait for their timeout.
CACHE_SECONDS = 3600
# The list of a place's entries (``_register``) outlives any entry it lists.
INDEX_SECONDS = 2 * 24 * 3600

T = TypeVar("T")
_MISSING = object()


def current_version(place_id: int) -> int:
    """The place's data version as committed now (one query)."""
    return Place.objects.filter(pk=place_id).values_list("data_version", flat=True).get()


# What a report is built from, relative to the project folder: the apps' code, the
# templates and the static files (a page names them by their hashed names).
CODE_PATHS = (
    "accounts",
    "assessments",
    "networks",
    "ninefold",
    "places",
    "preconditions",
    "reports",
    "static",
    "templates",
    "workshop",
)


def code_fingerprint(root: Path) -> str:
    """A short hash of every file under ``CODE_PATHS`` of ``root``: names and contents.

    The same checkout gives the same fingerprint in every process (web workers and the
    task worker share one cache), and any change to code, a template or a static file
    gives another.
    """
    digest = hashlib.sha256()
    for top in CODE_PATHS:
        folder = root / top
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@functools.cache
def _built_release() -> str:
    # Read once per process (about 6 MB, tens of milliseconds), at the first report built.
    try:
        package = metadata.version("ninefold")
    except metadata.PackageNotFoundError:
        package = "0"
    return f"{package}+{code_fingerprint(Path(settings.BASE_DIR))}"


def release() -> str:
    """The release in every report cache key: ``NINEFOLD_RELEASE``, or one from the code."""
    return settings.NINEFOLD_RELEASE or _built_release()


def key(place_id: int, version: int, *parts: object) -> str:
    return ":".join(
        [
            "ninefold",
            "report",
            str(CACHE_FORMAT),
            release(),
            str(place_id),
            str(version),
            *map(str, parts),
        ]
    )


def get_or_build(
    place: Place | int,
    parts: tuple,
    build: Callable[[], T],
    *,
    timeout: int = CACHE_SECONDS,
    keep: Callable[[T], bool] | None = None,
) -> T:
    """The cached value for ``parts`` of this place, built and stored on a miss.

    Pass the ``Place`` a view loaded for this request (its version costs nothing) or the
    place's id (the version is read, one query). ``build`` may raise (a 404, say):
    nothing is stored then, nor when ``keep`` says the value is not to be kept.
    """
    if isinstance(place, Place):
        place_id, version = place.pk, place.data_version
    else:
        place_id, version = place, current_version(place)
    cache_key = key(place_id, version, *parts)
    value = cache.get(cache_key, _MISSING)
    if value is _MISSING:
        value = build()
        if (keep is None or keep(value)) and _register(place_id, version, cache_key):
            cache.set(cache_key, value, timeout)
    return value


def index_key(place_id: int) -> str:
    return f"ninefold:entries-of-place:{CACHE_FORMAT}:{place_id}"


def _register(place_id: int, version: int, cache_key: str) -> bool:
    """Record ``cache_key`` as an entry of the place's current version; whether to store it.

    Each place has one index entry: the newest version anything was stored under and the
    keys stored under it. The first entry stored under a newer version deletes the keys of
    the older one, so a place keeps the entries of one version (plus a few strays, below)
    however often its data changes (decision 0058). An entry built under an older version
    than the index's (a reader that loaded the place before a save) is not stored: no one
    would read it.

    Two processes registering at once may each write the index, and the second write drops
    the first one's key from it: that entry is not deleted with its version and lives out
    its timeout instead. A lock would cost every first view a round trip for that.
    """
    index = cache.get(index_key(place_id))
    if index is not None and index[0] > version:
        return False
    if index is None or index[0] < version:
        if index is not None:
            cache.delete_many(index[1])
        keys = [cache_key]
    else:
        keys = index[1] if cache_key in index[1] else [*index[1], cache_key]
    cache.set(index_key(place_id), (version, keys), INDEX_SECONDS)
    return True


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
