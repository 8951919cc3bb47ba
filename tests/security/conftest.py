"""The browser tests' fixtures (Chromium, the watched page) for the security tests that drive a
browser."""

from tests.browser.conftest import browser_type_launch_args, page  # noqa: F401
