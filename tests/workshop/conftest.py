from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from assessments.models import Confidentiality, ResponseStatus, RoundState
from networks.models import Network
from places.models import Role
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    PartnerFactory,
    PlaceFactory,
    RatingFactory,
    ResponseFactory,
    RoundFactory,
    UserFactory,
    default_framework,
)
from tests.helpers import client_for


def answered_round(
    place,
    *,
    name="Spring round",
    opens_on=None,
    scores=((2, 4), (4, 5)),
    confidentiality=Confidentiality.NAMED,
):
    """A closed round of ``place``: one partner per tuple, one respondent per score in it,
    each scoring every precondition with that score and a short evidence note. Named
    organisations unless asked, so that partners of two show by name."""
    opens_on = opens_on or dt.date(2026, 3, 1)
    round_ = RoundFactory(
        place=place,
        name=name,
        opens_on=opens_on,
        closes_on=opens_on + dt.timedelta(days=28),
        state=RoundState.CLOSED,
        confidentiality=confidentiality,
    )
    items = list(default_framework().preconditions.all())
    for p_index, partner_scores in enumerate(scores):
        partner = PartnerFactory(place=place, name=f"{name} partner {p_index}")
        for score in partner_scores:
            invitation = InvitationFactory(round=round_, partner=partner)
            response = ResponseFactory(
                invitation=invitation,
                status=ResponseStatus.SUBMITTED,
                submitted_at=dt.datetime(2026, 3, 5, tzinfo=dt.UTC),
            )
            for item in items:
                RatingFactory(
                    response=response,
                    precondition=item,
                    score=score,
                    evidence=f"Note {item.code} from a {score}",
                )
    return round_


@pytest.fixture
def round_(place):
    return answered_round(place)


@pytest.fixture
def people(place):
    """One user per row of the permission matrix."""
    other_place = PlaceFactory()
    network = Network.objects.create(name="Other network", slug="other-network")
    viewer = UserFactory()
    network.members.add(viewer)
    return {
        "anonymous": None,
        "board": MembershipFactory(place=place, role=Role.BOARD).user,
        "facilitator": MembershipFactory(place=place, role=Role.FACILITATOR).user,
        "lead": MembershipFactory(place=place, role=Role.LEAD).user,
        "other_lead": MembershipFactory(place=other_place, role=Role.LEAD).user,
        "network_viewer": viewer,
    }


def as_(people, who) -> Client:
    user = people[who]
    return client_for(user)
