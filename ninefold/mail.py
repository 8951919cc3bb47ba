"""Development email: printed to the terminal and kept, so the page /dev/emails/ can list them.

With ``DEBUG`` on (``make demo``) nothing is really sent. A newcomer following an invitation
should not have to dig its link out of the server's output, so ``DevelopmentEmailBackend``
also writes each message as a small JSON file under ``EMAIL_OUTBOX_DIR`` (the git-ignored
``var/emails``). Files rather than memory, because the demo commands and the server are
separate processes. ``ninefold.views.sent_emails`` reads them, and answers 404 with ``DEBUG``
off, whatever the backend.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend
from django.utils import timezone

# Newest first; older files stay on disk (var/ is the developer's) but are not listed.
LISTED = 50
_LINK = re.compile(r"https?://[^\s<>\"')]+")


@dataclass(frozen=True)
class SentEmail:
    sent_at: str
    to: list[str]
    subject: str
    body: str

    @property
    def sent(self):
        """When it was sent, as a date and time the page can format."""
        return dt.datetime.fromisoformat(self.sent_at)

    @property
    def links(self) -> list[str]:
        return list(dict.fromkeys(_LINK.findall(self.body)))


def _outbox() -> Path:
    return Path(settings.EMAIL_OUTBOX_DIR)


class DevelopmentEmailBackend(ConsoleEmailBackend):
    """The console backend, plus a copy of every message sent for ``/dev/emails/``."""

    def send_messages(self, email_messages) -> int:
        sent = super().send_messages(email_messages)
        outbox = _outbox()
        outbox.mkdir(parents=True, exist_ok=True)
        for message in email_messages or []:
            record = {
                "sent_at": timezone.now().isoformat(timespec="seconds"),
                "to": list(message.to),
                "subject": str(message.subject),
                "body": str(message.body),
            }
            name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.json"
            (outbox / name).write_text(json.dumps(record), encoding="utf-8")
        return sent


def sent_emails(limit: int = LISTED) -> list[SentEmail]:
    """The emails kept by ``DevelopmentEmailBackend``, newest first."""
    outbox = _outbox()
    if not outbox.is_dir():
        return []
    found = []
    for path in sorted(outbox.glob("*.json"), reverse=True)[:limit]:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            found.append(SentEmail(**record))
        except (OSError, ValueError, TypeError):
            continue  # a half-written or foreign file: skip it, list the rest
    return found
