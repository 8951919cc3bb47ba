"""A real OpenID Connect provider process for the sign-in tests: oidc-provider-mock, started
on a free local port and stopped after the tests that use it."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen

    def set_user(self, sub: str, **claims) -> None:
        """What the provider says about ``sub`` when it signs in (email, email_verified...)."""
        answer = requests.put(f"{self.issuer}/users/{sub}", json=claims, timeout=5)
        answer.raise_for_status()

    def authorize(self, authorize_url: str, sub: str) -> str:
        """Sign in as ``sub`` on the provider's page; returns where it sends the browser."""
        answer = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
        assert answer.status_code == 302, answer.text[:500]
        return answer.headers["Location"]


@contextlib.contextmanager
def running_provider() -> Iterator[Provider]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603  our own interpreter and a fixed module
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the OpenID Connect provider did not start") from None
                time.sleep(0.2)
        yield Provider(issuer=issuer, process=process)
    finally:
        process.terminate()
        process.wait(timeout=10)
