"""The demo's printed personal links open the respondent's pages."""

from __future__ import annotations

import pytest

from assessments.management.commands.demo import demo_token
from assessments.models import Invitation, ResponseStatus, RoundState
from tests.helpers import load_demo

pytestmark = pytest.mark.django_db


def test_demo_links_open_drafts_and_submitted_answers(client):
    load_demo()
    invitations = Invitation.objects.filter(round__state=RoundState.OPEN).select_related(
        "round", "response"
    )
    draft = next(
        i
        for i in invitations
        if getattr(i, "response", None) and i.response.status == ResponseStatus.DRAFT
    )
    submitted = next(
        i
        for i in invitations
        if getattr(i, "response", None) and i.response.status == ResponseStatus.SUBMITTED
    )
    answered = draft.response.ratings.filter(answered=True).count()
    page = client.get(f"/r/{demo_token(draft.round.name, draft.email)}/")
    assert page.status_code == 200
    assert f"<span data-answered>{answered}</span> of 9</strong> answered" in page.content.decode()
    page = client.get(f"/r/{demo_token(submitted.round.name, submitted.email)}/")
    assert "You have submitted your answers" in page.content.decode()
