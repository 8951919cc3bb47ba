"""On SQLite a long export must not block respondents' saves (decision 0122).

An export streams for as long as the download lasts, and its query stays open meanwhile.
With SQLite's old rollback journal that read blocked every write until it ended, so a
respondent saving during a big export got "database is locked". In write-ahead-log mode
readers and a writer go on side by side.

The test uses a real file (an in-memory database has no WAL) and real threads, each with
its own connection made from the project's database settings: one streams the ratings CSV
and stops half-way, the other saves a respondent's answers meanwhile.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest
from django.db import OperationalError, connection, connections

from assessments.models import Invitation, Round
from assessments.services.responses import Answer, response_save
from reports import exports
from tests.factories import InvitationFactory, PartnerFactory, RoundFactory
from tests.helpers import answer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's locking only"),
]


def _export_while_saving(tmp_path, monkeypatch, **options) -> tuple[Exception | None, bytes]:
    """Stream an export on one connection; save an answer on another while it is open."""
    round_ = RoundFactory()
    for _ in range(3):
        answer(round_, PartnerFactory(place=round_.place), dict.fromkeys("ABCDEFGHI", 3))
    waiting = InvitationFactory(round=round_)
    # A few rows per piece, so the export's query is still open after the first piece.
    monkeypatch.setattr(exports, "CHUNK_ROWS", 2)

    path = tmp_path / "ninefold.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    file_settings = dict(connections.settings["default"], NAME=str(path))
    file_settings["OPTIONS"] = {**file_settings.get("OPTIONS", {}), **options}
    # Connections are per thread: the two threads below open theirs on the file.
    monkeypatch.setitem(connections.settings, "default", file_settings)

    streaming, saved = threading.Event(), threading.Event()
    outcome: dict[str, object] = {"error": None, "body": b""}

    def export() -> None:
        try:
            pieces = exports.ratings_csv(Round.objects.get(pk=round_.pk))
            first = next(pieces)
            streaming.set()
            saved.wait(timeout=20)
            outcome["body"] = first + b"".join(pieces)
        finally:
            streaming.set()
            connections.close_all()

    def save() -> None:
        try:
            streaming.wait(timeout=20)
            response_save(
                invitation=Invitation.objects.select_related("round__framework").get(pk=waiting.pk),
                answers={"A": Answer("4", "Saved while the export was running")},
                version=0,
            )
        except OperationalError as error:
            outcome["error"] = error
        finally:
            saved.set()
            connections.close_all()

    threads = [threading.Thread(target=export), threading.Thread(target=save)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcome["error"], outcome["body"]


def test_a_respondent_saves_while_an_export_is_streaming(tmp_path, monkeypatch):
    error, body = _export_while_saving(tmp_path, monkeypatch)

    assert error is None
    with sqlite3.connect(tmp_path / "ninefold.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        notes = db.execute("SELECT evidence FROM assessments_rating").fetchall()
    assert ("Saved while the export was running",) in notes
    # The export read one snapshot: the 27 submitted ratings, not the draft saved meanwhile.
    assert body.count(b"\r\n") == 1 + 27
    assert b"Saved while the export" not in body


def test_with_the_old_rollback_journal_the_same_save_fails(tmp_path, monkeypatch):
    """What WAL fixes: without it the save waits for the export and gives up."""
    error, body = _export_while_saving(
        tmp_path, monkeypatch, init_command="PRAGMA journal_mode=DELETE", timeout=0.5
    )

    assert isinstance(error, OperationalError) and "locked" in str(error)
    assert body.count(b"\r\n") == 1 + 27
