"""The browser tests' fixtures (Chromium, the watched page, the framework reloaded after
transactional tests) for the security tests that drive a browser."""

from tests.browser.conftest import (  # noqa: F401
    _framework_loaded,
    browser_type_launch_args,
    page,
)
