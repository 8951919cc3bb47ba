"""Slow down anyone guessing personal-link tokens, without ever refusing a valid link.

Only look-ups that find nothing count, per client address (decision 0035). A valid token
is always served, whoever asks: respondents behind one council or NHS address share it
with everyone else there, and a scan from that address must not lock them out. Past the
limit, an unknown token gets a 429 page instead of the 404 one, and the scan is logged.

The count lives in the database and is moved by conditional UPDATEs, one row per
address: each of many parallel failures reads back its own number, so exactly
FAILED_LOOKUPS_ALLOWED are answered 404 however many arrive at once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from assessments.models import LinkLookupFailures
from ninefold.client_ip import client_ip

logger = logging.getLogger(__name__)

FAILED_LOOKUPS_ALLOWED = 20
WINDOW = dt.timedelta(minutes=15)
WINDOW_SECONDS = int(WINDOW.total_seconds())


def _address(request: HttpRequest) -> str:
    # REMOTE_ADDR, or the forwarded address when TRUSTED_PROXY_COUNT says proxies added it.
    return (client_ip(request) or "unknown")[:64]


def _count_one(address: str, now: dt.datetime) -> int:
    """Add one failure for ``address`` and return the count in its window (atomic)."""
    rows = LinkLookupFailures.objects.filter(address=address)
    for _ in range(3):
        # Within a live window: one more. The row stays locked until the transaction ends,
        # so the read below sees this request's own number.
        if rows.filter(window_started_at__gt=now - WINDOW).update(failures=F("failures") + 1):
            break
        # An expired window: start again. Conditional too, so two requests restarting it
        # at once do not both set 1 (the second finds a live window on its next turn).
        if rows.filter(window_started_at__lte=now - WINDOW).update(
            window_started_at=now, failures=1
        ):
            break
        try:
            with transaction.atomic():
                LinkLookupFailures.objects.create(
                    address=address, window_started_at=now, failures=1
                )
            break
        except IntegrityError:  # created by a parallel request: count in its row
            continue
    return rows.values_list("failures", flat=True).get()


def record_failed_lookup(request: HttpRequest) -> bool:
    """Count a look-up that found nothing; True when this address is past the limit."""
    address = _address(request)
    now = timezone.now()
    with transaction.atomic():
        failures = _count_one(address, now)
        if failures == FAILED_LOOKUPS_ALLOWED + 1:
            logger.warning(
                "Personal links: %s unknown tokens from %s in %s minutes; "
                "further unknown tokens from it are answered 429.",
                failures,
                address,
                WINDOW_SECONDS // 60,
            )
        if failures == 1:
            # A new window: forget addresses whose windows ended (one DELETE, rare).
            LinkLookupFailures.objects.filter(window_started_at__lte=now - WINDOW).delete()
    return failures > FAILED_LOOKUPS_ALLOWED
