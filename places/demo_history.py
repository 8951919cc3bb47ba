"""The demo's activity log: what its lead and facilitator would have done, dated as it happened.

The demo commands build their data directly (bulk inserts, fixed dates), not through the
services, so nothing would reach the activity log and the demo's log would say "nothing
recorded" beside three rounds and a workshop. These entries use the services' own verbs
and wording. Re-running a demo command adds nothing twice: an entry is matched on its
place, verb and description.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from places.models import ActivityLog, Place


@dataclass(frozen=True)
class Entry:
    when: dt.datetime
    actor: object  # a user, or None when Ninefold acted (a scheduled reminder)
    verb: str
    description: str


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def record_history(place: Place, entries: Iterable[Entry]) -> int:
    """Add the entries not there yet, each dated ``when``; return how many were added."""
    added = 0
    for entry in entries:
        row, created = ActivityLog.objects.get_or_create(
            place=place,
            verb=entry.verb,
            description=entry.description[:500],
            defaults={"actor": entry.actor},
        )
        if created:
            # created_at is set on insert (auto_now_add): date it afterwards.
            ActivityLog.objects.filter(pk=row.pk).update(created_at=entry.when)
            added += 1
    return added
