"""Every lead and facilitator change reaches the activity log; overdue actions are flagged."""

from __future__ import annotations

import ast
import datetime as dt
import os
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from assessments.models import Round, RoundState
from places.models import ActivityLog, Place
from workshop.models import Action, ActionStatus

pytestmark = pytest.mark.django_db

# Well after the demo actions due on 30 June and 30 September 2026.
DECEMBER = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _demo() -> None:
    call_command("demo_extras", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


# --- The activity log ----------------------------------------------------------------------


def test_the_demo_gives_its_places_a_history_once():
    _demo()
    harrowdene = Place.objects.get(slug="harrowdene")
    verbs = set(ActivityLog.objects.filter(place=harrowdene).values_list("verb", flat=True))
    assert {
        "place-created",
        "partner-added",
        "round-created",
        "round-opened",
        "invitations-sent",
        "invitations-reminded",
        "round-closed",
        "partner-archived",
        "workshop-view-recorded",
        "workshop-action-added",
        "workshop-action-status",
    } <= verbs
    assert ActivityLog.objects.filter(place__slug="kelsey-vale", verb="network-consent").exists()
    # Dated as it happened, not all at the moment the command ran.
    first = ActivityLog.objects.filter(place=harrowdene).order_by("created_at").first()
    assert first.verb == "place-created" and first.created_at.date() < dt.date(2025, 3, 1)

    before = ActivityLog.objects.count()
    _demo()
    assert ActivityLog.objects.count() == before

    html = (
        _signed_in("lead@example.org")
        .get(reverse("places:activity", args=["harrowdene"]))
        .content.decode()
    )
    assert "Nothing has been recorded yet" not in html
    assert "Opened the round" in html


def test_an_empty_activity_log_says_what_will_appear(lead_client: Client, place):
    html = lead_client.get(reverse("places:activity", args=[place.slug])).content.decode()
    assert "Nothing has been recorded yet." in html
    assert "Every change made by the place's leads and facilitators will be listed here" in html
    assert reverse("assessments:round_list", args=[place.slug]) in html


SERVICE_MODULES = [
    "places/services.py",
    "assessments/services/rounds.py",
    "assessments/services/invitations.py",
    "workshop/services.py",
]
# Public functions that change nothing a lead or facilitator did: readers, and the
# system's own bookkeeping (a send whose worker stopped is marked failed, decision 0030).
NOT_CHANGES = {
    "activity_record",
    "place_invitation_find",
    "parse_respondent_list",
    "round_draft_count",
    "round_has_answers",
    "invitations_fail_stale_sends",
    # The demo and seed commands record emails "sent" long ago (decision 0026).
    "invitation_record_sent",
    # A site administrator's lead invitations belong to no place, so to no place's activity
    # log (decision 0024).
    "lead_invitation_find",
    "lead_invitation_create",
    "lead_invitation_resend",
    "lead_invitation_revoke",
    "lead_invitation_accept",
}
LOGGERS = {"activity_record", "_log"}


def _calls(node: ast.AST) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            names.add(func.id if isinstance(func, ast.Name) else getattr(func, "attr", ""))
    return names


@pytest.mark.parametrize("module", SERVICE_MODULES)
def test_every_lead_and_facilitator_service_writes_the_activity_log(module):
    """Each public service records an entry itself or through a function of its module."""
    tree = ast.parse(Path(module).read_text())
    functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
    logs = set(LOGGERS)
    changed = True
    while changed:  # everything that reaches a logger, directly or through its module
        changed = False
        for name, function in functions.items():
            if name not in logs and _calls(function) & logs:
                logs.add(name)
                changed = True
    public = {name for name in functions if not name.startswith("_")} - NOT_CHANGES
    assert public, module
    assert sorted(public - logs) == []


# --- Overdue actions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "due", "overdue"),
    [
        (ActionStatus.OPEN, dt.date(2026, 11, 30), True),
        (ActionStatus.IN_PROGRESS, dt.date(2026, 6, 30), True),
        (ActionStatus.OPEN, dt.date(2026, 12, 1), False),  # due today: not yet
        (ActionStatus.DONE, dt.date(2026, 1, 31), False),
        (ActionStatus.DROPPED, dt.date(2026, 5, 31), False),
    ],
)
def test_an_action_is_overdue_past_its_date_until_done_or_dropped(status, due, overdue):
    assert Action(status=status, due_on=due).overdue_on(dt.date(2026, 12, 1)) is overdue


@pytest.fixture
def december_demo():
    with time_machine.travel(DECEMBER, tick=False):
        _demo()
        open_round = Round.objects.get(place__slug="harrowdene", state=RoundState.OPEN)
        overdue = [a.what for a in Action.objects.filter(place__slug="harrowdene") if a.is_overdue]
        # In progress since June, open since September: two, as counted by hand.
        assert len(overdue) == 2
        yield open_round, overdue


def _flags(html: str) -> int:
    return html.count('class="overdue-flag"')


def test_the_dashboard_flags_overdue_actions(december_demo):
    open_round, _ = december_demo
    html = (
        _signed_in("board@example.org")
        .get(reverse("reports:dashboard", args=["harrowdene", open_round.pk]))
        .content.decode()
    )
    assert _flags(html) == 2


def test_workshop_pages_flag_overdue_actions(december_demo):
    open_round, _ = december_demo
    client = _signed_in("facilitator@example.org")
    for name in ("workshop:start", "workshop:summary"):
        html = client.get(reverse(name, args=["harrowdene", open_round.pk])).content.decode()
        assert _flags(html) == 2, name


def test_the_pdf_action_table_flags_overdue_actions(december_demo):
    from reports import pdf

    open_round, _ = december_demo
    assert _flags(pdf.round_report_html(open_round)) == 2


def test_the_dashboard_cached_yesterday_is_not_shown_today(december_demo):
    """The flag depends on the date, so the cached dashboard is keyed on it."""
    open_round, _ = december_demo
    url = reverse("reports:dashboard", args=["harrowdene", open_round.pk])
    client = _signed_in("board@example.org")
    action = Action.objects.get(place__slug="harrowdene", what__startswith="Pair frontline")
    Action.objects.filter(pk=action.pk).update(due_on=dt.date(2026, 12, 1))
    # Bypass signals: the data version stays, only the date moves on.
    assert _flags(client.get(url).content.decode()) == 1
    with time_machine.travel(DECEMBER + dt.timedelta(days=1), tick=False):
        assert _flags(client.get(url).content.decode()) == 2
