"""The rules a network membership holds in the database (decision 0080, kept by 0083)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from networks.models import Network, NetworkPlace
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db


def test_network_place_named_without_share_is_refused_by_validation_and_database():
    network = Network.objects.create(name="N", slug="n")
    place = PlaceFactory()
    with pytest.raises(ValidationError, match="only be named"):
        NetworkPlace(network=network, place=place, consent_named=True).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        NetworkPlace.objects.create(network=network, place=place, consent_named=True)
    ok = NetworkPlace(network=network, place=place, consent_share=True, consent_named=True)
    ok.full_clean()
    ok.save()


def test_network_place_is_unique_per_network_and_place():
    network = Network.objects.create(name="N", slug="n")
    place = PlaceFactory()
    NetworkPlace.objects.create(network=network, place=place)
    with pytest.raises(IntegrityError), transaction.atomic():
        NetworkPlace.objects.create(network=network, place=place)


def test_network_place_opaque_keys_are_random_not_by_name():
    network = Network.objects.create(name="N", slug="n")
    keys = {
        NetworkPlace.objects.create(network=network, place=PlaceFactory()).opaque_key
        for _ in range(5)
    }
    assert len(keys) == 5
