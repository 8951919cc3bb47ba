import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from networks.models import Network, NetworkPlace
from networks.selectors import network_comparison
from places.models import Role
from tests.factories import MembershipFactory, PlaceFactory
from tests.helpers import client_for
from tests.networks.conftest import join
from tests.workshop.conftest import answered_round, as_

pytestmark = pytest.mark.django_db


def test_only_places_that_agreed_to_share_appear_and_are_not_counted(network, viewer):
    join(network, "Kelsey", share=True, named=True)
    join(network, "Ashbrook", share=True)
    join(network, "Secretford")  # asked, never agreed
    html = client_for(viewer).get(reverse("networks:comparison", args=["vale"])).content.decode()
    assert "Kelsey" in html
    assert "Ashbrook" not in html and "Place A" in html
    assert "Secretford" not in html
    assert "Place B" not in html, "a non-sharing place must not even take a letter"
    assert "3 places" not in html and "of 3" not in html
    comparison = network_comparison(network)
    assert [p.label for p in comparison.places].count("Place A") == 1
    assert len(comparison.places) == 2


def test_a_network_with_no_sharing_place_says_so_without_counting(network, viewer):
    join(network, "Secretford")
    join(network, "Hushbury")
    html = client_for(viewer).get(reverse("networks:comparison", args=["vale"])).content.decode()
    assert "No place has agreed to share" in html
    assert "Secretford" not in html and "Hushbury" not in html and "Place A" not in html
    assert " 2 " not in html.split('id="main"')[1]


def test_anonymous_places_show_no_place_partner_or_round_name(network, viewer):
    join(network, "Ashbrook", share=True)
    html = client_for(viewer).get(reverse("networks:comparison", args=["vale"])).content.decode()
    assert "Ashbrook" not in html, "neither place name nor round name nor partner names"
    assert "Round opened March 2026 (closed)" in html


def test_letters_follow_the_opaque_key_not_the_name(network):
    places = [join(network, name, share=True) for name in ["Zed", "Alpha", "Mid"]]
    keys = {"Zed": "0001", "Alpha": "0003", "Mid": "0002"}
    for place in places:
        NetworkPlace.objects.filter(place=place).update(opaque_key=keys[place.name])
    labels = [p.label for p in network_comparison(network).places]
    assert labels == ["Place A", "Place B", "Place C"]
    # Place A is Zed (lowest key): its figures are Zed's, so check via a distinct score.
    NetworkPlace.objects.filter(place__name="Alpha").update(opaque_key="0000")
    assert [p.label for p in network_comparison(network).places] == [
        "Place A",
        "Place B",
        "Place C",
    ]


def test_comparison_figures_come_from_the_latest_non_draft_round(network):
    place = join(network, "Kelsey", share=True, named=True, scores=((1,), (3,)))
    import datetime as dt

    answered_round(place, name="Later", opens_on=dt.date(2026, 9, 1), scores=((4,), (5,)))
    from tests.factories import RoundFactory

    RoundFactory(place=place, name="Draft", state="draft", opens_on=dt.date(2026, 11, 1))
    [compared] = network_comparison(network).places
    assert compared.round_label == "Later (closed)"
    assert compared.figures["A"].score == 4.5
    assert compared.figures["A"].spread == 0.5
    assert compared.response_rate.people_submitted == 2


