"""The network comparison chart and trends (decision 0084): sharing places only, the viewer's
own place marked, nothing drawn for fewer than two places, every figure from aggregation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from networks import selectors
from places.models import Role
from reports.aggregation import place_trend
from tests.factories import MembershipFactory, PlaceFactory, UserFactory
from tests.helpers import client_for
from tests.networks.conftest import join as join_network
from tests.workshop.conftest import answered_round

pytestmark = pytest.mark.django_db


def join(network, name, *, share=True, scores=((2, 4),), **kwargs):
    """A place that shares (unless told otherwise), one partner scoring 2 and 4."""
    return join_network(network, name, share=share, scores=scores, **kwargs)


def _dots(network, viewer=None) -> dict[str, list[tuple[str, float, bool]]]:
    chart = selectors.comparison_chart(selectors.network_comparison(network, viewer=viewer))
    return {row.code: [(d.label, d.score, d.own) for d in row.dots] for row in chart}


def test_a_dot_per_sharing_place_and_none_for_a_place_that_did_not_agree(network):
    join(network, "Kelsey", named=True, scores=((1,),))
    join(network, "Ashbrook", scores=((5,),))
    join(network, "Secretford", share=False, scores=((3,),))
    dots = _dots(network)
    assert len(dots) == 9  # the nine preconditions, each with its full name
    assert dots["A"] == [("Kelsey", 1.0, False), ("Place A", 5.0, False)]
    assert all(score != 3.0 for row in dots.values() for _label, score, _own in row)


def test_the_viewers_own_place_is_marked_and_drawn_last(network, viewer):
    own = join(network, "Kelsey", named=False, scores=((2,),), key="0002")
    join(network, "Ashbrook", scores=((4,),), key="0001")
    MembershipFactory(user=viewer, place=own, role=Role.BOARD)
    assert _dots(network, viewer)["C"] == [("Place A", 4.0, False), ("Place B", 2.0, True)]
    html = client_for(viewer).get(reverse("networks:comparison", args=["vale"])).content.decode()
    assert "Your place, Place B, is the orange diamond." in html
    assert "Place B (your place): 2.0" in html  # the diamond's title
    assert "Place B (your place)" in html.split('id="trends-heading"')[1]


def test_a_member_of_a_place_that_does_not_share_has_no_place_marked(network, viewer):
    hidden = join(network, "Secretford", share=False)
    join(network, "Kelsey")
    join(network, "Ashbrook")
    MembershipFactory(user=viewer, place=hidden)
    assert not any(own for row in _dots(network, viewer).values() for *_rest, own in row)
    html = client_for(viewer).get(reverse("networks:comparison", args=["vale"])).content.decode()
    main = html.split('id="main"')[1]
    assert "(your place)" not in main and "orange diamond" not in main


def test_nothing_is_drawn_for_fewer_than_two_places_with_scores(network, viewer):
    join(network, "Kelsey", named=True)
    join(network, "Secretford", share=False)
    result = selectors.network_comparison(network)
    assert selectors.comparison_chart(result) == []
    assert selectors.comparison_trends(result) == []
    html = client_for(viewer).get(reverse("networks:comparison", args=["vale"])).content.decode()
    assert "appear once at least 2 places share scores" in html
    assert '<svg class="network-strip-svg"' not in html and "trends-heading" not in html
    # A second sharing place brings the chart.
    join(network, "Ashbrook")
    html = client_for(viewer).get(reverse("networks:comparison", args=["vale"])).content.decode()
    assert html.count('<svg class="network-strip-svg"') == 9 and "trends-heading" in html


def test_dots_sit_on_the_1_to_5_scale_and_equal_scores_stand_apart(network):
    join(network, "Kelsey", named=True, scores=((1,),))
    join(network, "Ashbrook", named=True, scores=((5,),))
    join(network, "Crossway", named=True, scores=((5,),))
    [row, *_] = selectors.comparison_chart(selectors.network_comparison(network))
    by_label = {d.label: d for d in row.dots}
    assert by_label["Kelsey"].x == selectors.scale_x(1) < selectors.scale_x(5)
    assert by_label["Ashbrook"].x == by_label["Crossway"].x == selectors.scale_x(5)
    assert by_label["Ashbrook"].y != by_label["Crossway"].y
    assert row.description == "Kelsey 1.0; Ashbrook 5.0; Crossway 5.0"


def test_trends_are_the_places_own_trends_by_month_without_round_names(network):
    kelsey = join(network, "Kelsey", scores=((2,),))
    answered_round(kelsey, name="Kelsey autumn", opens_on=dt.date(2026, 9, 1), scores=((4,),))
    join(network, "Ashbrook", scores=((3,),))
    tables = selectors.comparison_trends(selectors.network_comparison(network))
    assert len(tables) == 2
    kelsey_table = next(t for t in tables if len(t.rounds) == 2)
    assert kelsey_table.rounds == ["March 2026", "September 2026"]
    expected = place_trend(kelsey.pk)
    row_a = kelsey_table.rows[0]
    assert row_a.code == "A"
    assert row_a.scores == [point.scores["A"] for point in expected.points] == [2.0, 4.0]
    assert "Kelsey" not in repr(tables)  # anonymous: neither place nor round name


def test_the_comparison_page_costs_the_same_with_an_own_place(
    network, viewer, django_assert_num_queries
):
    for name in ["Kelsey", "Ashbrook"]:
        join(network, name)
    client = client_for(viewer)
    client.get(reverse("networks:comparison", args=["vale"]))  # summaries and trends cached
    # session, user, network, the viewer's places, sharing places, their rounds; each
    # place's summary and trend come from the cache, keyed on the version loaded with them
    with django_assert_num_queries(6):
        client.get(reverse("networks:comparison", args=["vale"]))
    MembershipFactory(user=viewer, place=PlaceFactory())
    with django_assert_num_queries(6):
        client.get(reverse("networks:comparison", args=["vale"]))


# --- A network viewer's home page -----------------------------------------------------------


def test_a_network_viewers_home_starts_with_their_networks_and_offers_no_place(viewer):
    html = client_for(viewer).get(reverse("home")).content.decode()
    main = html.split('id="main"')[1]
    assert "<h1>Your networks</h1>" in main and "Vale ICS" in main
    assert "not a member of any place" not in main
    assert "Set up a new place" not in main and "set one up" not in main
    assert "<title>Your networks" in html


@override_settings(PLACE_CREATORS="anyone")
def test_who_may_set_up_a_place_is_still_the_setting(viewer):
    main = client_for(viewer).get(reverse("home")).content.decode().split('id="main"')[1]
    assert "<h1>Your networks</h1>" in main and "Set up a new place" in main
    assert "not a member of any place" not in main


def test_someone_with_no_network_and_no_place_still_gets_the_invitation_text():
    main = client_for(UserFactory()).get(reverse("home")).content.decode().split('id="main"')[1]
    assert "<h1>Your places</h1>" in main and "not a member of any place" in main
