"""The easy-read form and the invitation wording for people with lived experience."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils.html import escape

from assessments import easy_read
from assessments.models import EVIDENCE_MAX_LENGTH, Perspective, Response, ResponseStatus
from assessments.services.invitations import invitations_send_unsent
from preconditions.models import Framework, ScaleLevel
from tests.assessments.conftest import all_answered, form_data, link
from tests.assessments.test_respond_form import text
from tests.factories import InvitationFactory, MembershipFactory, RoundFactory, default_framework

pytestmark = pytest.mark.django_db

LIVED = Perspective.LIVED_EXPERIENCE
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def lived():
    return InvitationFactory(perspective=LIVED, name="Sam Okafor")


def test_lived_experience_invitations_open_the_easy_read_version(client, lived):
    html = client.get(link(lived)).content.decode()
    a = default_framework().preconditions.get(code="A")
    assert a.easy_read_summary and escape(a.easy_read_summary) in html
    assert escape(a.summary) not in html
    assert "How much do you see this today?" in html
    assert html.count("Why do you say this?") == 9
    assert "<details" not in html  # the longer stories are left out
    assert "You are reading the easy-read version" in html
    assert 'href="?read=standard" data-read-switch' in html
    assert 'name="action" value="read-standard"' in html


def test_easy_read_keeps_the_same_scale_with_plain_words_and_shorter_descriptors(client, lived):
    html = client.get(link(lived)).content.decode()
    plain = ["Not at all", "A little", "Sometimes", "Mostly", "Always"]  # decision 0025
    for level, word in zip(
        ScaleLevel.objects.filter(framework=default_framework()), plain, strict=True
    ):
        assert level.easy_read_label == word
        assert html.count(f'<span class="level-label">{word}</span>') == 9
        assert f"{level.value} {level.label}" not in html
        assert html.count(f'value="{level.value}"') == 9  # the same values: answers compare
        assert level.easy_read_descriptor and html.count(escape(level.easy_read_descriptor)) == 9
        assert escape(level.descriptor) not in html
        assert len(level.easy_read_descriptor) < len(level.descriptor)
    assert html.count('value="dk"') == 9


def test_easy_read_says_why_their_view_matters_and_that_it_is_anonymous(client, lived):
    page = text(client.get(link(lived)))
    assert "That is why we want to hear from you" in page
    assert "Your name is not shown to the partnership" in page
    assert "0 of 9 answered" in page


def test_other_respondents_see_the_standard_version_and_can_switch(client):
    invitation = InvitationFactory(perspective=Perspective.MANAGER)
    a = default_framework().preconditions.get(code="A")
    html = client.get(link(invitation)).content.decode()
    assert escape(a.summary) in html and escape(a.easy_read_summary) not in html
    assert 'name="action" value="read-easy"' in html
    easy = client.get(link(invitation) + "?read=easy").content.decode()
    assert escape(a.easy_read_summary) in easy


def test_the_standard_version_is_one_link_away(client, lived):
    a = default_framework().preconditions.get(code="A")
    html = client.get(link(lived) + "?read=standard").content.decode()
    assert escape(a.summary) in html
    assert "How present is this in your partnership today?" in html
    assert 'name="action" value="read-easy"' in html


def test_an_unknown_choice_of_version_falls_back_to_the_default(client, lived):
    html = client.get(link(lived) + "?read=<b>").content.decode()
    assert "You are reading the easy-read version" in html
    assert "&lt;b&gt;" not in html and "<b>" not in html


def test_empty_easy_read_texts_fall_back_to_the_standard_ones(client, lived):
    framework = default_framework()
    framework.preconditions.filter(code="A").update(easy_read_summary="")
    framework.scale.filter(value=1).update(easy_read_descriptor="")
    html = client.get(link(lived)).content.decode()
    assert escape(framework.preconditions.get(code="A").summary) in html
    assert html.count(escape(framework.scale.get(value=1).descriptor)) == 9


def test_saving_and_submitting_keep_the_chosen_version(client, lived):
    draft = client.post(link(lived) + "?read=standard", form_data(A_choice="2"))
    assert draft.status_code == 302
    assert draft["Location"].endswith("?read=standard")
    version = Response.objects.get(invitation=lived).version
    submitted = client.post(link(lived), form_data(version, action="submit", **all_answered("4")))
    assert submitted.status_code == 302
    assert submitted["Location"] == link(lived, "done/")
    response = Response.objects.get(invitation=lived)
    assert response.status == ResponseStatus.SUBMITTED
    assert set(response.ratings.values_list("score", flat=True)) == {4}


def test_the_easy_read_form_posts_back_to_itself(client, lived):
    html = client.get(link(lived) + "?read=easy").content.decode()
    assert f'action="{link(lived)}?read=easy"' in html


def test_the_default_framework_has_an_easy_read_text_for_each_item():
    framework = Framework.objects.get(is_default=True)
    assert all(framework.preconditions.values_list("easy_read_summary", flat=True))
    assert all(framework.scale.values_list("easy_read_descriptor", flat=True))


# --- Invitation emails ----------------------------------------------------------------------


@pytest.fixture
def round_():
    round_ = RoundFactory(name="Spring listening")
    return round_


def _send(round_):
    lead = MembershipFactory(place=round_.place).user
    lead.full_name = "Priya Shah"
    lead.save()
    invitations_send_unsent(round=round_, actor=lead)
    return {m.to[0]: m for m in mail.outbox}


def test_lived_experience_invitation_is_warmer_and_says_what_happens_to_answers(round_):
    invitation = InvitationFactory(round=round_, perspective=LIVED, name="Sam Okafor")
    message = _send(round_)[invitation.email]
    html = message.alternatives[0][0]
    assert (
        message.subject == f"{round_.place.name}: tell us what using services here is like for you"
    )
    for part in (message.body, html):
        assert "Dear Sam Okafor" in part
        assert "Why your view matters" in part
        assert "You know what it is like to use services here" in part
        assert "Your name is not shown to the partnership" in part
        assert "There are 9 short questions" in part
        assert round_.closes_on.strftime("%-d %B %Y") in part
        assert "readiness for systems change" not in part
        assert "/r/" in part


def test_other_perspectives_keep_the_standard_invitation(round_):
    round_.purpose = ""
    round_.save()
    invitation = InvitationFactory(round=round_, perspective=Perspective.MANAGER)
    message = _send(round_)[invitation.email]
    assert message.subject == f"{round_.place.name}: your view on our readiness for systems change"
    assert "For each of the 9 preconditions" in message.body
    assert "Behaving like a system?" in message.body
    assert "Why your view matters" not in message.body


def test_a_lived_experience_reminder_is_plain_too(round_):
    from assessments.emails import build_invitation_email
    from assessments.models import EmailKind, OutboxEmail

    invitation = InvitationFactory(round=round_, perspective=LIVED)
    email = OutboxEmail(invitation=invitation, kind=EmailKind.REMINDER, recipient=invitation.email)
    message = build_invitation_email(email, "x" * 30)
    assert message.subject == f"Reminder: {round_.place.name} would still like to hear from you"
    assert "We would still like to hear from you" in message.body


def test_the_first_button_of_the_form_still_saves(client, lived):
    """Enter in a field presses the form's first button: it must not be the switch."""
    html = client.get(link(lived)).content.decode()
    form = html[html.index('<form method="post"') :]
    assert form.index('value="save"') < form.index('value="read-standard"')
    assert html.index('value="save"') < html.index('value="read-standard"')


