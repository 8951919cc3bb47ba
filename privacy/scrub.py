"""Taking people's names and email addresses out of what Ninefold keeps.

Used both by the retention schedule (``privacy.retention``) and by erasure requests
(``privacy.erasure``): once a person's details are gone from their invitation, the activity
log must not still hold them in its sentences ("Added Ann Smith (Riverside Housing) ...").
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

from assessments.models import Invitation, InvitationLink, hash_token
from places.models import ActivityLog

REMOVED = "[a person whose details were removed]"


def _pattern(words: Iterable[str]) -> re.Pattern | None:
    # Longest first, so an email address is replaced before a name inside it.
    unique = sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True)
    if not unique:
        return None
    return re.compile("|".join(re.escape(w) for w in unique), re.IGNORECASE)


def scrub_activity(place_ids: Iterable[int], words: Iterable[str]) -> int:
    """Replace every occurrence of ``words`` in those places' activity log (two queries).

    Returns how many entries changed. Matching ignores case: an email address is the same
    address whatever its case."""
    pattern = _pattern(words)
    if pattern is None:
        return 0
    changed = []
    entries = ActivityLog.objects.filter(place_id__in=list(place_ids)).only("pk", "description")
    for entry in entries.iterator(chunk_size=2000):
        new = pattern.sub(REMOVED, entry.description)
        if new != entry.description:
            entry.description = new[:500]
            changed.append(entry)
    ActivityLog.objects.bulk_update(changed, ["description"], batch_size=500)
    return len(changed)


def void_links(invitation_ids: list[int]) -> list[Invitation]:
    """Every personal link of these invitations stops working: a fresh random hash that no
    token was ever made for replaces the current one, and earlier links are deleted.

    Returns the invitations with their new hash set (not yet saved)."""
    InvitationLink.objects.filter(invitation_id__in=invitation_ids).delete()
    invitations = list(Invitation.objects.filter(pk__in=invitation_ids).only("pk"))
    for invitation in invitations:
        invitation.token_hash = hash_token(secrets.token_urlsafe(32))
    return invitations
