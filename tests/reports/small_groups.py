"""A round whose partners, sectors, perspectives and lived-experience group include groups of
one and two people, for the confidentiality tests (docs/confidentiality.md)."""

from __future__ import annotations

import datetime as dt

from assessments.models import Perspective, RoundState
from places.models import Sector
from tests.factories import PartnerFactory, PlaceFactory, RoundFactory
from tests.helpers import answer

BIG = "Fenbridge Council"  # 4 people: 2 managers, 2 frontline workers
MID = "Fen Valley Trust"  # 3 people: 2 senior leaders, 1 person with lived experience
SOLO = "Solo Sixth Form College"  # 1 person, the only commissioner, the only education partner
PAIR = "Pair Housing Association"  # 2 people: a manager and a person with lived experience
SMALL = (SOLO, PAIR)
# Each partner's score on every precondition, so pooled figures can be worked out by hand.
SCORES = {BIG: 4, MID: 3, SOLO: 1, PAIR: 5}
PEOPLE = {
    BIG: [Perspective.MANAGER, Perspective.MANAGER, Perspective.FRONTLINE, Perspective.FRONTLINE],
    MID: [Perspective.SENIOR_LEADER, Perspective.SENIOR_LEADER, Perspective.LIVED_EXPERIENCE],
    SOLO: [Perspective.COMMISSIONER],
    PAIR: [Perspective.MANAGER, Perspective.LIVED_EXPERIENCE],
}
SECTORS = {
    BIG: Sector.LOCAL_AUTHORITY,
    MID: Sector.NHS,
    SOLO: Sector.EDUCATION,
    PAIR: Sector.HOUSING,
}
# The note each partner's people write, so a test can find it and read its attribution.
NOTE = {
    BIG: "Budgets pooled",
    MID: "Clinics joined up",
    SOLO: "Students unheard",
    PAIR: "Tenants asked",
}


def small_groups_round(*, confidentiality, partners=(BIG, MID, SOLO, PAIR), place=None):
    """A closed round of a new place with the partners named in ``partners``."""
    place = place or PlaceFactory(name="Fenbridge")
    round_ = RoundFactory(
        place=place,
        name="Winter listening",
        state=RoundState.CLOSED,
        opens_on=dt.date(2026, 1, 5),
        closes_on=dt.date(2026, 2, 5),
        confidentiality=confidentiality,
    )
    for name in partners:
        partner = PartnerFactory(place=place, name=name, sector=SECTORS[name])
        for i, perspective in enumerate(PEOPLE[name]):
            codes = round_.framework.preconditions.values_list("code", flat=True)
            answer(
                round_,
                partner,
                dict.fromkeys(codes, SCORES[name]),
                evidence=dict.fromkeys(codes, f"{NOTE[name]} ({i + 1})."),
                perspective=perspective,
            )
    return round_
