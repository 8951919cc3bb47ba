"""The client's address, for counting failed sign-ins and link guesses per client.

REMOTE_ADDR is the address of whoever opened the connection. Behind a reverse proxy that is
the proxy, so every visitor would share one count. Each proxy appends the address it received
the request from to X-Forwarded-For; with ``TRUSTED_PROXY_COUNT`` proxies in front of the app,
the client is therefore the n-th entry from the right. Entries further left were written by the
client itself and are never trusted (see docs/decisions/0011).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address; REMOTE_ADDR unless the forwarded header can be trusted.

    Falls back to REMOTE_ADDR when no proxy is configured, when X-Forwarded-For is missing
    or has fewer entries than there are proxies (the request did not come through all of
    them), or when the chosen entry is not an IP address (a misconfigured proxy).
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote_addr
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [entry for entry in entries if entry]
    if len(entries) < proxies:
        return remote_addr
    candidate = entries[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr
