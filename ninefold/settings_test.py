"""Settings for the test suite: the real settings with fast, local-only services."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-with-enough-length-to-be-fine")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("CACHE_BACKEND", "locmem")
# The test client and the live server speak plain HTTP; cookies stay secure-only.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("LOG_FORMAT", "plain")

from ninefold.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SITE_URL = "http://testserver"
# Emails are sent inside the request in most tests; queue tests switch to "database".
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
