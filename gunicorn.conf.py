"""gunicorn's settings for Ninefold (read with `gunicorn -c gunicorn.conf.py ninefold.wsgi`).

Everything an IT team may want to change comes from the environment; see docs/deploy.md.
gunicorn's own log lines (start-up, worker restarts, one line per request) go to stdout in the
same form and at the same level as the app's (LOG_FORMAT, LOG_LEVEL), with secret links redacted.
"""

import os

from gunicorn.http import wsgi as _gunicorn_wsgi

from ninefold.env import env_bool
from ninefold.logging import log_settings, logging_config

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# PDF reports take a second or two to render; anything past this is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Restart workers now and then so that slow leaks never build up.
max_requests = 1000
max_requests_jitter = 100
# Trust X-Forwarded-* only from the proxies named here (gunicorn also reads this variable).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Client address, request line, status, response size, duration in milliseconds.
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms'

# The app's own logging set-up (ninefold/logging.py): same LOG_LEVEL and LOG_FORMAT, checked
# here too so that a bad value stops gunicorn at start rather than each worker.
_level, _format = log_settings(debug=env_bool("DEBUG", False))
loglevel = _level.lower()
logconfig_dict = logging_config(level=_level, fmt=_format)


# No "Server: gunicorn" header: it tells a scanner which server and which weaknesses to try,
# and nobody else needs it. gunicorn has no setting for it, so its default headers are
# filtered here (this file runs in the master before the workers are forked).
_default_headers = _gunicorn_wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


_gunicorn_wsgi.Response.default_headers = _default_headers_without_server
