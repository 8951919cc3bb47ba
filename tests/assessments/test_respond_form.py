"""The respondent's form: drafts, submitting, amending, bad input, stale tabs and autosave."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.test import Client
from django.utils.html import escape

from assessments.models import (
    EVIDENCE_MAX_LENGTH,
    Confidentiality,
    Rating,
    Response,
    ResponseStatus,
)
from preconditions.models import Precondition
from tests.assessments.conftest import CODES, all_answered, form_data, link
from tests.factories import InvitationFactory, RatingFactory, ResponseFactory, default_framework

pytestmark = pytest.mark.django_db


def text(page) -> str:
    """The page's text with tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page.content.decode())))


def ratings(invitation) -> dict[str, tuple[int | None, str, bool]]:
    return {
        r.precondition.code: (r.score, r.evidence, r.answered)
        for r in Rating.objects.filter(response__invitation=invitation).select_related(
            "precondition"
        )
    }


def snapshot(invitation):
    response = Response.objects.filter(invitation=invitation).values().first()
    return response, ratings(invitation)


# --- What the form shows --------------------------------------------------------------


def test_the_form_shows_the_nine_preconditions_verbatim_under_their_groups(client, invitation):
    html = client.get(link(invitation)).content.decode()
    framework = default_framework()
    vision = html.index(">Vision</h2>")
    behaviours = html.index(">Behaviours</h2>")
    assert vision < behaviours
    for item in Precondition.objects.filter(framework=framework).select_related("group"):
        position = html.index(f"</span> {escape(item.name)}</h3>")
        assert (vision < position < behaviours) == (item.group.code == "vision")
        assert escape(item.summary) in html
    assert html.count("What it can feel like for someone using services</summary>") == 9
    assert html.count("<details") == 9


def test_each_precondition_is_a_fieldset_of_five_levels_and_dont_know(client, invitation):
    html = client.get(link(invitation)).content.decode()
    assert html.count("<fieldset") == 9
    assert html.count("<legend") == 9
    for level in ("1 Absent", "2 Emerging", "3 Developing", "4 Established", "5 Embedded"):
        assert html.count(level) == 9
    assert html.count('value="dk"') == 9
    # Each level's descriptor is tied to its radio.
    assert 'aria-describedby="A-choice-1-hint"' in html
    assert 'id="A-choice-1-hint"' in html


def test_each_evidence_box_has_a_label_a_hint_and_a_visible_count(client, invitation):
    html = client.get(link(invitation)).content.decode()
    assert html.count("What have you seen that makes you say this?") == 9
    assert '<label class="form-label evidence-label" for="A-evidence">' in html
    assert 'aria-describedby="A-evidence-hint A-evidence-count"' in html
    assert f"{EVIDENCE_MAX_LENGTH} of {EVIDENCE_MAX_LENGTH} characters left" in html


def test_the_introduction_says_what_the_round_is_and_who_sees_what(client, invitation):
    page = text(client.get(link(invitation)))
    assert invitation.round.purpose in page
    assert invitation.name in page
    assert "about 20 minutes" in page
    assert "Other respondents never see your answers" in page


def test_progress_is_shown_as_n_of_nine_answered(client, invitation):
    response = ResponseFactory(invitation=invitation)
    items = list(default_framework().preconditions.all())
    RatingFactory(response=response, precondition=items[0], score=2)
    RatingFactory(response=response, precondition=items[1], score=None)  # don't know
    RatingFactory(response=response, precondition=items[2], score=None, answered=False)
    page = text(client.get(link(invitation)))
    assert "2 of 9 answered" in page


def test_the_page_loads_its_script_and_styles_without_inline_code(client, invitation):
    html = client.get(link(invitation)).content.decode()
    assert re.search(r'<script src="[^"]*js/respond\.js" defer></script>', html)
    assert "css/respond.css" in html
    assert "style=" not in html
    assert re.search(r"<script(?![^>]*src=)", html) is None
    assert " onclick=" not in html


