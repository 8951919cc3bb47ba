"""Two saves at the same moment from two copies of the form: one wins, the other is told."""

from __future__ import annotations

import importlib
import threading

import pytest
from django.db import connection, connections

from assessments.models import Rating, Response
from assessments.services.responses import Answer, StaleResponse, response_save
from tests.factories import InvitationFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs row locks across connections; SQLite serialises writers by itself",
    ),
]


@pytest.fixture(autouse=True)
def _framework_loaded():
    """Transactional tests flush the framework the migration loaded: load it again."""
    from django.apps import apps

    from preconditions.models import Framework

    if not Framework.objects.filter(is_default=True).exists():
        loader = importlib.import_module("preconditions.migrations.0002_load_nine_preconditions")
        loader.load(apps, None)


def test_concurrent_saves_from_the_same_version_never_both_win():
    invitation = InvitationFactory()
    response_save(invitation=invitation, answers={"A": Answer("1")}, version=0)
    version = Response.objects.get().version
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def save(choice: str) -> None:
        try:
            start.wait()
            response_save(invitation=invitation, answers={"A": Answer(choice)}, version=version)
            outcomes.append("saved")
        except StaleResponse:
            outcomes.append("stale")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(c,)) for c in ("4", "5")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["saved", "stale"]
    assert Response.objects.get().version == version + 1
    assert Rating.objects.count() == 1
