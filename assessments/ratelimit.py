"""Slow down anyone guessing personal-link tokens.

Failed look-ups are counted per client address in Django's cache (shared between
app processes when the cache is, see docs/decisions/0011). Past the limit, every
personal-link request from that address is refused until the window ends, so a
lucky guess inside a blocked window is never even looked up.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

from ninefold.client_ip import client_ip

FAILED_LOOKUPS_ALLOWED = 20
WINDOW_SECONDS = 15 * 60


def _key(request: HttpRequest) -> str:
    # REMOTE_ADDR, or the forwarded address when TRUSTED_PROXY_COUNT says proxies added it.
    return f"ninefold:link-failures:{client_ip(request) or 'unknown'}"


def link_guessing_blocked(request: HttpRequest) -> bool:
    return (cache.get(_key(request)) or 0) >= FAILED_LOOKUPS_ALLOWED


def record_failed_lookup(request: HttpRequest) -> None:
    key = _key(request)
    # add() starts the window only once; incr() then counts within it.
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=WINDOW_SECONDS)
