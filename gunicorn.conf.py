"""gunicorn's settings for Ninefold (read with `gunicorn -c gunicorn.conf.py ninefold.wsgi`).

Everything an IT team may want to change comes from the environment; see docs/deploy.md.
gunicorn's own log lines (start-up, worker restarts, one line per request) go to stdout in the
same form as the app's (LOG_FORMAT=json or plain), with respondents' personal links redacted.
"""

import os

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
_format = "plain" if os.environ.get("LOG_FORMAT", "json").lower() == "plain" else "json"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "ninefold.logging.RedactPersonalLinks"}},
    "formatters": {
        "json": {"()": "ninefold.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": _format,
            "filters": ["redact"],
        }
    },
    "root": {"level": "INFO", "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
