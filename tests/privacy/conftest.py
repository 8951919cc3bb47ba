"""A closed round with answers, invitations made through the services (so the activity log
names people), a revoked invitation and a pending one, for the privacy tests."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Q

from assessments.models import Perspective, Rating, Response, ResponseStatus
from assessments.services.invitations import invitation_create, invitation_revoke
from assessments.services.rounds import round_close
from places.models import Role, Sector
from tests.factories import MembershipFactory, PartnerFactory, PlaceFactory, RoundFactory

SCORES = [
    # partner index, perspective, scores for A..C, evidence for A
    (0, Perspective.MANAGER, {"A": 2, "B": 3, "C": None}, "Ann at the council told us so"),
    (0, Perspective.LIVED_EXPERIENCE, {"A": 4, "B": 1, "C": 5}, ""),
    (0, Perspective.LIVED_EXPERIENCE, {"A": 3, "B": 2, "C": 4}, "We meet monthly"),
    (1, Perspective.FRONTLINE, {"A": 5, "B": 5, "C": 3}, ""),
    (1, Perspective.LIVED_EXPERIENCE, {"A": 1, "B": None, "C": 2}, "Hard to say"),
    (1, Perspective.SENIOR_LEADER, {"A": 3, "B": 4, "C": 4}, ""),
    (2, Perspective.COMMISSIONER, {"A": 2, "B": 2, "C": 2}, "Only one of us"),
]


def answer_as(invitation, scores, evidence):
    from django.utils import timezone

    response = Response.objects.create(
        invitation=invitation, status=ResponseStatus.SUBMITTED, submitted_at=timezone.now()
    )
    items = {p.code: p for p in invitation.round.framework.preconditions.all()}
    Rating.objects.bulk_create(
        Rating(response=response, precondition=items[code], score=score, evidence=evidence)
        for code, score in scores.items()
    )
    return response


@pytest.fixture
def closed_round(settings):
    settings.NINEFOLD_MIN_GROUP_SIZE = 3
    place = PlaceFactory()
    lead = MembershipFactory(place=place, role=Role.LEAD).user
    partners = [
        PartnerFactory(place=place, sector=Sector.HOUSING),
        PartnerFactory(place=place, sector=Sector.NHS),
        PartnerFactory(place=place, sector=Sector.VOLUNTARY_COMMUNITY),
    ]
    round_ = RoundFactory(place=place)
    people = []
    for n, (partner_index, perspective, scores, evidence) in enumerate(SCORES):
        invitation = invitation_create(
            round=round_,
            actor=lead,
            name=f"Respondent Person{n}",
            email=f"person{n}.respondent@council.example",
            partner=partners[partner_index],
            perspective=perspective,
        )
        answer_as(invitation, scores, evidence)
        people.append(invitation)
    waiting = invitation_create(
        round=round_,
        actor=lead,
        name="Never Answered",
        email="never.answered@council.example",
        partner=partners[2],
        perspective=Perspective.MANAGER,
    )
    revoked = invitation_create(
        round=round_,
        actor=lead,
        name="Revoked Person",
        email="revoked.person@council.example",
        partner=partners[1],
        perspective=Perspective.FRONTLINE,
    )
    invitation_revoke(invitation=revoked, actor=lead)
    round_ = round_close(round=round_, actor=lead)
    return {
        "place": place,
        "lead": lead,
        "round": round_,
        "people": [*people, waiting, revoked],
        "partners": partners,
    }


def text_columns():
    """(model, field name) for every text and char column of every installed model."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                yield model, field.name


def where_in_database(words: list[str]) -> list[str]:
    """Every (model.field) whose text contains any of ``words``, one query per column."""
    found = []
    for model, name in text_columns():
        condition = Q()
        for word in words:
            condition |= Q(**{f"{name}__icontains": word})
        if model._base_manager.filter(condition).exists():
            found.append(f"{model._meta.label}.{name}")
    return found