def test_saved_answers_are_shown_checked_with_their_notes(client, invitation):
    response = ResponseFactory(invitation=invitation)
    RatingFactory(
        response=response, precondition=default_framework().preconditions.get(code="A"), score=4
    )
    RatingFactory(
        response=response,
        precondition=default_framework().preconditions.get(code="B"),
        score=None,
        evidence="Not sure & <unsure>",
    )
    html = client.get(link(invitation)).content.decode()
    assert 'id="A-choice-4" value="4" aria-describedby="A-choice-4-hint" checked' in html
    assert 'id="B-choice-dk" value="dk" checked' in html
    assert "Not sure &amp; &lt;unsure&gt;</textarea>" in html


# --- Drafts and submitting --------------------------------------------------------------


def test_save_and_come_back_later_keeps_a_partial_draft(client, invitation):
    page = client.post(
        link(invitation), form_data(A_choice="2", A_evidence="Seen in March", C_evidence="Hmm")
    )
    assert page.status_code == 302
    assert page["Location"] == link(invitation)
    assert ratings(invitation) == {"A": (2, "Seen in March", True), "C": (None, "Hmm", False)}
    assert Response.objects.get(invitation=invitation).status == ResponseStatus.DRAFT
    after = client.get(link(invitation))
    assert "Your answers are saved" in text(after)
    assert "1 of 9 answered" in text(after)


def test_submit_with_all_nine_goes_to_a_confirmation_with_a_summary(client, invitation):
    data = form_data(action="submit", **all_answered("4", I_choice="dk", B_evidence="We co-design"))
    page = client.post(link(invitation), data)
    assert page.status_code == 302
    assert page["Location"] == link(invitation, "done/")
    done = client.get(page["Location"])
    body = text(done)
    assert "Thank you: your answers are submitted" in body
    assert "We co-design" in body
    assert body.count("4 Established") == 8
    assert "Don't know" in body
    assert link(invitation) + "?amend=1" in done.content.decode()
    response = Response.objects.get(invitation=invitation)
    assert response.status == ResponseStatus.SUBMITTED


def test_submit_with_a_question_unanswered_shows_errors_and_keeps_everything(client, invitation):
    data = form_data(action="submit", **all_answered("3", E_choice="", A_evidence="Keep this note"))
    assert "E-choice" not in data
    page = client.post(link(invitation), data)
    assert page.status_code == 400
    html = page.content.decode()
    # GOV.UK-style summary linking to the field, and the error beside the field.
    assert 'class="error-summary"' in html
    assert "Before you submit, choose a level or “Don't know” for this question:" in text(page)
    # The question is named in words anyone can read, not only a screen reader.
    assert (
        '<a href="#E-choice-1">E. Trusted partners: understand '
        "and adapt to each other&#x27;s values</a>"
    ) in html
    assert 'id="E-choice-error"' in html
    assert 'aria-describedby="E-summary E-choice-error"' in html
    # Everything typed is still there.
    assert "Keep this note</textarea>" in html
    assert 'id="A-choice-3" value="3" aria-describedby="A-choice-3-hint" checked' in html
    assert not Response.objects.exists()


def test_after_submitting_the_link_shows_the_summary_and_a_way_to_amend(client, invitation):
    client.post(link(invitation), form_data(action="submit", **all_answered("3")))
    page = client.get(link(invitation))
    assert "You have submitted your answers" in text(page)
    amend = client.get(link(invitation) + "?amend=1")
    html = amend.content.decode()
    assert "Submit changes" in html
    assert "Save and come back later" not in html
    assert "data-autosave-url" not in html


def test_amending_resubmits_and_keeps_the_response_submitted(client, invitation):
    client.post(link(invitation), form_data(action="submit", **all_answered("3")))
    version = Response.objects.get().version
    page = client.post(link(invitation), form_data(version, action="submit", **all_answered("5")))
    assert page.status_code == 302
    assert ratings(invitation)["A"] == (5, "", True)
    assert Response.objects.get().status == ResponseStatus.SUBMITTED


def test_amending_cannot_leave_a_submitted_response_incomplete(client, invitation):
    client.post(link(invitation), form_data(action="submit", **all_answered("3")))
    version = Response.objects.get().version
    data = form_data(version, action="save", **all_answered("3"))
    del data["A-choice"]
    page = client.post(link(invitation), data)
    assert page.status_code == 400
    assert ratings(invitation)["A"] == (3, "", True)