def test_switching_version_saves_the_draft_first(client, lived):
    page = client.post(link(lived), form_data(action="read-standard", A_choice="2", A_evidence="x"))
    assert page.status_code == 302
    assert page["Location"] == link(lived) + "?read=standard"
    response = Response.objects.get(invitation=lived)
    assert response.status == ResponseStatus.DRAFT
    assert response.ratings.get(precondition__code="A").evidence == "x"
    back = client.post(
        link(lived) + "?read=standard",
        form_data(response.version, action="read-easy", A_choice="3"),
    )
    assert back["Location"] == link(lived) + "?read=easy"


def test_switching_while_amending_is_a_link_that_keeps_amending(client, lived):
    client.post(link(lived), form_data(action="submit", **all_answered("4")))
    html = client.get(link(lived) + "?amend=1").content.decode()
    assert 'href="?amend=1&amp;read=standard" data-read-switch' in html
    assert 'value="read-standard"' not in html
    html = client.get(link(lived) + "?amend=1&read=standard").content.decode()
    assert "Submit changes" in html and "How present is this in your partnership today?" in html


# --- Easy read done properly (decision 0025) -------------------------------------------------

EASY_WORDS = ["Not at all", "A little", "Sometimes", "Mostly", "Always"]


def test_each_easy_read_heading_is_the_items_plain_question_not_the_reports_name(client, lived):
    html = client.get(link(lived)).content.decode()
    for item in default_framework().preconditions.select_related("group"):
        question = escape(item.easy_read_summary)
        assert question.endswith("?")
        assert f'<span id="{item.code}-summary">{question}</span></h3>' in html
        assert escape(item.name) not in html  # "Beneficiary impact over organisation focus"
        assert f">{escape(item.group.name)}</h2>" not in html  # "Vision"
    parts = default_framework().groups.count()
    assert f">Part 1 of {parts}</h2>" in html and f">Part {parts} of {parts}</h2>" in html


