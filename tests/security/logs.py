"""Helpers for the security tests that read logs: the app's configured handler, and gunicorn."""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.settings.test_security import ROOT, production_env

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


@contextlib.contextmanager
def app_log() -> Iterator[io.StringIO]:
    """What the app's own console handler (filters and formatter included) writes meanwhile."""
    handlers = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    assert handlers, "the LOGGING set-up's console handler is not installed"
    buffer = io.StringIO()
    previous = [h.setStream(buffer) for h in handlers]
    try:
        yield buffer
    finally:
        for handler, stream in zip(handlers, previous, strict=True):
            handler.setStream(stream)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn with the project's gunicorn.conf.py, serving an empty SQLite database.

    Pages answer 503 (no tables), which is enough: the access log, the headers and the
    logging set-up are what is under test."""

    def __init__(self, tmp_path: Path, **env: str):
        self.port = _free_port()
        self.env = production_env(
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="false",
            STATIC_MANIFEST="false",
            DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
            PORT=str(self.port),
            WEB_CONCURRENCY="1",
            **env,
        )
        self.output = ""

    def start(self) -> subprocess.Popen:
        return subprocess.Popen(
            [GUNICORN, "-c", "gunicorn.conf.py", "ninefold.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def get(self, path: str):
        """The response (status, headers) of one GET; error statuses are answers too."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as r:
                return r.status, r.headers
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers

    @contextlib.contextmanager
    def running(self) -> Iterator[Gunicorn]:
        process = self.start()
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(
                            "gunicorn did not start:\n" + process.communicate()[0]
                        ) from None
                    time.sleep(0.2)
            yield self
        finally:
            process.terminate()
            self.output = process.communicate(timeout=30)[0]