def test_once_the_round_closes_amending_is_refused_and_nothing_changes(client, invitation):
    client.post(link(invitation), form_data(action="submit", **all_answered("3")))
    before = snapshot(invitation)
    version = before[0]["version"]
    closes = invitation.round.closes_on
    after = dt.datetime.combine(closes + dt.timedelta(days=1), dt.time(10), tzinfo=dt.UTC)
    with time_machine.travel(after):
        page = client.post(
            link(invitation),
            form_data(version, action="submit", **all_answered("1", A_evidence="Too late")),
        )
        assert page.status_code == 409
        body = text(page)
        assert "could not be saved" in body
        assert "Too late" in body  # what they typed is shown back, not lost
        read_only = client.get(link(invitation))
        assert "has closed" in text(read_only)
        assert "?amend=1" not in read_only.content.decode()
    assert snapshot(invitation) == before


# --- Nothing duplicated -----------------------------------------------------------------


def test_a_double_click_on_save_creates_one_response_and_one_rating_each(client, invitation):
    data = form_data(A_choice="3", B_choice="4")
    first = client.post(link(invitation), data)
    second = client.post(link(invitation), data)
    assert first.status_code == second.status_code == 302
    assert Response.objects.filter(invitation=invitation).count() == 1
    assert Rating.objects.filter(response__invitation=invitation).count() == 2


def test_a_reposted_submit_is_harmless(client, invitation):
    data = form_data(action="submit", **all_answered("3"))
    client.post(link(invitation), data)
    again = client.post(link(invitation), data)
    assert again.status_code == 302
    assert again["Location"] == link(invitation, "done/")
    assert Response.objects.count() == 1
    assert Rating.objects.count() == 9


# --- Stale second tab ------------------------------------------------------------------


def test_an_older_tab_does_not_overwrite_newer_answers_and_shows_what_changed(client, invitation):
    # Both tabs opened while nothing was saved (version 0).
    client.post(link(invitation), form_data(0, A_choice="2", A_evidence="From the first tab"))
    saved = snapshot(invitation)
    page = client.post(
        link(invitation), form_data(0, A_choice="5", A_evidence="From the second tab")
    )
    assert page.status_code == 409
    html = page.content.decode()
    body = text(page)
    assert "Your answers were changed somewhere else" in body
    # Their own typing is kept in the form...
    assert "From the second tab</textarea>" in html
    assert 'id="A-choice-5" value="5" aria-describedby="A-choice-5-hint" checked' in html
    # ...and the saved values are shown beside it.
    assert "saved “2 Emerging”, on this page “5 Embedded”" in body
    assert "From the first tab" in body
    assert "discard the changes on this page" in body
    # The form now carries the current version, so saving again is a knowing choice.
    version = saved[0]["version"]
    assert f'name="version" value="{version}"' in html
    assert snapshot(invitation) == saved
    # Choosing to keep this page's answers saves them.
    again = client.post(
        link(invitation), form_data(version, A_choice="5", A_evidence="From the second tab")
    )
    assert again.status_code == 302
    assert ratings(invitation)["A"] == (5, "From the second tab", True)


# --- Tampered and bad input -------------------------------------------------------------


@pytest.mark.parametrize("score", ["0", "6", "abc", "", "3 ", "-1"])
def test_a_score_outside_the_scale_is_refused_with_a_message(client, invitation, score):
    client.post(link(invitation), form_data(A_choice="2", A_evidence="kept"))
    before = snapshot(invitation)
    data = form_data(before[0]["version"], A_choice="2", A_evidence="kept")
    data["B-choice"] = score
    page = client.post(link(invitation), data)
    if score == "":
        # An empty value is what "nothing chosen" looks like: it is accepted.
        assert page.status_code == 302
        return
    assert page.status_code == 400
    assert "Choose one of the levels shown, or Don&#x27;t know." in page.content.decode()
    assert snapshot(invitation) == before


