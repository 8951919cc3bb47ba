from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import InvitationFactory

CODES = list("ABCDEFGHI")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache (rate limits and report caches live there)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def invitation():
    return InvitationFactory()


def link(invitation, suffix: str = "") -> str:
    return f"/r/{invitation.token}/{suffix}"


def form_data(version: int = 0, action: str = "save", **answers: str) -> dict[str, str]:
    """A complete post as the page sends it: every field present, empty unless given.

    ``answers`` use the field names with underscores, e.g. ``A_choice="3"``.
    """
    data = {"version": str(version), "action": action}
    for code in CODES:
        data[f"{code}-choice"] = ""
        data[f"{code}-evidence"] = ""
    for key, value in answers.items():
        data[key.replace("_", "-")] = value
    # An unchecked radio group is simply absent from a real post.
    return {k: v for k, v in data.items() if not (k.endswith("-choice") and v == "")}


def all_answered(choice: str = "3", **overrides: str) -> dict[str, str]:
    return {f"{code}_choice": choice for code in CODES} | overrides
