"""Structured logging: one JSON object per line on stdout, personal links redacted.

Respondents reach their answers through a secret link (``/r/<token>/``). Anyone who can read
the logs must not be able to use those links, so every message and path is passed through
``redact`` before it is written.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

_PERSONAL_LINK = re.compile(r"(/r/)[^/\s?#\"']+")


def redact(text: str) -> str:
    return _PERSONAL_LINK.sub(r"\1[redacted]", text)


class RedactPersonalLinks(logging.Filter):
    """Replace respondent tokens in a record's message (plain and JSON output alike)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as a single line of JSON with a fixed set of keys."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        request = getattr(record, "request", None)
        method = getattr(request, "method", None)
        if method:
            entry["method"] = method
            entry["path"] = redact(getattr(request, "path", ""))
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)
