"""Key messages of a round: draft, final, reopen; who saved when; validation; access; the
PDF rebuilt when they change; the drafted summary (decisions 0063 and 0064)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from assessments.models import Confidentiality, Perspective, RoundState
from places.models import ActivityLog, Place, Role, Sector
from reports import aggregation, drafted, pdf, services
from reports.models import SUMMARY_MAX_LENGTH, KeyMessages, KeyMessagesState
from tests.factories import MembershipFactory, PartnerFactory, PlaceFactory, RoundFactory
from tests.helpers import answer

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2026, 4, 2, 10, tzinfo=dt.UTC)
VERDICT_WORDS = ("ready", "readiness", "good", "poor", "better", "worse", "strong", "weak")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def round_():
    place = PlaceFactory(name="Larkfield", slug="larkfield")
    council = PartnerFactory(place=place, name="Larkfield Council", sector=Sector.LOCAL_AUTHORITY)
    trust = PartnerFactory(place=place, name="Brook Health Trust", sector=Sector.NHS)
    before = RoundFactory(
        place=place,
        name="Baseline",
        state=RoundState.CLOSED,
        opens_on=dt.date(2025, 3, 1),
        closes_on=dt.date(2025, 3, 31),
    )
    answer(before, council, {"A": 2, "B": 3})
    answer(before, trust, {"A": 2, "B": 3})
    now = RoundFactory(
        place=place,
        name="Spring 2026",
        state=RoundState.OPEN,
        confidentiality=Confidentiality.NAMED,
        opens_on=dt.date(2026, 3, 2),
        closes_on=dt.date(2026, 3, 30),
    )
    answer(now, council, {"A": 5, "B": 3})
    answer(now, trust, {"A": 1, "B": 3}, perspective=Perspective.LIVED_EXPERIENCE)
    return now


def _user(round_, role):
    return MembershipFactory(place=round_.place, role=role).user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(round_, name="reports:key_messages", slug=None):
    return reverse(name, args=[slug or round_.place.slug, round_.pk])


# --- services ------------------------------------------------------------------------------


def test_draft_then_final_then_reopen_keeps_who_and_when(round_):
    writer = _user(round_, Role.FACILITATOR)
    lead = _user(round_, Role.LEAD)
    with time_machine.travel(WHEN, tick=False):
        saved = services.key_messages_save(
            round_=round_,
            summary="Views differ on A.",
            board_note="Note the gap.",
            revision=0,
            user=writer,
        )
    assert (saved.state, saved.revision) == (KeyMessagesState.DRAFT, 1)
    assert (saved.saved_by, saved.saved_at) == (writer, WHEN)
    later = WHEN + dt.timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        final = services.key_messages_finalise(round_=round_, revision=1, user=lead)
    assert final.is_final and (final.finalised_by, final.finalised_at) == (lead, later)
    assert final.saved_by == writer  # finalising is not a save of the text
    with pytest.raises(ValidationError, match="marked final"):
        services.key_messages_save(
            round_=round_, summary="Changed.", board_note="", revision=1, user=writer
        )
    reopened = services.key_messages_reopen(round_=round_, user=writer)
    assert reopened.state == KeyMessagesState.DRAFT and reopened.finalised_by is None
    assert KeyMessages.objects.get().summary == "Views differ on A."
    verbs = list(ActivityLog.objects.filter(place=round_.place).values_list("verb", flat=True))
    assert verbs == ["key-messages-reopened", "key-messages-final", "key-messages-saved"]


def test_a_save_from_an_older_copy_of_the_page_is_refused(round_):
    user = _user(round_, Role.FACILITATOR)
    services.key_messages_save(
        round_=round_, summary="First.", board_note="", revision=0, user=user
    )
    with pytest.raises(ValidationError, match="after you opened the page"):
        services.key_messages_save(
            round_=round_, summary="Second.", board_note="", revision=0, user=user
        )
    assert KeyMessages.objects.get().summary == "First."


def test_nothing_to_finalise_and_nothing_to_reopen_are_refused(round_):
    user = _user(round_, Role.LEAD)
    with pytest.raises(ValidationError, match="before you mark them final"):
        services.key_messages_finalise(round_=round_, revision=0, user=user)
    with pytest.raises(ValidationError, match="already a draft"):
        services.key_messages_reopen(round_=round_, user=user)
    assert not KeyMessages.objects.exists()


def test_every_change_moves_the_places_data_version_so_the_pdf_is_rebuilt(round_, monkeypatch):
    monkeypatch.setattr(pdf, "render_pdf", lambda html, **kw: html.encode())
    user = _user(round_, Role.FACILITATOR)

    def version():
        return Place.objects.values_list("data_version", flat=True).get(pk=round_.place_id)

    first = pdf.round_report_pdf(round_).decode()
    assert "has not written key messages" in first
    start = version()
    saved = services.key_messages_save(
        round_=round_,
        summary="Partners see A very differently.",
        board_note="",
        revision=0,
        user=user,
    )
    assert version() > start
    drafted_pdf = pdf.round_report_pdf(round_).decode()
    assert "Partners see A very differently." in drafted_pdf
    assert 'class="draft-mark">Draft' in drafted_pdf
    services.key_messages_finalise(round_=round_, revision=saved.revision, user=user)
    final_pdf = pdf.round_report_pdf(round_).decode()
    assert 'class="draft-mark"' not in final_pdf and "Final, marked so by" in final_pdf


# --- the page ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"), [(Role.LEAD, 200), (Role.FACILITATOR, 200), (Role.BOARD, 403)]
)
def test_who_may_open_the_page(round_, role, status):
    response = _client(_user(round_, role)).get(_url(round_))
    assert response.status_code == status


def test_another_places_round_and_outsiders_get_404(round_, client):
    other = RoundFactory()
    lead = _user(round_, Role.LEAD)
    # the other place's round id under this place's slug, and the other place itself
    assert _client(lead).get(_url(other, slug=round_.place.slug)).status_code == 404
    assert _client(lead).get(_url(other)).status_code == 404
    for name in ("reports:key_messages_final", "reports:key_messages_reopen"):
        assert _client(lead).post(_url(other, name, slug=round_.place.slug)).status_code == 404
    assert client.get(_url(round_)).status_code == 302  # anonymous: to sign in
    outsider = MembershipFactory(role=Role.LEAD).user
    assert _client(outsider).get(_url(round_)).status_code == 404


def test_board_members_cannot_save_finalise_or_reopen(round_):
    board = _client(_user(round_, Role.BOARD))
    data = {"summary": "Board text.", "board_note": "", "revision": "0"}
    assert board.post(_url(round_), data).status_code == 403
    assert (
        board.post(_url(round_, "reports:key_messages_final"), {"revision": "0"}).status_code == 403
    )
    assert board.post(_url(round_, "reports:key_messages_reopen")).status_code == 403
    assert not KeyMessages.objects.exists()


def test_save_finalise_and_reopen_through_the_page(round_):
    client = _client(_user(round_, Role.FACILITATOR))
    response = client.post(
        _url(round_),
        {"summary": "Line one\r\n\r\nLine two", "board_note": "Note it.", "revision": "0"},
    )
    assert response.status_code == 302
    saved = KeyMessages.objects.get()
    assert saved.summary == "Line one\n\nLine two"  # one character per line break
    page = client.get(_url(round_)).content.decode()
    assert "Last saved by" in page and "Mark the saved text final" in page
    assert (
        client.post(_url(round_, "reports:key_messages_final"), {"revision": "1"}).status_code
        == 302
    )
    page = client.get(_url(round_)).content.decode()
    assert "Marked final by" in page and "Reopen to change the text" in page
    assert client.post(_url(round_, "reports:key_messages_reopen")).status_code == 302
    assert KeyMessages.objects.get().state == KeyMessagesState.DRAFT


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        ("   ", "Write the key messages before you save them"),
        ("x" * (SUMMARY_MAX_LENGTH + 1), "Shorten this to 2500 characters or fewer; it has 2501."),
        ("Bell\x07 here", "Remove the control characters (U+0007)"),
    ],
)
def test_bad_input_is_explained_and_what_was_typed_is_kept(round_, summary, message):
    client = _client(_user(round_, Role.FACILITATOR))
    note = "The board note <b>typed</b> by hand."
    response = client.post(_url(round_), {"summary": summary, "board_note": note, "revision": "0"})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "There is a problem" in page
    assert "The board note &lt;b&gt;typed&lt;/b&gt; by hand." in page  # kept, escaped
    assert not KeyMessages.objects.exists()


def test_a_stale_save_keeps_the_new_text_on_the_page(round_):
    user = _user(round_, Role.FACILITATOR)
    services.key_messages_save(
        round_=round_, summary="Saved first.", board_note="", revision=0, user=user
    )
    response = _client(user).post(
        _url(round_), {"summary": "My later words.", "board_note": "", "revision": "0"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "after you opened the page" in page and "My later words." in page
    assert KeyMessages.objects.get().summary == "Saved first."


def test_a_save_while_someone_marked_it_final_keeps_the_text_and_says_why(round_):
    user = _user(round_, Role.FACILITATOR)
    saved = services.key_messages_save(
        round_=round_, summary="First.", board_note="", revision=0, user=user
    )
    services.key_messages_finalise(round_=round_, revision=saved.revision, user=user)
    response = _client(user).post(
        _url(round_), {"summary": "Words typed meanwhile.", "board_note": "", "revision": "1"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Reopen them before you change the text" in page and "Words typed meanwhile." in page


def test_the_page_shows_the_drafted_summary_in_a_fixed_number_of_queries(
    round_, django_assert_num_queries
):
    user = _user(round_, Role.LEAD)
    services.key_messages_save(round_=round_, summary="Ours.", board_note="", revision=0, user=user)
    client = _client(user)
    client.get(_url(round_))  # fills the summary cache
    # session, user, membership with place, round, key messages with their authors, the
    # cached summary's data version check; the lived-experience gap is inside the summary
    with django_assert_num_queries(5):
        page = client.get(_url(round_)).content.decode()
    summary = aggregation.round_summary(round_)
    for paragraph in drafted.drafted_summary(summary, aggregation.lived_experience_gap(round_)):
        assert paragraph.replace("'", "&#x27;") in page


def test_links_to_the_page_for_leads_and_facilitators_only(round_):
    link = _url(round_)
    lead = _client(_user(round_, Role.LEAD))
    dashboard = reverse("reports:dashboard", args=[round_.place.slug, round_.pk])
    round_page = reverse("assessments:round_detail", args=[round_.place.slug, round_.pk])
    assert link in lead.get(round_page).content.decode()
    assert link in lead.get(dashboard).content.decode()
    assert link in _client(_user(round_, Role.FACILITATOR)).get(dashboard).content.decode()
    assert link not in _client(_user(round_, Role.BOARD)).get(dashboard).content.decode()


# --- the drafted summary --------------------------------------------------------------------


def test_the_drafted_summary_states_figures_and_never_a_verdict(round_):
    summary = aggregation.round_summary(round_)
    gap = aggregation.lived_experience_gap(round_)
    text = " ".join(drafted.drafted_summary(summary, gap))
    a = summary.precondition("A")
    # A: partners 5.0 and 1.0 -> spread 2.0, views differ widely; 2.0 -> 3.0 is higher
    assert "Partners' views differ most on A. Beneficiary impact over organisation focus" in text
    assert "partner scores 1.0 to 5.0, spread 2.0: views differ widely" in text
    assert "from 2.0 to 3.0 (+1.0, higher)" in text and a.change == 1.0
    # B did not move: inside the about-the-same band
    assert "B. Citizen-centred" in text and "about the same" in text
    assert "2 of 2 invited partners (100%)" in text and "still open" in text
    assert "Nobody invited for their lived experience" not in text  # one did answer
    assert "not shown separately" in text  # but one is under the minimum group size
    for name in ("Larkfield Council", "Brook Health Trust"):
        assert name not in text  # never names a partner
    words = set(text.casefold().replace(".", " ").replace(",", " ").split())
    assert not words & set(VERDICT_WORDS)
