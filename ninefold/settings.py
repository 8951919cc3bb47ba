"""Ninefold settings: one file, every deployment choice read from the environment.

See .env.example for the full list of variables and README.md for local use.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from ninefold.env import env_bool, env_int, env_list, env_str, secret_key_problem

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. For local development set DEBUG=true."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-development-key-not-for-production"  # noqa: S105
elif not DEBUG:
    # Django's own bar (`check --deploy`, security.W009), enforced at start rather than
    # reported: a short or repetitive key lets anyone forge sessions and reset links.
    _problem = secret_key_problem(SECRET_KEY)
    if _problem:
        raise ImproperlyConfigured(
            f"SECRET_KEY {_problem}. Make one with: "
            'python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for the staff form renderer (decision 0036)
    "axes",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "accounts",
    "preconditions",
    "places",
    "assessments",
    "reports",
    "workshop",
    "networks",
    "privacy",
    # Only for its template library of figures (ninefold/templatetags/figures.py).
    "ninefold",
]

MIDDLEWARE = [
    # Answers /healthz before host checks and the HTTPS redirect (see ninefold/health.py).
    "ninefold.health.HealthCheckMiddleware",
    # A control character (a NUL above all) in the path: 404 before any view can query with it.
    "ninefold.middleware.RefuseControlCharactersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every page below is private and never stored unless its view says otherwise.
    "ninefold.middleware.PrivateNoStoreMiddleware",
    # A database that cannot be reached gives a 503 with Retry-After rather than a 500.
    "ninefold.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ninefold.urls"
WSGI_APPLICATION = "ninefold.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.sign_in",
                "networks.navigation.home_link",
            ],
            "libraries": {"error_summary": "ninefold.error_summary"},
        },
    },
]

# SQLite under the git-ignored var/ folder unless DATABASE_URL names another database.
_default_db_url = f"sqlite:///{VAR_DIR / 'ninefold.sqlite3'}"
if not env_str("DATABASE_URL"):
    # A fresh clone has no var/ (it is git-ignored); SQLite cannot create the folder itself.
    VAR_DIR.mkdir(exist_ok=True)
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", _default_db_url),
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL could not be understood: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's planner assumes spinning disks (random_page_cost 4) and then prefers to scan
    # every response of every place over a few hundred index look-ups (the trends query at
    # size L: 24 ms against 5 ms). 1.1 is the usual value for SSDs and a cached database. An
    # `options` given in DATABASE_URL's query string wins. See docs/decisions/0053.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c random_page_cost=1.1")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead log: a long read (a big export streaming) no longer blocks respondents'
    # saves, and a save waits for another save instead of failing when both want to write
    # (IMMEDIATE takes the write lock at the start of a transaction). docs/decisions/0122.
    _sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    _sqlite_options.setdefault("init_command", "PRAGMA journal_mode=WAL")
    _sqlite_options.setdefault("transaction_mode", "IMMEDIATE")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3  # a reset link works for three hours

# Repeated failed sign-ins (django-axes, counted in the database so any web process sees them):
# five failures for one email address from one IP address lock that pair out for 15 minutes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff sign-in through the deploying body's OpenID Connect provider (accounts/oidc.py,
# decision 0112): on when OIDC_ISSUER is set. The backend answers only the provider's callback.
AUTHENTICATION_BACKENDS.append("accounts.oidc.NinefoldOIDCBackend")
OIDC_ISSUER = (env_str("OIDC_ISSUER", "") or "").strip()
OIDC_ENABLED = bool(OIDC_ISSUER)
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", "") or ""
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "") or ""
if OIDC_ENABLED and not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "OIDC_ISSUER is set: OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be too."
    )
# What the sign-in button and messages call the provider.
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "your organisation's sign-in") or ""
# Only addresses in these domains may sign in through the provider (empty: any domain).
OIDC_ALLOWED_EMAIL_DOMAINS = [
    d.strip().lower().lstrip("@") for d in env_list("OIDC_ALLOWED_EMAIL_DOMAINS", []) if d.strip()
]
# Whether email and password sign-in stays available beside the provider.
PASSWORD_SIGN_IN = env_bool("PASSWORD_SIGN_IN", True)
if not PASSWORD_SIGN_IN and not OIDC_ENABLED:
    raise ImproperlyConfigured("PASSWORD_SIGN_IN=false needs OIDC_ISSUER: nobody could sign in.")
OIDC_RP_SIGN_ALGO = "RS256"
# Seconds before a silent provider is given up on (discovery, token, keys, user info).
OIDC_TIMEOUT = 10
OIDC_RP_SCOPES = "openid email profile"
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/sign-in/"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# No start-up banner or per-attempt chatter in the logs (locks are still logged as warnings).
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "accounts.forms.axes_username"
# The same client address as the personal-link guessing limit (ninefold/client_ip.py).
AXES_CLIENT_IP_CALLABLE = "ninefold.client_ip.client_ip"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}


# With DEBUG on, emails are printed to the terminal and listed at /dev/emails/ (ninefold.mail).
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "ninefold.mail.DevelopmentEmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_OUTBOX_DIR = VAR_DIR / "emails"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds before a silent mail server is given up on. Without it a stalled connection could
# outlast the worker's 15-minute claim on an email (decision 0030) and send after a retry.
EMAIL_TIMEOUT = 60
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Ninefold <ninefold@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Where the app is reached from outside, for links in emails (no trailing slash).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Background tasks (emails): "database" queues them for `manage.py db_worker`;
# "immediate" runs them inside the request (development and the embedded default).
_TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = (env_str("TASKS_BACKEND", "immediate" if DEBUG else "database") or "").strip()
if _tasks_backend not in _TASKS_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND={_tasks_backend!r} is not one of: {', '.join(_TASKS_BACKENDS)}."
    )
TASKS = {"default": {"BACKEND": _TASKS_BACKENDS[_tasks_backend]}}
# The scheduled `send_reminders` reminds a respondent at most once in this many days.
NINEFOLD_REMINDER_INTERVAL_DAYS = env_int("NINEFOLD_REMINDER_INTERVAL_DAYS", 3, minimum=1)

# Caches (round summaries, PDF reports, the personal-link guessing limit) must be shared by
# every web process: "database" (a table made by `manage.py createcachetable`, the default
# with DEBUG off) or "locmem" (one process only: development and tests). See decision 0043.
# Report entries are keyed on each place's data version (decision 0053); a place's superseded
# entries are removed when its next version's first entry is stored (decision 0058). Room
# for a few thousand keeps a culling pass (which drops a third of the entries, expired ones
# first) rare.
_CACHE_OPTIONS = {"MAX_ENTRIES": 3000}
_CACHE_BACKENDS = {
    "database": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ninefold_cache",
        "OPTIONS": _CACHE_OPTIONS,
    },
    "locmem": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": _CACHE_OPTIONS,
    },
}
_cache_backend = (env_str("CACHE_BACKEND", "locmem" if DEBUG else "database") or "").strip()
if _cache_backend not in _CACHE_BACKENDS:
    raise ImproperlyConfigured(
        f"CACHE_BACKEND={_cache_backend!r} is not one of: {', '.join(_CACHE_BACKENDS)}."
    )
CACHES = {"default": _CACHE_BACKENDS[_cache_backend]}

# Who may set up a new place (its creator becomes its first lead), decision 0024:
# "staff" (site administrators only), "invited" (site administrators and the people they
# invited as partnership leads, from /leads/ or `manage.py invite_lead`) or "anyone" signed in.
PLACE_CREATORS_CHOICES = ("staff", "invited", "anyone")
PLACE_CREATORS = (env_str("PLACE_CREATORS", "invited") or "").strip().lower()
if PLACE_CREATORS not in PLACE_CREATORS_CHOICES:
    raise ImproperlyConfigured(
        f"PLACE_CREATORS={PLACE_CREATORS!r} is not one of: {', '.join(PLACE_CREATORS_CHOICES)}."
    )

# Respondents' names and email addresses are removed this many months after a round closes
# (each place's lead can change it for their place; `manage.py apply_retention` does it).
NINEFOLD_RETENTION_MONTHS = env_int("NINEFOLD_RETENTION_MONTHS", 12, minimum=1)
if NINEFOLD_RETENTION_MONTHS > 120:
    raise ImproperlyConfigured(
        f"NINEFOLD_RETENTION_MONTHS={NINEFOLD_RETENTION_MONTHS} is above the maximum of 120."
    )

# The privacy notice's fill-ins (privacy/notice.html): who runs this deployment, how to reach
# them and their data protection officer, and the lawful basis they rely on. Empty ones are
# shown as gaps to fill, so an unfinished notice is plain to see.
NINEFOLD_PRIVACY = {
    "controller": env_str("PRIVACY_CONTROLLER", "") or "",
    "contact": env_str("PRIVACY_CONTACT", "") or "",
    "dpo_contact": env_str("PRIVACY_DPO_CONTACT", "") or "",
    "lawful_basis": env_str("PRIVACY_LAWFUL_BASIS", "") or "",
    "accessibility_contact": env_str("ACCESSIBILITY_CONTACT", "") or "",
}

# Breakdowns by sector or perspective are hidden below this many respondents.
NINEFOLD_MIN_GROUP_SIZE = env_int("NINEFOLD_MIN_GROUP_SIZE", 3, minimum=2)

# Part of every report cache key, so a deploy never serves pages cached by the previous one.
# Empty (the default): the package version and a hash of the code, templates and static
# files, worked out once per process (reports/cache.py). Set it to a build id to skip that.
NINEFOLD_RELEASE = (env_str("NINEFOLD_RELEASE", "") or "").strip()
if not re.fullmatch(r"[A-Za-z0-9._+-]{0,64}", NINEFOLD_RELEASE):
    raise ImproperlyConfigured(
        f"NINEFOLD_RELEASE={NINEFOLD_RELEASE!r} is not a version or build id: use up to 64 "
        "letters, digits and . _ + -."
    )

# --- Security ---------------------------------------------------------------------------
# Safe by default with DEBUG off; each can be loosened through the environment, e.g. when a
# reverse proxy terminates HTTPS. See docs/deploy.md and docs/decisions/0040.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    # Only behind a proxy that sets X-Forwarded-Proto itself and drops any value a client sent.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
# How many reverse proxies stand in front of the app, each appending the address it saw to
# X-Forwarded-For: sign-in lockouts and the link-guessing limit count per client address
# (ninefold/client_ip.py). 0 (the default) uses REMOTE_ADDR. A number higher than the real
# one lets a client choose its own address, so set exactly the number of proxies.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "ninefold.views.csrf_failure"

# Strict Content-Security-Policy (django-csp 4): nothing inline, nothing from elsewhere.
# data: images are needed by Bootstrap's CSS (form controls' SVG icons).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# --- End of security ------------------------------------------------------------------------

# --- Logging ------------------------------------------------------------------------------
# One JSON object per line on stdout by default with DEBUG off (LOG_FORMAT=json|plain). The same
# set-up serves gunicorn (gunicorn.conf.py); ninefold/logging.py says what it redacts.
from ninefold.logging import log_settings, logging_config  # noqa: E402

LOG_LEVEL, LOG_FORMAT = log_settings(debug=DEBUG)
LOGGING = logging_config(level=LOG_LEVEL, fmt=LOG_FORMAT)
# --- End of logging -------------------------------------------------------------------------