def test_an_unknown_precondition_is_refused_and_nothing_changes(client, invitation):
    data = form_data(A_choice="3")
    data["Z-choice"] = "3"
    page = client.post(link(invitation), data)
    assert page.status_code == 400
    assert "fields that do not belong to your answers (Z-choice)" in page.content.decode()
    assert not Response.objects.exists()


def test_a_field_for_another_response_is_refused(client, invitation):
    other = RatingFactory(
        response=ResponseFactory(invitation=InvitationFactory(round=invitation.round)), score=1
    )
    data = form_data(A_choice="3")
    data["response"] = str(other.response_id)
    data[f"rating-{other.pk}-score"] = "5"
    page = client.post(link(invitation), data)
    assert page.status_code == 400
    assert "do not belong to your answers" in page.content.decode()
    assert not Response.objects.filter(invitation=invitation).exists()
    other.refresh_from_db()
    assert other.score == 1


def test_one_submit_reports_an_over_long_note_and_every_unanswered_question_at_once(
    client, invitation
):
    note = "n" * (EVIDENCE_MAX_LENGTH + 3)
    data = form_data(
        action="submit",
        **all_answered("3", C_choice="", G_choice="", A_evidence=note, B_evidence="Keep me"),
    )
    page = client.post(link(invitation), data)
    assert page.status_code == 400
    html, body = page.content.decode(), text(page)
    summary = html[
        html.index('id="error-summary"') : html.index("</div>", html.index("error-summary"))
    ]
    # Both kinds of problem in the first answer, each naming its question in words.
    assert "choose a level or “Don't know” for each of these 2 questions" in body
    assert '<a href="#C-choice-1">C. ' in summary and '<a href="#G-choice-1">G. ' in summary
    assert '<a href="#A-evidence">A. ' in summary
    assert "evidence note: Keep this note to" in unescape(summary)
    assert 'id="C-choice-error"' in html and 'id="A-evidence-error"' in html
    # Nothing typed is lost, nothing is saved.
    assert f"{note}</textarea>" in html and "Keep me</textarea>" in html
    assert 'id="B-choice-3" value="3" aria-describedby="B-choice-3-hint" checked' in html
    assert not Response.objects.exists()


def test_saving_a_draft_with_questions_unanswered_is_no_error(client, invitation):
    page = client.post(link(invitation), form_data(action="save", A_choice="3"))
    assert page.status_code == 302
    assert ratings(invitation) == {"A": (3, "", True)}


def test_the_confirmation_says_what_happens_next(client, invitation):
    client.post(link(invitation), form_data(action="submit", **all_answered("4")))
    done = client.get(link(invitation, "done/"))
    body = text(done)
    closes = invitation.round.closes_on.strftime("%-d %B %Y")
    assert "What happens next" in body
    assert (
        f"The round closes at the end of {closes} . Until then you can change your answers" in body
    )
    assert "After the round closes your answers are final" in body
    assert "leads, facilitators and board members see the results" in body
    assert link(invitation) + "?amend=1" in done.content.decode()


@pytest.mark.parametrize(
    ("mode", "promise"),
    [
        (Confidentiality.CONFIDENTIAL, "This round is confidential"),
        (Confidentiality.NAMED, "This round shows results by organisation"),
    ],
)
def test_the_confirmation_repeats_the_rounds_confidentiality_promise(
    client, invitation, mode, promise
):
    invitation.round.confidentiality = mode
    invitation.round.save(update_fields=["confidentiality"])
    client.post(link(invitation), form_data(action="submit", **all_answered("4")))
    body = text(client.get(link(invitation, "done/")))
    what_next = body[body.index("What happens next") : body.index("Only you can see this page")]
    assert promise in what_next


def test_a_repeated_field_is_refused(client, invitation):
    page = client.post(link(invitation), {"version": "0", "action": "save", "A-choice": ["2", "5"]})
    assert page.status_code == 400
    assert not Response.objects.exists()


def test_an_over_long_note_is_refused_and_shown_back_in_full(client, invitation):
    note = "n" * (EVIDENCE_MAX_LENGTH + 5)
    page = client.post(link(invitation), form_data(A_choice="3", A_evidence=note))
    assert page.status_code == 400
    html = page.content.decode()
    assert (
        f"Keep this note to {EVIDENCE_MAX_LENGTH} characters or fewer (it has {len(note)})" in html
    )
    assert f"{note}</textarea>" in html
    assert "5 characters too many" in html
    assert '<a href="#A-evidence">' in html
    assert not Response.objects.exists()


