"""Helpers the tests share: each is defined here once, and test modules import it."""

from __future__ import annotations

import os

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from assessments.models import Perspective, Rating, Response, ResponseStatus
from tests.factories import InvitationFactory


def date_fields(name: str, value) -> dict[str, str]:
    """What a staff form's Day / Month / Year boxes post for ``value`` (a date or "YYYY-MM-DD")."""
    year, month, day = str(value).split("-")
    return {f"{name}_day": str(int(day)), f"{name}_month": str(int(month)), f"{name}_year": year}


def fill_date(page, legend: str, value) -> None:
    """Type ``value`` (a date or "YYYY-MM-DD") into the Day / Month / Year boxes of the date
    whose legend is ``legend``, in a Playwright page."""
    group = page.get_by_role("group", name=legend, exact=True)
    for part, typed in date_fields("", value).items():
        group.get_by_label(part.strip("_").capitalize(), exact=True).fill(typed)


def client_for(user) -> Client:
    """A test client signed in as ``user`` (anonymous for ``None``)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def answer(
    round_,
    partner,
    scores: dict[str, int | None],
    *,
    submitted=True,
    evidence=None,
    perspective=Perspective.MANAGER,
):
    """One respondent of ``partner`` answering ``round_``; codes not in scores stay unanswered."""
    invitation = InvitationFactory(round=round_, partner=partner, perspective=perspective)
    response = Response.objects.create(
        invitation=invitation,
        status=ResponseStatus.SUBMITTED if submitted else ResponseStatus.DRAFT,
        submitted_at=timezone.now() if submitted else None,
    )
    items = {p.code: p for p in round_.framework.preconditions.all()}
    Rating.objects.bulk_create(
        Rating(
            response=response,
            precondition=items[code],
            score=score,
            evidence=(evidence or {}).get(code, ""),
        )
        for code, score in scores.items()
    )
    return invitation


def load_demo(*, extras: bool = False) -> None:
    """The demo place Harrowdene (``manage.py demo``); with ``extras``, ``demo_extras`` too."""
    with open(os.devnull, "w") as devnull:
        call_command("demo_extras" if extras else "demo", stdout=devnull)