def test_a_picture_with_a_text_alternative_beside_each_item_and_each_answer(client, lived):
    html = client.get(link(lived)).content.decode()
    for code in "ABCDEFGHI":
        pictures = re.findall(
            rf'<img class="easy-picture" src="[^"]*item-{code}\.svg" alt="([^"]+)"', html
        )
        assert len(pictures) == 1 and pictures[0].startswith("Picture: ")
    # A level's picture is inside its label: the words are its text alternative, so alt="".
    for value, word in zip(range(1, 6), EASY_WORDS, strict=True):
        pictured = re.findall(
            rf'<label[^>]*for="[A-I]-choice-{value}"><img [^>]*level-{value}\.svg" alt=""[^>]*>'
            rf'<span class="level-label">{word}</span></label>',
            html,
        )
        assert len(pictured) == 9
    assert len(re.findall(r'dont-know\.svg" alt=""[^>]*><span class="level-label">Don', html)) == 9


def test_every_picture_named_is_a_file_in_static():
    paths = [p.path for p in easy_read.ITEM_PICTURES.values()]
    paths += [p.path for p in easy_read.LEVEL_PICTURES.values()] + [
        easy_read.DONT_KNOW_PICTURE.path
    ]
    for path in paths:
        svg = (ROOT / "static" / path).read_text()
        assert svg.startswith("<svg") and "<script" not in svg


def test_a_custom_frameworks_items_get_no_picture_that_may_not_fit(client, lived):
    default_framework().__class__.objects.filter(pk=default_framework().pk).update(
        name="Our own framework"
    )
    html = client.get(link(lived)).content.decode()
    assert 'class="easy-picture"' not in html
    assert len(re.findall(r"level-3\.svg", html)) == 9  # rising bars fit any scale


def test_easy_read_errors_name_each_question_in_words(client, lived):
    note = "n" * (EVIDENCE_MAX_LENGTH + 1)
    data = form_data(action="submit", **all_answered("3", C_choice="", A_evidence=note))
    page = client.post(link(lived), data)
    assert page.status_code == 400
    html = page.content.decode()
    a, c = (default_framework().preconditions.get(code=code) for code in "AC")
    assert "choose an answer or “Don't know” for this question:" in text(page)
    assert f'<a href="#C-choice-1">{escape(c.easy_read_summary)}</a>' in html
    assert f'<a href="#A-evidence">{escape(a.easy_read_summary)} Keep this note' in html
    assert "Choose an answer for this question, or “Don&#x27;t know”." in html
    for letters in ('">C<', "for each of these: A", "choose a level"):
        assert letters not in html


def test_the_easy_read_confirmation_keeps_to_plain_words_and_pictures(client, lived):
    client.post(
        link(lived), form_data(action="submit", **all_answered("4", B_choice="dk", A_evidence="Hi"))
    )
    done = client.get(link(lived, "done/"))
    html, body = done.content.decode(), text(done)
    assert 'class="easy-read"' in html
    assert "Thank you. We have your answers." in body
    assert "What happens next" in body and "You can change your answers until" in body
    assert body.count("You said: Mostly") == 8 and "You said: Don't know" in body
    assert body.count("You did not write anything.") == 8 and "You wrote: Hi" in body
    for standard in ("Established", "No evidence note", "Vision", "4 "):
        assert standard not in body.split("What happens next")[1].split("About the framework")[0]
    assert html.count('class="easy-picture"') == 9
    assert len(re.findall(r'level-4\.svg" alt=""[^>]*><span>You said: <strong>Mostly', html)) == 8
