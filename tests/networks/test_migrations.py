"""Moving networks out of ``workshop`` keeps every row (decision 0083).

The database is taken back to where ``workshop`` still owned the networks, filled there
through the historical models, then migrated forward; the same rows must be found through the
``networks`` models, under the new table names, with the members' many-to-many intact.
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from networks.models import Network, NetworkPlace

WORKSHOP_BEFORE = ("workshop", "0004_free_text_limits")


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _before() -> list[tuple[str, str]]:
    """Every app at its latest, except workshop before the move and no networks app yet."""
    others = [node for node in _latest() if node[0] not in {"workshop", "networks"}]
    return [*others, WORKSHOP_BEFORE]


def _migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


def _state(targets):
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_network_rows_survive_the_move_to_their_own_app():
    _migrate([*_before(), ("networks", None)])
    old = _state(_before())
    tables = connection.introspection.table_names()
    assert "workshop_network" in tables and "networks_network" not in tables

    User = old.get_model("accounts", "User")
    Place = old.get_model("places", "Place")
    OldNetwork = old.get_model("workshop", "Network")
    OldNetworkPlace = old.get_model("workshop", "NetworkPlace")
    viewer = User.objects.create(email="viewer@example.org")
    vale = Place.objects.create(name="Vale", slug="vale")
    hill = Place.objects.create(name="Hill", slug="hill")
    network = OldNetwork.objects.create(name="Vale ICS", slug="vale-ics", description="Kept")
    network.members.add(viewer)
    OldNetworkPlace.objects.create(
        network=network, place=vale, consent_share=True, consent_named=True, opaque_key="aa11"
    )
    OldNetworkPlace.objects.create(network=network, place=hill, opaque_key="bb22")
    ContentType.objects.get_or_create(app_label="workshop", model="network")

    _migrate(_latest())

    tables = connection.introspection.table_names()
    assert {"networks_network", "networks_network_members", "networks_networkplace"} <= set(tables)
    assert not {"workshop_network", "workshop_networkplace"} & set(tables)
    moved = Network.objects.get(slug="vale-ics")
    assert moved.name == "Vale ICS" and moved.description == "Kept"
    assert list(moved.members.values_list("email", flat=True)) == ["viewer@example.org"]
    rows = {
        (np.place.slug, np.consent_share, np.consent_named, np.opaque_key)
        for np in NetworkPlace.objects.select_related("place")
    }
    assert rows == {("vale", True, True, "aa11"), ("hill", False, False, "bb22")}
    # The admin's history and permissions follow the model to its new app.
    assert ContentType.objects.filter(app_label="networks", model="network").exists()
    assert not ContentType.objects.filter(app_label="workshop", model="network").exists()
