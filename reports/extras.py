"""Parts of a round's report that apps built on reports supply (decision 0083).

The dashboard and the PDF show what the round's workshop recorded, but reports may not
import the workshop app: the workshop builds on reports (its screens show the figures), and
an import back would make a cycle. So the workshop hands its readers over from its
``AppConfig.ready`` with ``provide``, and a report page asks for them with ``context_for``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assessments.models import Round

Reader = Callable[[Round], dict[str, Any]]

DASHBOARD = "dashboard"
PDF = "pdf"
_readers: dict[str, list[Reader]] = {DASHBOARD: [], PDF: []}


def provide(page: str, reader: Reader) -> None:
    """Add what ``reader(round_)`` returns to the context of every ``page`` (once)."""
    if reader not in _readers[page]:
        _readers[page].append(reader)


def context_for(page: str, round_: Round) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for reader in _readers[page]:
        context.update(reader(round_))
    return context
