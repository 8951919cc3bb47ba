import datetime as dt

import pytest
from django.urls import reverse

from assessments.models import RoundState
from places.models import ActivityLog
from tests.factories import PartnerFactory, RoundFactory
from tests.helpers import client_for, date_fields
from tests.workshop.conftest import answered_round, as_
from workshop.models import Action, ActionStatus, AgreedView
from workshop.selectors import actions_carried_into, actions_for_round, pick_notes
from workshop.services import action_create

pytestmark = pytest.mark.django_db

EXPECTED = {
    "read": {
        "anonymous": 302,
        "board": 403,
        "facilitator": 200,
        "lead": 200,
        "other_lead": 404,
        "network_viewer": 404,
    },
    "summary": {
        "anonymous": 302,
        "board": 200,
        "facilitator": 200,
        "lead": 200,
        "other_lead": 404,
        "network_viewer": 404,
    },
    "write": {
        "anonymous": 302,
        "board": 403,
        "facilitator": 302,
        "lead": 302,
        "other_lead": 404,
        "network_viewer": 404,
    },
}
WHO = list(EXPECTED["read"])


def _urls(place, round_):
    args = [place.slug, round_.pk]
    return {
        "start": reverse("workshop:start", args=args),
        "step": reverse("workshop:step", args=[*args, "C"]),
        "summary": reverse("workshop:summary", args=args),
        "record": reverse("workshop:record_view", args=[*args, "C"]),
        "add": reverse("workshop:add_action", args=[*args, "C"]),
    }


@pytest.mark.parametrize("who", WHO)
def test_start_and_step_are_for_facilitators_and_leads_only(people, place, round_, who):
    urls = _urls(place, round_)
    client = as_(people, who)
    assert client.get(urls["start"]).status_code == EXPECTED["read"][who]
    assert client.get(urls["step"]).status_code == EXPECTED["read"][who]


@pytest.mark.parametrize("who", WHO)
def test_summary_is_readable_by_board_but_not_outside_the_place(people, place, round_, who):
    response = as_(people, who).get(_urls(place, round_)["summary"])
    assert response.status_code == EXPECTED["summary"][who]


@pytest.mark.parametrize("who", WHO)
def test_recording_a_view_is_for_facilitators_and_leads_only(people, place, round_, who):
    response = as_(people, who).post(
        _urls(place, round_)["record"], {"view": "3", "reasons": "Close enough."}
    )
    assert response.status_code == EXPECTED["write"][who]
    saved = AgreedView.objects.filter(round=round_, precondition__code="C").exists()
    assert saved is (who in ("facilitator", "lead"))


@pytest.mark.parametrize("who", WHO)
def test_adding_an_action_is_for_facilitators_and_leads_only(people, place, round_, who):
    owner = place.partners.first()
    response = as_(people, who).post(
        _urls(place, round_)["add"],
        {"what": "Meet monthly", "owner": owner.pk, **date_fields("due_on", "2027-01-31")},
    )
    assert response.status_code == EXPECTED["write"][who]
    assert Action.objects.exists() is (who in ("facilitator", "lead"))


@pytest.mark.parametrize("who", WHO)
def test_updating_an_action_status_is_for_facilitators_and_leads_only(people, place, round_, who):
    action = action_create(
        round_=round_,
        what="Meet monthly",
        owner=place.partners.first(),
        due_on=dt.date(2027, 1, 1),
        preconditions=[],
        user=None,
    )
    url = reverse("workshop:action_status", args=[place.slug, action.pk])
    response = as_(people, who).post(url, {f"action-{action.pk}-status": "done"})
    assert response.status_code == EXPECTED["write"][who]
    action.refresh_from_db()
    assert (action.status == "done") is (who in ("facilitator", "lead"))


def test_get_on_a_write_url_is_refused(people, place, round_):
    client = as_(people, "lead")
    assert client.get(_urls(place, round_)["record"]).status_code == 405


def test_round_of_another_place_is_404_even_for_a_lead(people, place):
    other = answered_round(RoundFactory().place, name="Elsewhere")
    client = as_(people, "lead")
    assert client.get(reverse("workshop:start", args=[place.slug, other.pk])).status_code == 404
    assert client.get(reverse("workshop:summary", args=[place.slug, other.pk])).status_code == 404


def test_action_of_another_place_cannot_be_updated(people, place, round_):
    other_round = answered_round(RoundFactory().place, name="Elsewhere")
    action = action_create(
        round_=other_round,
        what="Not yours",
        owner=other_round.place.partners.first(),
        due_on=dt.date(2027, 1, 1),
        preconditions=[],
        user=None,
    )
    url = reverse("workshop:action_status", args=[place.slug, action.pk])
    response = as_(people, "lead").post(url, {f"action-{action.pk}-status": "done"})
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == "open"


