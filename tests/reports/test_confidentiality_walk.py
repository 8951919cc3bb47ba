"""Walk every report page and export of a round as each non-lead audience, and look for the
names of partners with fewer than 3 respondents (docs/confidentiality.md).

In a confidential round none may appear anywhere (not with a figure, not as a note's
source, not in a filter list); in a named round they must. Groups of one and two people in a
partner, a sector, a perspective and the lived-experience group: tests/reports/small_groups.py.
"""

import io
import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import Confidentiality
from networks.models import Network, NetworkPlace
from places.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import client_for
from tests.reports.small_groups import BIG, MID, NOTE, PAIR, SMALL, SOLO, small_groups_round

pytestmark = pytest.mark.django_db

CODES = "ABCDEFGHI"


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.NINEFOLD_MIN_GROUP_SIZE = 3
    cache.clear()


def _text(response) -> str:
    assert response.status_code == 200, response
    if response["Content-Type"] == "application/pdf":
        reader = PdfReader(io.BytesIO(response.content))
        return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    if response["Content-Type"].startswith("application/json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    # The workshop's "who will do it" list names every partner of the place, with no figure:
    # it is the place's partner list, not a result.
    return OWNER_SELECT.sub("", text)


OWNER_SELECT = re.compile(r'<select name="owner".*?</select>', re.DOTALL)


def walk(round_) -> dict[str, dict[str, str]]:
    """Every output a board member, a facilitator and a network viewer can reach, by URL."""
    place = round_.place
    slug, pk = place.slug, round_.pk
    network = Network.objects.create(name="County network", slug="county")
    NetworkPlace.objects.create(
        network=network, place=place, consent_share=True, consent_named=True
    )
    viewer = UserFactory()
    network.members.add(viewer)
    board = MembershipFactory(place=place, role=Role.BOARD).user
    facilitator = MembershipFactory(place=place, role=Role.FACILITATOR).user

    reports = [
        reverse("reports:dashboard", args=[slug, pk]),
        *[reverse("reports:precondition", args=[slug, pk, code]) for code in CODES],
        reverse("reports:summary_json", args=[slug, pk]),
        reverse("reports:trends", args=[slug]),
        reverse("workshop:summary", args=[slug, pk]),
    ]
    facilitator_only = [
        reverse("exports:round_pdf", args=[slug, pk]),
        reverse("exports:comparison_pdf", args=[slug]),
        reverse("exports:summary_csv", args=[slug, pk]),
        reverse("exports:export", args=[slug, pk]),
        reverse("workshop:start", args=[slug, pk]),
        *[reverse("workshop:step", args=[slug, pk, code]) for code in CODES],
    ]
    network_pages = [reverse("networks:networks"), reverse("networks:comparison", args=["county"])]
    return {
        "board": {url: _text(client_for(board).get(url)) for url in reports},
        "facilitator": {
            url: _text(client_for(facilitator).get(url)) for url in reports + facilitator_only
        },
        "network viewer": {url: _text(client_for(viewer).get(url)) for url in network_pages},
    }


def test_a_confidential_round_names_no_partner_under_three_anywhere():
    round_ = small_groups_round(confidentiality=Confidentiality.CONFIDENTIAL)
    outputs = walk(round_)
    for who, pages in outputs.items():
        for url, text in pages.items():
            for name in SMALL:
                assert name not in text, f"{name} shown to the {who} at {url}"
    facilitator = outputs["facilitator"]
    dashboard = next(t for u, t in facilitator.items() if u.endswith("/dashboard/"))
    assert "Other partners (3 people from 2 organisations)" in dashboard
    assert BIG in dashboard and MID in dashboard  # partners of 3 or more keep their names
    pdf = next(t for u, t in facilitator.items() if u.endswith("report.pdf"))
    assert "Other partners (3 people from 2 organisations)" in pdf
    # The small partners' notes are there, credited to no one.
    page_a = next(t for u, t in facilitator.items() if u.endswith("/dashboard/A/"))
    assert f"{NOTE[SOLO]} (1)." in page_a and f"{NOTE[PAIR]} (1)." in page_a
    assert "A partner organisation" in page_a


def test_a_named_round_shows_small_partners_by_name():
    round_ = small_groups_round(confidentiality=Confidentiality.NAMED)
    outputs = walk(round_)
    board = outputs["board"]
    dashboard = next(t for u, t in board.items() if u.endswith("/dashboard/"))
    page_a = next(t for u, t in board.items() if u.endswith("/dashboard/A/"))
    pdf = next(t for u, t in outputs["facilitator"].items() if u.endswith("report.pdf"))
    for name in SMALL:
        assert name in dashboard and name in pdf
        assert f"{name} (" in page_a  # as a note's source
    assert "Other partners" not in dashboard
    # Networks see place figures only, in either mode.
    for text in outputs["network viewer"].values():
        assert not any(name in text for name in (BIG, MID, *SMALL))


def test_a_lead_sees_every_partner_on_screen_but_the_pdf_is_the_shared_one():
    round_ = small_groups_round(confidentiality=Confidentiality.CONFIDENTIAL)
    lead = client_for(MembershipFactory(place=round_.place, role=Role.LEAD).user)
    slug, pk = round_.place.slug, round_.pk
    dashboard = _text(lead.get(reverse("reports:dashboard", args=[slug, pk])))
    assert all(name in dashboard for name in SMALL)
    assert "lead's view" in dashboard
    pdf = _text(lead.get(reverse("exports:round_pdf", args=[slug, pk])))
    assert not any(name in pdf for name in SMALL)
