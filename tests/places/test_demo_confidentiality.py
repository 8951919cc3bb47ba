"""The demo has one round in each confidentiality mode, and its confidential round names no
partner of fewer than 3 respondents to a board member (docs/confidentiality.md)."""

import pytest
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from assessments.models import Confidentiality, ResponseStatus, Round
from places.models import Partner
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def _small_partners(round_) -> set[str]:
    counts = Partner.objects.annotate(
        n=Count(
            "invitations",
            filter=Q(
                invitations__round=round_,
                invitations__response__status=ResponseStatus.SUBMITTED,
            ),
        )
    ).filter(place=round_.place, n__gt=0, n__lt=3)
    return set(counts.values_list("name", flat=True))


def test_demo_has_a_round_in_each_mode_and_keeps_the_confidential_ones_promise(demo):
    rounds = Round.objects.filter(place__slug="harrowdene")
    modes = set(rounds.values_list("confidentiality", flat=True))
    assert modes == {Confidentiality.CONFIDENTIAL, Confidentiality.NAMED}

    client = client_for(User.objects.get(email="board@example.org"))
    for round_ in rounds:
        small = _small_partners(round_)
        assert small, "the demo should have partners of one or two people"
        urls = [
            reverse("reports:dashboard", args=["harrowdene", round_.pk]),
            reverse("reports:precondition", args=["harrowdene", round_.pk, "A"]),
            reverse("reports:summary_json", args=["harrowdene", round_.pk]),
        ]
        pages = [client.get(url).content.decode() for url in urls]
        # Pages escape names (an apostrophe is &#x27;), the JSON does not: look for both.
        shown = {name for name in small for page in pages if name in page or escape(name) in page}
        if round_.confidentiality == Confidentiality.NAMED:
            assert shown == small
        else:
            assert shown == set(), f"{round_.name} names {shown}"
