"""Fixtures of the network tests. The workshop tests' people (a lead, a facilitator, a board
member, another place's lead and a network viewer) serve the permission tests too."""

import pytest

from networks.models import Network, NetworkPlace
from tests.factories import PlaceFactory, UserFactory
from tests.workshop.conftest import answered_round, people, round_  # noqa: F401  fixtures used by name


@pytest.fixture
def network():
    return Network.objects.create(name="Vale ICS", slug="vale")


@pytest.fixture
def viewer(network):
    user = UserFactory()
    network.members.add(user)
    return user


def join(network, name, *, share=False, named=False, scores=((2, 4), (4, 5)), key=None):
    """A place with one answered round, asked to join ``network`` with the given consent."""
    place = PlaceFactory(name=name)
    answered_round(place, name=f"{name} round", scores=scores)
    NetworkPlace.objects.create(
        network=network,
        place=place,
        consent_share=share,
        consent_named=named,
        **({"opaque_key": key} if key else {}),
    )
    return place
