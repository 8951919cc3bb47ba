"""The presenter pages are base.html pages with the presenter's look; the workshop posts the
views refuse cost a pinned number of queries (the networks pages: tests/networks)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.helpers import date_fields
from tests.workshop.conftest import as_, client_for
from workshop.models import Action, AgreedView
from workshop.services import action_create

pytestmark = pytest.mark.django_db


# --- The presenter page ---------------------------------------------------------------------


@pytest.mark.parametrize("page", ["start", "step"])
def test_presenter_pages_extend_base_with_the_presenter_look(people, place, round_, page):
    args = [place.slug, round_.pk] + (["C"] if page == "step" else [])
    html = as_(people, "facilitator").get(reverse(f"workshop:{page}", args=args)).content.decode()
    # From base.html: one document, its skip link and the error summary's focus script.
    assert html.count("<!doctype html>") == 1 and html.count("<body") == 1
    assert '<a class="skip-link" href="#main">' in html
    assert "js/error-summary.js" in html
    # The presenter's own look: its bar and wide type instead of the site's header and footer.
    assert '<body class="workshop">' in html
    assert '<header class="workshop-bar">' in html and 'class="site-header' not in html
    assert '<main id="main" class="workshop-main"' in html
    assert "site-footer" not in html
    assert "css/workshop.css" in html and "js/workshop.js" in html
    assert f"· {round_.name} · Ninefold</title>" in html


# --- Refused workshop posts -----------------------------------------------------------------

# session, user, membership with place, round; then what each refusal reads to show the form
# again (or, for a status, nothing more than the action). The step's notes cost 2: the notes
# and who may be credited with them (docs/confidentiality.md). A refused status keeps what was
# typed in the session for the list it returns to: saving it is a savepoint, an update and its
# release.
REFUSED_VIEW_QUERIES = 22
REFUSED_ACTION_QUERIES = 21
REFUSED_STATUS_QUERIES = 7


def test_a_refused_agreed_view_costs_a_pinned_number_of_queries(
    people, place, round_, django_assert_num_queries
):
    client = as_(people, "lead")
    url = reverse("workshop:record_view", args=[place.slug, round_.pk, "C"])
    with django_assert_num_queries(REFUSED_VIEW_QUERIES):
        response = client.post(url, {"view": "disagree"})
    assert response.status_code == 200 and not AgreedView.objects.exists()


def test_a_refused_action_costs_a_pinned_number_of_queries(
    people, place, round_, django_assert_num_queries
):
    client = as_(people, "lead")
    url = reverse("workshop:add_action", args=[place.slug, round_.pk, "C"])
    with django_assert_num_queries(REFUSED_ACTION_QUERIES):
        response = client.post(url, {"what": "Keep this", **date_fields("due_on", "2027-02-31")})
    assert response.status_code == 200 and not Action.objects.exists()


def test_a_refused_status_change_costs_a_pinned_number_of_queries(
    people, place, round_, django_assert_num_queries
):
    lead = people["lead"]
    action = action_create(
        round_=round_,
        what="Share one measure",
        owner=place.partners.first(),
        due_on=dt.date(2027, 3, 31),
        preconditions=[],
        user=lead,
    )
    client = client_for(lead)
    url = reverse("workshop:action_status", args=[place.slug, action.pk])
    with django_assert_num_queries(REFUSED_STATUS_QUERIES):
        response = client.post(url, {f"action-{action.pk}-status": "not-a-status"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "open"
