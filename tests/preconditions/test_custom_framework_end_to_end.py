"""A framework other than the nine, end to end: invitation, form, submit, dashboard, JSON,
workshop. "Local version": the nine in their groups plus J and K in a third group."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from assessments.models import Perspective, Response, ResponseStatus, Round, RoundState
from assessments.services.invitations import invitations_send_unsent
from places.models import Role
from preconditions.models import Framework, Precondition, PreconditionGroup, ScaleLevel
from tests.factories import MembershipFactory, PartnerFactory, PlaceFactory, default_framework
from tests.helpers import date_fields
from workshop.prompts import GENERIC, PROMPTS

pytestmark = pytest.mark.django_db

CODES = list("ABCDEFGHIJK")
LINK = re.compile(r"http://testserver(/r/[A-Za-z0-9_-]+/)")


def local_version() -> Framework:
    """The nine copied into a new framework, plus a third group with J and K (no easy-read)."""
    nine = default_framework()
    local = Framework.objects.create(
        name="Local version", source_credit="The nine, with two questions of our own."
    )
    groups = {}
    for group in nine.groups.all():
        groups[group.code] = PreconditionGroup.objects.create(
            framework=local, code=group.code, name=group.name, order=group.order
        )
    groups["town"] = PreconditionGroup.objects.create(
        framework=local, code="town", name="Our town", order=3
    )
    for item in nine.preconditions.select_related("group"):
        Precondition.objects.create(
            framework=local,
            group=groups[item.group.code],
            code=item.code,
            name=item.name,
            summary=item.summary,
            easy_read_summary=item.easy_read_summary,
            order=item.order,
        )
    for code, name in (("J", "Young people shape the town centre"), ("K", "Buses reach services")):
        Precondition.objects.create(
            framework=local,
            group=groups["town"],
            code=code,
            name=name,
            summary=f"{name}, in one sentence.",
            order=10 + CODES.index(code),
        )
    for level in nine.scale.all():
        ScaleLevel.objects.create(
            framework=local, value=level.value, label=level.label, descriptor=level.descriptor
        )
    return local


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_a_round_on_a_local_framework_of_eleven_items_works_end_to_end(settings):
    settings.NINEFOLD_MIN_GROUP_SIZE = 3
    local = local_version()
    place = PlaceFactory(name="Harrowdene")
    lead = MembershipFactory(place=place, role=Role.LEAD).user
    lead_client = Client()
    lead_client.force_login(lead)

    # The round form offers the framework and the round takes it.
    new_round = reverse("assessments:round_create", args=[place.slug])
    assert f'value="{local.pk}"' in lead_client.get(new_round).content.decode()
    response = lead_client.post(
        new_round,
        {
            "name": "Local spring round",
            **date_fields("opens_on", "2026-01-01"),
            **date_fields("closes_on", "2099-12-31"),
            "framework": local.pk,
        },
    )
    assert response.status_code == 302
    round_ = Round.objects.get(name="Local spring round")
    assert round_.framework == local
    lead_client.post(reverse("assessments:round_open", args=[place.slug, round_.pk]))
    round_.refresh_from_db()
    assert round_.state == RoundState.OPEN

    # Invitations: three people with lived experience, three from organisations.
    voices = PartnerFactory(place=place, name="Voices of Harrowdene")
    council = PartnerFactory(place=place, name="Harrowdene Council")
    people = [(voices, Perspective.LIVED_EXPERIENCE)] * 3 + [(council, Perspective.MANAGER)] * 3
    for n, (partner, perspective) in enumerate(people):
        lead_client.post(
            reverse("assessments:invitation_add", args=[place.slug, round_.pk]),
            {
                "name": f"Person {n}",
                "email": f"person{n}@example.org",
                "partner": partner.pk,
                "perspective": perspective,
            },
        )
    assert round_.invitations.count() == 6
    invitations_send_unsent(round=round_, actor=lead)
    assert len(mail.outbox) == 6
    by_email = {m.to[0]: m for m in mail.outbox}
    assert "There are 11 short questions" in by_email["person0@example.org"].body
    assert "For each of the 11 questions" in by_email["person3@example.org"].body

    # Each person answers all eleven: lived experience 2 everywhere, organisations 4.
    respondent = Client()
    for n, (_partner, perspective) in enumerate(people):
        path = LINK.search(by_email[f"person{n}@example.org"].body).group(1)
        page = respondent.get(path).content.decode()
        assert page.count("<fieldset") == 11
        assert "0 of 11 answered" in text(page)
        assert 'max="11"' in page
        assert "Buses reach services" in page
        if perspective != Perspective.LIVED_EXPERIENCE:
            assert ">Our town</h2>" in page
        else:
            # Easy read names parts, not the framework's groups (decision 0025).
            assert ">Part 1 of " in page
            # Easy-read, with the standard texts where the framework has no easy-read ones.
            assert "Buses reach services, in one sentence." in page
            assert "You are reading the easy-read version" in page
            assert "There are 11 questions" in text(page)
        score = "2" if perspective == Perspective.LIVED_EXPERIENCE else "4"
        data = {"version": "0", "action": "submit"}
        for code in CODES:
            data[f"{code}-choice"] = score
            data[f"{code}-evidence"] = ""
        done = respondent.post(path, data)
        assert done.status_code == 302
        assert done["Location"].startswith(path + "done/")
    assert Response.objects.filter(status=ResponseStatus.SUBMITTED).count() == 6

    # The dashboard and the JSON summary cover the eleven items and the three groups.
    board = Client()
    board.force_login(MembershipFactory(place=place, role=Role.BOARD).user)
    html = board.get(reverse("reports:dashboard", args=[place.slug, round_.pk])).content.decode()
    assert "The 11 items" in html
    assert "Assessed against Local version (version 1)" in html
    assert "Young people shape the town centre" in html and "Buses reach services" in html
    # its own group in the group figures below the nine (never a headline tile)
    assert html.count('<th scope="row">Our town</th>') == 1
    assert "How people with lived experience see it" in html and "gap-data" in html
    assert "−2.0" in html  # lived experience 2, organisations 4, on every item

    data = json.loads(
        board.get(reverse("reports:summary_json", args=[place.slug, round_.pk])).content
    )
    assert [p["code"] for p in data["preconditions"]] == CODES
    assert [g["name"] for g in data["groups"]] == ["Vision", "Behaviours", "Our town"]
    assert data["groups"][2]["codes"] == ["J", "K"]
    assert data["groups"][2]["score"] == 3.0  # each partner weighs the same: (2 + 4) / 2
    k = data["preconditions"][-1]
    assert (k["code"], k["place_score"], k["respondents"]) == ("K", 3.0, 6)
    gap = data["lived_experience_gap"]
    assert len(gap["items"]) == 11 and gap["items"][-1]["gap"] == -2.0

    # The workshop steps through all eleven; J gets the generic prompts, A keeps its own.
    facilitator = Client()
    facilitator.force_login(MembershipFactory(place=place, role=Role.FACILITATOR).user)
    step_j = facilitator.get(reverse("workshop:step", args=[place.slug, round_.pk, "J"]))
    assert step_j.status_code == 200
    page = text(step_j.content.decode())
    assert "10 of 11" in page
    assert GENERIC[0] in page
    step_a = facilitator.get(reverse("workshop:step", args=[place.slug, round_.pk, "A"]))
    assert unescape(PROMPTS["A"][0]) in text(step_a.content.decode())
    # Precondition pages and trends work too.
    for url in (
        reverse("reports:precondition", args=[place.slug, round_.pk, "K"]),
        reverse("reports:trends", args=[place.slug]),
        reverse("workshop:summary", args=[place.slug, round_.pk]),
    ):
        assert board.get(url).status_code == 200, url


def test_another_frameworks_item_a_does_not_borrow_the_nines_prompts():
    from workshop.prompts import prompts_for

    assert prompts_for("A", "Housing first") == GENERIC
    assert prompts_for("A", default_framework().preconditions.get(code="A").name) == PROMPTS["A"]


def test_a_half_made_framework_is_not_offered_to_rounds(lead_client, place):
    Framework.objects.create(name="Not finished", source_credit="Ours")
    page = lead_client.get(reverse("assessments:round_create", args=[place.slug]))
    assert "Not finished" not in page.content.decode()