def test_draft_round_has_no_workshop(people, place):
    draft = RoundFactory(place=place, state=RoundState.DRAFT)
    url = reverse("workshop:start", args=[place.slug, draft.pk])
    assert as_(people, "lead").get(url).status_code == 404


def test_unknown_precondition_code_is_404(people, place, round_):
    url = reverse("workshop:step", args=[place.slug, round_.pk, "Z"])
    assert as_(people, "lead").get(url).status_code == 404


def test_step_shows_distribution_partners_notes_prompts_and_links(people, place, round_):
    html = as_(people, "facilitator").get(_urls(place, round_)["step"]).content.decode()
    assert "Precondition 3 of 9" in html
    # Partner 0 rated 2 and 4 (mean 3.0), partner 1 rated 4 and 5 (mean 4.5).
    assert "Lowest: Spring round partner 0 (3.0)" in html
    assert "Highest: Spring round partner 1 (4.5)" in html
    assert 'Place score <strong class="figure">3.8</strong>' in html
    assert html.count('class="evidence-note"') == 3
    assert "Note C from a 2" in html and "Note C from a 5" in html
    assert "Who among" not in html and "Do we describe the problem as ours" in html
    assert 'rel="prev"' in html and "/workshop/B/" in html
    assert 'rel="next"' in html and "/workshop/D/" in html
    assert "<script>" not in html and "style=" not in html and "onclick" not in html


def test_evidence_notes_are_anonymised_on_the_step(people, place, round_):
    html = as_(people, "facilitator").get(_urls(place, round_)["step"]).content.decode()
    section = html[html.index('id="notes-heading"') : html.index('id="prompts-heading"')]
    assert "partner" not in section.lower()
    assert "Someone who rated it" in section


def test_pick_notes_spreads_across_levels():
    from reports.aggregation import EvidenceNote

    notes = [EvidenceNote("A", s, f"n{s}", "P", "S", "X", None) for s in [5, 4, 3, 2, 1]]
    assert [n.score for n in pick_notes(notes)] == [1, 3, 5]
    assert len(pick_notes(notes[:2])) == 2


def test_last_step_links_on_to_the_summary_and_first_back_to_start(people, place, round_):
    client = as_(people, "lead")
    last = client.get(reverse("workshop:step", args=[place.slug, round_.pk, "I"])).content
    assert reverse("workshop:summary", args=[place.slug, round_.pk]) in last.decode()
    first = client.get(reverse("workshop:step", args=[place.slug, round_.pk, "A"])).content
    assert "Back to the start" in first.decode()


def test_recording_a_level_then_disagree_replaces_the_view(people, place, round_):
    client = as_(people, "facilitator")
    url = _urls(place, round_)["record"]
    response = client.post(url, {"view": "4", "reasons": "Broadly there."})
    assert response.status_code == 302 and response["Location"].endswith("/C/#agreed-view")
    client.post(url, {"view": "disagree", "reasons": "Police and council differ."})
    view = AgreedView.objects.get(round=round_, precondition__code="C")
    assert (view.level, view.disagree) == (None, True)
    assert view.recorded_by == people["facilitator"]
    assert AgreedView.objects.count() == 1
    assert ActivityLog.objects.filter(verb="workshop-view-recorded").count() == 2


