"""Logging for the app and gunicorn alike: one set-up, secret links redacted, refusals on one line.

``logging_config`` is the only logging set-up: Django's ``LOGGING`` (ninefold/settings.py) and
gunicorn's ``logconfig_dict`` (gunicorn.conf.py) are both built by it from ``LOG_LEVEL`` and
``LOG_FORMAT``, read strictly by ``log_settings`` (a bad value stops start-up, naming the
variable).

Secret links. A respondent's personal link, a colleague's invitation link and a password-reset
link work for whoever has them, and anyone who can read the logs must not be able to use
them. Their URL patterns mark the secret part with ``<secret:…>`` (ninefold/secret_links.py);
``redact`` walks the URL patterns for that marker, so every marked part of every path in a
message (Django's "Not Found: …", gunicorn's request line) becomes ``[redacted]``. Before
Django's URL patterns can be read (gunicorn's master process, a broken URLconf) every path is
redacted whole instead: a secret is never written because the rule could not be built.

Refusals. Django logs a 403 (PermissionDenied) with the exception's traceback at WARNING: a
dozen lines of noise for an expected answer, hiding real errors. Any record of a response below
500 keeps its one line and loses the traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import re

from django.core.exceptions import ImproperlyConfigured

from ninefold.env import env_str

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("json", "plain")
REDACTED = "[redacted]"

# Any path in a message, when the URL patterns cannot be read.
_ANY_PATH = re.compile(r"(?:(?<=\s)|(?<=^)|(?<=[\"'(]))/[^\s\"')]+")
_GROUP = re.compile(r"\(\?P<(\w+)>")


def log_settings(*, debug: bool) -> tuple[str, str]:
    """``(LOG_LEVEL, LOG_FORMAT)`` from the environment, checked; JSON by default in production."""
    level = (env_str("LOG_LEVEL", "INFO") or "").strip().upper()
    fmt = (env_str("LOG_FORMAT", "plain" if debug else "json") or "").strip().lower()
    if level not in LOG_LEVELS:
        raise ImproperlyConfigured(f"LOG_LEVEL={level!r} is not one of: {', '.join(LOG_LEVELS)}.")
    if fmt not in LOG_FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT={fmt!r} is not one of: {', '.join(LOG_FORMATS)}.")
    return level, fmt


def logging_config(*, level: str, fmt: str) -> dict:
    """The dictConfig for the app and for gunicorn: stdout, one format, one level everywhere."""
    own = {"handlers": ["console"], "level": level, "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "redact": {"()": "ninefold.logging.RedactSecretLinks"},
            "one_line_refusals": {"()": "ninefold.logging.OneLineRefusals"},
        },
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {"()": "ninefold.logging.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": fmt,
                "filters": ["one_line_refusals", "redact"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own handlers would otherwise email admins or print to stderr.
            "django": own,
            # gunicorn's start-up lines and its one line per request (the access log, at INFO:
            # LOG_LEVEL=WARNING or above leaves it out).
            "gunicorn.error": own,
            "gunicorn.access": own,
        },
    }


def _secret_rules(resolver) -> list[tuple[re.Pattern, tuple[str, ...]]]:
    """One regex per URL pattern with a ``<secret:…>`` part, and the names of those groups."""
    from django.urls import URLResolver

    from ninefold.secret_links import SecretConverter

    rules = []

    def walk(patterns, chain):
        for entry in patterns:
            pattern = entry.pattern
            part = pattern.regex.pattern.removeprefix("^").removesuffix(r"\Z").removesuffix("$")
            secrets = {
                name
                for name, converter in getattr(pattern, "converters", {}).items()
                if isinstance(converter, SecretConverter)
            }
            here = [*chain, (part, secrets)]
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, here)
            elif any(s for _, s in here):
                rules.append(compile_rule(here))

    def compile_rule(chain):
        # Group names are made unique per level: nested patterns may reuse a name.
        pieces, secret_groups = [], []
        for level, (part, secrets) in enumerate(chain):

            def rename(match, level=level, secrets=secrets):
                name = f"l{level}_{match.group(1)}"
                if match.group(1) in secrets:
                    secret_groups.append(name)
                return f"(?P<{name}>"

            pieces.append(_GROUP.sub(rename, part))
        return re.compile("/" + "".join(pieces)), tuple(secret_groups)

    walk(resolver.url_patterns, [])
    return rules


@functools.lru_cache(maxsize=8)
def _rules_for(resolver) -> list[tuple[re.Pattern, tuple[str, ...]]]:
    return _secret_rules(resolver)


def _rules() -> list[tuple[re.Pattern, tuple[str, ...]]] | None:
    try:
        from django.conf import settings

        if not settings.configured:
            return None
        from django.urls import get_resolver

        return _rules_for(get_resolver())
    except Exception:  # settings or apps not ready, or a broken URLconf: redact every path
        return None


def redact(text: str) -> str:
    """``text`` with the secret part of every secret URL's path replaced by ``[redacted]``."""
    if "/" not in text:
        return text
    rules = _rules()
    if rules is None:
        return _ANY_PATH.sub("/" + REDACTED, text)
    for regex, groups in rules:

        def clean(match: re.Match, groups=groups) -> str:
            found, start = match.group(0), match.start()
            for name in sorted(groups, key=match.start, reverse=True):
                if match.start(name) >= 0:
                    a, b = match.start(name) - start, match.end(name) - start
                    found = found[:a] + REDACTED + found[b:]
            return found

        text = regex.sub(clean, text)
    return text


class RedactSecretLinks(logging.Filter):
    """Redact secret links in a record's message (plain and JSON output alike)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class OneLineRefusals(logging.Filter):
    """Drop the traceback from records of answers below 500 (403s, 404s): they are not errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and status < 500:
            record.exc_info, record.exc_text = None, None
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
