from __future__ import annotations

from places.models import ActivityLog, Place


def activity_record(*, place: Place, actor, verb: str, description: str) -> ActivityLog:
    """Record an entry in the place's activity log (one INSERT).

    ``actor`` is the signed-in user, or None when the system acted.
    """
    return ActivityLog.objects.create(
        place=place,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        description=description[:500],
    )