def test_disagree_without_reasons_shows_error_summary_and_keeps_input(people, place, round_):
    response = as_(people, "lead").post(_urls(place, round_)["record"], {"view": "disagree"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_reasons"' in html
    assert 'aria-describedby="id_reasons_helptext id_reasons_error"' in html
    assert 'value="disagree" id="id_view_' in html
    assert (
        "checked" in html[html.index('value="disagree"') - 20 : html.index('value="disagree"') + 80]
    )
    assert not AgreedView.objects.exists()


def test_invalid_level_changes_nothing(people, place, round_):
    response = as_(people, "lead").post(_urls(place, round_)["record"], {"view": "9"})
    assert response.status_code == 200
    assert not AgreedView.objects.exists()


def test_adding_an_action_links_preconditions_and_logs(people, place, round_):
    owner = place.partners.first()
    response = as_(people, "lead").post(
        _urls(place, round_)["add"],
        {
            "what": "  Share one outcome measure  ",
            "owner": owner.pk,
            **date_fields("due_on", "2027-03-31"),
            "preconditions": [p.pk for p in round_.framework.preconditions.filter(code__in="AC")],
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.what == "Share one outcome measure"
    assert sorted(p.code for p in action.preconditions.all()) == ["A", "C"]
    assert (action.place, action.round, action.owner) == (place, round_, owner)
    assert ActivityLog.objects.filter(verb="workshop-action-added").exists()


def test_action_with_bad_input_keeps_what_was_typed_and_adds_nothing(people, place, round_):
    foreign = PartnerFactory()
    response = as_(people, "lead").post(
        _urls(place, round_)["add"],
        {"what": "Keep this text", "owner": foreign.pk, **date_fields("due_on", "2027-02-31")},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Keep this text" in html
    assert "The due date must be a real date" in html
    # what was typed stays in the three boxes
    assert 'name="due_on_day" value="31"' in html and 'name="due_on_year" value="2027"' in html
    assert 'href="#id_owner"' in html
    assert not Action.objects.exists()


def test_archived_partner_is_not_offered_as_owner(people, place, round_):
    archived = PartnerFactory(place=place, name="Gone Trust", archived_at=dt.datetime.now(dt.UTC))
    html = as_(people, "lead").get(_urls(place, round_)["step"]).content.decode()
    assert "Gone Trust" not in html
    assert archived.pk


def _meeting(place, round_):
    """An open action of ``round_``, linked to no precondition."""
    return action_create(
        round_=round_,
        what="Meet",
        owner=place.partners.first(),
        due_on=dt.date(2027, 1, 1),
        preconditions=[],
        user=None,
    )


def test_action_status_update_returns_to_a_safe_next_only(people, place, round_):
    action = _meeting(place, round_)
    url = reverse("workshop:action_status", args=[place.slug, action.pk])
    client = as_(people, "lead")
    prefix = f"action-{action.pk}"
    response = client.post(
        url,
        {
            f"{prefix}-status": "in_progress",
            f"{prefix}-status_note": "Begun",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("workshop:summary", args=[place.slug, round_.pk])
    action.refresh_from_db()
    assert (action.status, action.status_note) == ("in_progress", "Begun")
    response = client.post(url, {f"{prefix}-status": "nonsense", "next": "/somewhere/"})
    assert response["Location"] == "/somewhere/"
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_actions_are_carried_into_later_rounds_only(place):
    first = answered_round(place, name="First", opens_on=dt.date(2025, 3, 1))
    second = answered_round(place, name="Second", opens_on=dt.date(2025, 10, 1))
    third = RoundFactory(place=place, name="Third", opens_on=dt.date(2026, 3, 1))
    owner = place.partners.first()
    done = action_create(
        round_=first,
        what="Done one",
        owner=owner,
        due_on=dt.date(2025, 5, 1),
        preconditions=[],
        user=None,
    )
    done.status = ActionStatus.DONE
    done.save()
    open_ = action_create(
        round_=second,
        what="Open one",
        owner=owner,
        due_on=dt.date(2026, 1, 1),
        preconditions=[],
        user=None,
    )
    other_place_round = answered_round(
        RoundFactory().place, name="Else", opens_on=dt.date(2025, 1, 1)
    )
    action_create(
        round_=other_place_round,
        what="Elsewhere",
        owner=other_place_round.place.partners.first(),
        due_on=dt.date(2026, 1, 1),
        preconditions=[],
        user=None,
    )
    assert actions_carried_into(first) == []
    assert actions_carried_into(second) == [done]
    # Unfinished actions first, then finished ones.
    assert actions_carried_into(third) == [open_, done]
    assert actions_for_round(second) == [open_]


def test_start_of_a_later_round_shows_carried_actions_with_status(people, place, round_):
    later = RoundFactory(place=place, name="Later", opens_on=dt.date(2026, 9, 1))
    action_create(
        round_=round_,
        what="Co-design the hub",
        owner=place.partners.first(),
        due_on=dt.date(2026, 6, 1),
        preconditions=[],
        user=None,
    )
    html = as_(people, "lead").get(reverse("workshop:start", args=[place.slug, later.pk])).content
    html = html.decode()
    assert "Co-design the hub" in html
    assert "Status: <strong>Open</strong>" in html
    assert "Agreed at the workshop of Spring round" in html


def test_board_summary_lists_views_and_actions_without_forms(people, place, round_):
    AgreedView.objects.create(
        round=round_,
        precondition=round_.framework.preconditions.get(code="B"),
        disagree=True,
        reasons="Split.",
    )
    action_create(
        round_=round_,
        what="Listen more",
        owner=place.partners.first(),
        due_on=dt.date(2027, 1, 1),
        preconditions=[],
        user=None,
    )
    html = as_(people, "board").get(_urls(place, round_)["summary"]).content.decode()
    assert "We disagree" in html and "Split." in html and "Listen more" in html
    assert '<form method="post" action="/places/' not in html
    lead_html = as_(people, "lead").get(_urls(place, round_)["summary"]).content.decode()
    assert "workshop:action_status" not in lead_html and "/status/" in lead_html


def test_step_query_count_is_fixed_whatever_the_round_size(
    people, place, django_assert_max_num_queries
):
    small = answered_round(place, name="Small", scores=((3,),))
    big = answered_round(place, name="Big", scores=((1, 2, 3), (4, 5, 5), (2, 2, 2), (3, 4, 5)))
    client = client_for(people["facilitator"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for r in (small, big):
        with CaptureQueriesContext(connection) as ctx:
            assert (
                client.get(reverse("workshop:step", args=[place.slug, r.pk, "E"])).status_code
                == 200
            )
        counts.append(len(ctx))
    assert counts == [STEP_QUERIES, STEP_QUERIES]


def test_start_and_summary_query_counts_are_pinned(
    people, place, round_, django_assert_num_queries
):
    client = client_for(people["lead"])
    for i in range(3):
        action_create(
            round_=round_,
            what=f"A{i}",
            owner=place.partners.first(),
            due_on=dt.date(2027, 1, 1),
            preconditions=round_.framework.preconditions.all()[:2],
            user=None,
        )
    later = RoundFactory(place=place, name="Later", opens_on=dt.date(2026, 9, 1))
    with django_assert_num_queries(START_QUERIES):
        client.get(reverse("workshop:start", args=[place.slug, later.pk]))
    with django_assert_num_queries(SUMMARY_QUERIES):
        client.get(reverse("workshop:summary", args=[place.slug, round_.pk]))


def test_a_repeat_start_page_reads_the_cached_round_summary(
    people, place, round_, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(people["facilitator"])
    url = reverse("workshop:start", args=[place.slug, round_.pk])
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with django_assert_num_queries(START_QUERIES_WARM):  # the summary the dashboards cache
        assert client.get(url).status_code == 200
    answered_round(place, name="Later", opens_on=dt.date(2026, 9, 1))
    with django_assert_num_queries(len(first)):  # the place's data changed: built again
        client.get(url)


# session, user, membership, round; round_summary (fixed); agreed views; carried actions (2)
START_QUERIES = 16
START_QUERIES_WARM = 6  # session, user, membership, round, agreed views, carried actions
SUMMARY_QUERIES = 9
STEP_QUERIES = 20  # the same for 1 or 12 respondents; notes cost 2 (notes, who may be credited)


def test_pages_have_no_inline_script_style_or_handlers(people, place, round_):
    import re

    from networks.models import Network, NetworkPlace

    network = Network.objects.create(name="Vale", slug="vale")
    network.members.add(people["lead"])
    NetworkPlace.objects.create(network=network, place=place, consent_share=True)
    urls = [
        *_urls(place, round_).values(),
        reverse("networks:place_networks", args=[place.slug]),
        reverse("networks:comparison", args=["vale"]),
        reverse("networks:networks"),
    ]
    client = as_(people, "lead")
    for url in urls:
        if url.endswith(("/agreed-view/", "/actions/")):
            continue
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url


def test_a_refused_status_shows_its_error_at_the_field_and_keeps_the_typed_note(
    people, place, round_
):
    action = _meeting(place, round_)
    summary = reverse("workshop:summary", args=[place.slug, round_.pk])
    client = as_(people, "lead")
    prefix = f"action-{action.pk}"
    response = client.post(
        reverse("workshop:action_status", args=[place.slug, action.pk]),
        {
            f"{prefix}-status": "nonsense",
            f"{prefix}-status_note": "Met twice; minutes to follow",
            "next": summary,
        },
        follow=True,
    )
    html = response.content.decode()
    # The error sits at the status field, which says it is invalid; the note is as typed.
    error = f'<p class="error-message" id="id_{prefix}-status_error">'
    assert error in html and "Choose one of the statuses listed" in html
    assert f'aria-describedby="id_{prefix}-status_error"' in html
    assert 'value="Met twice; minutes to follow"' in html
    assert "see the error on its row" in html  # the message above points to it
    action.refresh_from_db()
    assert (action.status, action.status_note) == ("open", "")
    # Shown once: the next visit shows the action as it is.
    html = client.get(summary).content.decode()
    assert error not in html and "Met twice" not in html
