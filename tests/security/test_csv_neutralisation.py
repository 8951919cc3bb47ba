"""CSV neutralisation missed leading whitespace and control characters: `` =HYPERLINK(…)``,
``\\n=1+1`` and ``\\u3000=1+1`` were exported unprotected. "Formula-like" is decided after
stripping leading spaces (every Unicode space) and control characters."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from places.models import Role
from reports import exports
from tests.factories import MembershipFactory, PartnerFactory, RoundFactory
from tests.helpers import answer

HIDDEN = [
    ' =HYPERLINK("http://evil.example","x")',
    "\n=1+1",
    "\u3000=1+1",
    "\u00a0+1",
    "\u2003\u2028-1",
    "\x00@SUM(A1)",
    "\u200b=1",
    "\t =1",
    "＝1+1",
]


@pytest.mark.parametrize("text", HIDDEN)
def test_hidden_formulas_are_neutralised(text):
    assert exports.neutralise(text) == "'" + text


@pytest.mark.parametrize("text", [" hello = world", "\n\nA plain note", "1 + 1 = 2", ""])
def test_plain_text_is_left_alone(text):
    assert exports.neutralise(text) == text


@pytest.mark.django_db
def test_the_ratings_export_neutralises_hidden_formulas():
    round_ = RoundFactory()
    partner = PartnerFactory(place=round_.place)
    evidence = dict(zip("ABC", HIDDEN[:3], strict=True))
    answer(round_, partner, dict.fromkeys("ABC", 3), evidence=evidence)
    lead = MembershipFactory(place=round_.place, role=Role.LEAD).user
    client = Client()
    client.force_login(lead)
    response = client.get(f"/places/{round_.place.slug}/rounds/{round_.pk}/ratings.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    cells = {row[4]: row[8] for row in rows[1:]}
    for code, text in evidence.items():
        assert cells[code] == "'" + text