def test_line_breaks_count_as_one_character_each(client, invitation):
    note = "abcd\r\n" * (EVIDENCE_MAX_LENGTH // 5)  # 2000 characters once line breaks are \n
    assert len(note.replace("\r\n", "\n")) == EVIDENCE_MAX_LENGTH
    page = client.post(link(invitation), form_data(A_choice="3", A_evidence=note))
    assert page.status_code == 302
    assert ratings(invitation)["A"][1] == note.replace("\r\n", "\n")


@pytest.mark.parametrize("version", ["", "abc", "-1"])
def test_a_damaged_version_is_refused(client, invitation, version):
    data = form_data(A_choice="3")
    data["version"] = version
    page = client.post(link(invitation), data)
    assert page.status_code == 400
    assert "This page is damaged or out of date" in page.content.decode()
    assert not Response.objects.exists()


def test_a_post_without_csrf_token_is_refused_with_a_clear_message(invitation):
    strict = Client(enforce_csrf_checks=True)
    page = strict.post(link(invitation), form_data(A_choice="3"))
    assert page.status_code == 403
    assert "could not be accepted" in page.content.decode()
    assert not Response.objects.exists()


def test_a_post_with_its_csrf_token_is_accepted(invitation):
    strict = Client(enforce_csrf_checks=True)
    strict.get(link(invitation))
    token = strict.cookies["csrftoken"].value
    data = form_data(A_choice="3") | {"csrfmiddlewaretoken": token}
    assert strict.post(link(invitation), data).status_code == 302


# --- Autosave ---------------------------------------------------------------------------


def test_autosave_saves_a_draft_and_answers_in_json(client, invitation):
    page = client.post(link(invitation, "autosave/"), form_data(A_choice="4", B_evidence="x"))
    assert page.status_code == 200
    data = page.json()
    assert data["status"] == "saved"
    assert data["answered"] == 1
    assert data["version"] == Response.objects.get().version
    assert re.fullmatch(r"\d\d:\d\d", data["saved_at"])
    assert ratings(invitation) == {"A": (4, "", True), "B": (None, "x", False)}


def test_autosave_never_submits(client, invitation):
    client.post(link(invitation, "autosave/"), form_data(action="submit", **all_answered()))
    assert Response.objects.get().status == ResponseStatus.DRAFT


def test_autosave_refuses_a_stale_copy_in_json(client, invitation):
    client.post(link(invitation, "autosave/"), form_data(0, A_choice="4"))
    page = client.post(link(invitation, "autosave/"), form_data(0, A_choice="1"))
    assert page.status_code == 409
    assert page.json()["status"] == "stale"
    assert ratings(invitation)["A"] == (4, "", True)


def test_autosave_refuses_bad_input_in_json(client, invitation):
    page = client.post(link(invitation, "autosave/"), form_data(A_choice="9"))
    assert page.status_code == 400
    assert page.json()["status"] == "invalid"
    assert "A-choice" in page.json()["errors"]
    assert not Response.objects.exists()


def test_autosave_does_not_touch_submitted_answers(client, invitation):
    client.post(link(invitation), form_data(action="submit", **all_answered("3")))
    version = Response.objects.get().version
    page = client.post(link(invitation, "autosave/"), form_data(version, A_choice="1"))
    assert page.status_code == 400
    assert ratings(invitation)["A"] == (3, "", True)


def test_autosave_accepts_post_only(client, invitation):
    assert client.get(link(invitation, "autosave/")).status_code == 405


def test_autosave_is_refused_once_the_round_closes(client, invitation):
    closes = invitation.round.closes_on
    after = dt.datetime.combine(closes + dt.timedelta(days=1), dt.time(10), tzinfo=dt.UTC)
    with time_machine.travel(after):
        page = client.post(link(invitation, "autosave/"), form_data(A_choice="1"))
    assert page.status_code == 409
    assert page.json()["status"] == "closed"
    assert not Response.objects.exists()


def test_the_done_page_before_submitting_goes_back_to_the_form(client, invitation):
    page = client.get(link(invitation, "done/"))
    assert page.status_code == 302
    assert page["Location"] == link(invitation)


# --- Query counts -----------------------------------------------------------------------


def _answer_some(invitation, how_many: int):
    response = ResponseFactory(invitation=invitation)
    for item in default_framework().preconditions.all()[:how_many]:
        RatingFactory(response=response, precondition=item, score=3, evidence="note")


def test_showing_the_form_before_any_answer_costs_four_queries(client, django_assert_num_queries):
    invitation = InvitationFactory()
    client.get(link(invitation))  # the first opening records its time, once
    # invitation with its round; preconditions with groups; scale; response
    with django_assert_num_queries(4):
        assert client.get(link(invitation)).status_code == 200


@pytest.mark.parametrize("answered", [0, 1, 9])
def test_showing_the_form_costs_a_fixed_number_of_queries(
    client, answered, django_assert_num_queries
):
    invitation = InvitationFactory()
    client.get(link(invitation))
    _answer_some(invitation, answered)
    # invitation with its round; preconditions with groups; scale; response; ratings
    with django_assert_num_queries(5):
        page = client.get(link(invitation))
    assert page.status_code == 200
    assert f"{answered} of 9 answered" in text(page)


@pytest.mark.parametrize("answered", [1, 8])
def test_saving_the_form_costs_a_fixed_number_of_queries(
    client, answered, django_assert_num_queries
):
    invitation = InvitationFactory()
    client.get(link(invitation))
    client.post(link(invitation), form_data(0, I_evidence="to be cleared"))
    version = Response.objects.get().version
    answers = {f"{code}_choice": "4" for code in CODES[:answered]}
    # invitation; preconditions with groups; scale; savepoint; locked response; its
    # ratings; version update; the place's data version (report caches); one upsert for
    # all ratings; one delete; release
    with django_assert_num_queries(11):
        page = client.post(link(invitation), form_data(version, **answers))
    assert page.status_code == 302
    assert len(ratings(invitation)) == answered


def test_autosaving_costs_the_same_fixed_number_of_queries(client, django_assert_num_queries):
    invitation = InvitationFactory()
    client.get(link(invitation))
    client.post(link(invitation, "autosave/"), form_data(0, A_choice="1"))
    version = Response.objects.get().version
    with django_assert_num_queries(10):  # as saving, less the delete: nothing was cleared
        page = client.post(link(invitation, "autosave/"), form_data(version, **all_answered("2")))
    assert page.json()["status"] == "saved"


def _submitted_response(invitation, answered: int = 9):
    from django.utils import timezone

    response = ResponseFactory(
        invitation=invitation, status=ResponseStatus.SUBMITTED, submitted_at=timezone.now()
    )
    for item in default_framework().preconditions.all()[:answered]:
        RatingFactory(response=response, precondition=item, score=4, evidence="note")
    return response


@pytest.mark.parametrize("submitted", [False, True])
def test_the_closed_round_page_costs_a_fixed_number_of_queries(
    client, submitted, django_assert_num_queries
):
    from assessments.models import RoundState

    invitation = InvitationFactory()
    client.get(link(invitation))  # the first opening records its time, once
    if submitted:
        _submitted_response(invitation)
    else:
        _answer_some(invitation, 3)
    invitation.round.state = RoundState.CLOSED
    invitation.round.save()
    # invitation with its round; preconditions with groups; scale; response; ratings
    with django_assert_num_queries(5):
        page = client.get(link(invitation))
    assert page.status_code == 200
    assert "has closed" in text(page)


@pytest.mark.parametrize("answered", [1, 9])
def test_the_confirmation_after_submitting_costs_a_fixed_number_of_queries(
    client, answered, django_assert_num_queries
):
    invitation = InvitationFactory()
    client.get(link(invitation))
    _submitted_response(invitation, answered)
    # invitation with its round; preconditions with groups; scale; response; ratings
    with django_assert_num_queries(5):
        page = client.get(link(invitation, "done/"))
    assert page.status_code == 200
    assert page.context["just_submitted"] is True