EXPECTED = {
    "anonymous": 302,
    "board": 404,
    "facilitator": 404,
    "lead": 404,
    "other_lead": 404,
    "network_viewer": 404,  # a viewer of another network
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_comparison_is_only_for_viewers_of_that_network(people, place, network, who):
    NetworkPlace.objects.create(network=network, place=place, consent_share=True)
    response = as_(people, who).get(reverse("networks:comparison", args=["vale"]))
    assert response.status_code == EXPECTED[who]


def test_comparison_for_its_viewer(viewer, network):
    assert client_for(viewer).get(reverse("networks:comparison", args=["vale"])).status_code == 200
    html = client_for(viewer).get(reverse("networks:networks")).content.decode()
    assert "Vale ICS" in html


CONSENT = {
    "anonymous": (302, 302),
    "board": (403, 403),
    "facilitator": (403, 403),
    "lead": (200, 302),
    "other_lead": (404, 404),
    "network_viewer": (404, 404),
}


@pytest.mark.parametrize("who", list(CONSENT))
def test_consent_pages_are_for_leads_of_the_place_only(people, place, network, who):
    np = NetworkPlace.objects.create(network=network, place=place)
    client = as_(people, who)
    assert (
        client.get(reverse("networks:place_networks", args=[place.slug])).status_code
        == CONSENT[who][0]
    )
    response = client.post(
        reverse("networks:consent", args=[place.slug, "vale"]), {"vale-share": "on"}
    )
    assert response.status_code == CONSENT[who][1]
    np.refresh_from_db()
    assert np.consent_share is (who == "lead")


def test_lead_sees_networks_asking_and_gives_then_withdraws_consent(place, lead, network, viewer):
    np = NetworkPlace.objects.create(network=network, place=place)
    NetworkPlace.objects.create(network=network, place=PlaceFactory(name="Not mine"))
    client = client_for(lead)
    html = client.get(reverse("networks:place_networks", args=[place.slug])).content.decode()
    assert "Vale ICS" in html and "not sharing" in html and "Not mine" not in html
    url = reverse("networks:consent", args=[place.slug, "vale"])
    client.post(url, {"vale-share": "on", "vale-named": "on"})
    np.refresh_from_db()
    assert (np.consent_share, np.consent_named, np.consented_by) == (True, True, lead)
    assert np.consented_at is not None
    viewer_html = client_for(viewer).get(reverse("networks:comparison", args=["vale"])).content
    assert escape(place.name) in viewer_html.decode()
    client.post(url, {})
    np.refresh_from_db()
    assert (np.consent_share, np.consent_named) == (False, False)
    from places.models import ActivityLog

    logged = list(ActivityLog.objects.filter(place=place, verb="network-consent"))
    assert [entry.actor for entry in logged] == [lead, lead]
    assert "does not share" in logged[0].description  # newest first
    viewer_html = client_for(viewer).get(reverse("networks:comparison", args=["vale"])).content
    assert place.name not in viewer_html.decode()


def test_named_without_share_is_refused_with_a_message_and_changes_nothing(place, lead, network):
    np = NetworkPlace.objects.create(network=network, place=place)
    response = client_for(lead).post(
        reverse("networks:consent", args=[place.slug, "vale"]), {"vale-named": "on"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "only be named if it agrees to share" in html
    assert 'href="#id_vale-named">Show our place by name: ' in html
    # The summary sits inside the network's section, under its h2.
    assert '<h3 id="error-summary-title" class="h4">There is a problem</h3>' in html
    np.refresh_from_db()
    assert (np.consent_share, np.consent_named, np.consented_at) == (False, False, None)


def test_consent_for_a_network_that_did_not_ask_the_place_is_404(place, lead, network):
    response = client_for(lead).post(
        reverse("networks:consent", args=[place.slug, "vale"]), {"vale-share": "on"}
    )
    assert response.status_code == 404
    assert not NetworkPlace.objects.exists()


def _comparison_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("networks:comparison", args=["vale"])).status_code == 200
    return len(ctx)


def test_comparison_costs_a_fixed_number_of_queries_per_shared_place(network, viewer):
    client = client_for(viewer)
    join(network, "Never shares")
    counts = []
    for i in range(3):
        join(network, f"P{i}", share=True, scores=((1, 2), (3, 4), (5,))[: i + 1])
        cache.clear()  # the cost of building every summary (a repeat view: below)
        counts.append(_comparison_queries(client))
    per_place = counts[1] - counts[0]
    assert counts[2] - counts[1] == per_place
    assert counts[0] == COMPARISON_BASE + per_place
    assert per_place == PER_SHARED_PLACE


def test_a_repeat_comparison_reads_each_places_summary_from_the_cache(network, viewer):
    client = client_for(viewer)
    for i in range(3):
        join(network, f"P{i}", share=True)
    first = _comparison_queries(client)
    # Each place's summary is the cached one the dashboards use, keyed on the place's data
    # version that the comparison's own round query loads: no query per place on a repeat.
    assert _comparison_queries(client) == COMPARISON_BASE
    assert first == COMPARISON_BASE + 3 * PER_SHARED_PLACE


# session, user, network, the viewer's own places, sharing places, their rounds (+ savepoints)
COMPARISON_BASE = 6
# the summary (as on the dashboards) and the trend (as on the trends page), each cached
PER_SHARED_PLACE = 12


def test_member_role_does_not_matter_for_network_viewing(network):
    member = MembershipFactory(role=Role.LEAD)
    NetworkPlace.objects.create(network=network, place=member.place, consent_share=True)
    response = client_for(member.user).get(reverse("networks:comparison", args=["vale"]))
    assert response.status_code == 404


def test_home_lists_the_networks_the_user_views_and_no_others(network, viewer):
    Network.objects.create(name="Hidden Hills ICS", slug="hidden")
    membership = MembershipFactory(user=viewer)
    html = client_for(viewer).get(reverse("home")).content.decode()
    assert "<h1>Your networks</h1>" in html
    assert reverse("networks:comparison", args=["vale"]) in html and "Vale ICS" in html
    assert "Hidden Hills ICS" not in html
    # Their place follows the networks, under its own heading.
    main = html.split('id="main"')[1]
    place_name = escape(membership.place.name)
    assert main.index("Vale ICS") < main.index("Your places") < main.index(place_name)


def test_home_without_networks_has_no_networks_heading(network):
    member = MembershipFactory().user
    html = client_for(member).get(reverse("home")).content.decode()
    assert "Your networks" not in html and "Vale ICS" not in html
    assert "<h1>Your places</h1>" in html


def _home_link(client, url: str) -> str:
    """The label of the main navigation's link to the home page, on the page at ``url``."""
    html = client.get(url).content.decode()
    nav = html.split('aria-label="Main"')[1].split("</nav>")[0]
    return nav.split(f'class="nav-link" href="{reverse("home")}">')[1].split("<")[0]


def test_navigation_names_the_home_page_after_what_it_lists(network, viewer):
    # A network viewer who belongs to no place: their home is "Your networks", on every page.
    viewer_client = client_for(viewer)
    comparison = reverse("networks:comparison", args=["vale"])
    assert _home_link(viewer_client, reverse("about")) == "Your networks"
    assert _home_link(viewer_client, comparison) == "Your networks"
    # A place member who views no network keeps "Your places".
    member = MembershipFactory().user
    member_client = client_for(member)
    assert _home_link(member_client, reverse("about")) == "Your places"
    # Made a viewer while signed in: the home page (which lists the network) renames the link.
    network.members.add(member)
    assert _home_link(member_client, reverse("home")) == "Your networks"
    assert _home_link(member_client, reverse("about")) == "Your networks"
    network.members.remove(member)
    assert _home_link(member_client, reverse("home")) == "Your places"


def test_home_costs_the_same_however_many_networks_and_places(
    network, viewer, django_assert_num_queries
):
    # session, user, memberships with places, networks, may they set up a place (decision 0024)
    client = client_for(viewer)
    MembershipFactory(user=viewer)
    with django_assert_num_queries(5):
        client.get(reverse("home"))
    for n in range(3):
        Network.objects.create(name=f"Network {n}", slug=f"network-{n}").members.add(viewer)
        MembershipFactory(user=viewer)
    with django_assert_num_queries(5):
        client.get(reverse("home"))


def test_home_for_anonymous_visitors_asks_nothing_about_networks(client, django_assert_num_queries):
    # A visitor has no session yet, and no place, membership or network is looked up.
    with django_assert_num_queries(0):
        client.get(reverse("home"))
