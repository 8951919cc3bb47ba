"""The progress page a lead checks every morning."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import EmailKind, ResponseStatus, SendState
from tests.factories import InvitationFactory, PartnerFactory, ResponseFactory, RoundFactory
from tests.helpers import load_demo, newest_email

pytestmark = pytest.mark.django_db


def _fill(round_, partners: int, per_partner: int) -> None:
    for p in range(partners):
        partner = PartnerFactory(place=round_.place, name=f"Partner {p:02d}")
        for n in range(per_partner):
            invitation = InvitationFactory(round=round_, partner=partner, sent_at=timezone.now())
            if n % 3 == 1:
                ResponseFactory(invitation=invitation)
            elif n % 3 == 2:
                ResponseFactory(
                    invitation=invitation,
                    status=ResponseStatus.SUBMITTED,
                    submitted_at=timezone.now(),
                )


def test_progress_counts_each_stage_per_partner_and_overall(lead_client: Client, place):
    round_ = RoundFactory(place=place)
    council = PartnerFactory(place=place, name="Council")
    housing = PartnerFactory(place=place, name="Housing")
    PartnerFactory(place=place, name="Not invited at all")
    InvitationFactory(round=round_, partner=council)  # not opened
    InvitationFactory(round=round_, partner=council, first_opened_at=timezone.now())  # opened
    ResponseFactory(invitation=InvitationFactory(round=round_, partner=council))  # draft
    ResponseFactory(
        invitation=InvitationFactory(round=round_, partner=housing),
        status=ResponseStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    InvitationFactory(round=round_, partner=housing, revoked_at=timezone.now())

    response = lead_client.get(reverse("assessments:round_detail", args=[place.slug, round_.pk]))

    progress = response.context["progress"]
    council_tally, housing_tally = progress.partners
    assert (council_tally.label, council_tally.invited) == ("Council", 3)
    assert (council_tally.not_opened, council_tally.opened, council_tally.draft) == (1, 1, 1)
    assert (housing_tally.invited, housing_tally.submitted) == (1, 1)
    assert (progress.overall.invited, progress.overall.submitted) == (4, 1)
    assert progress.revoked == 1
    html = response.content.decode()
    assert '<progress id="progress-overall" class="progress-bar-native" max="4" value="1">' in html
    assert 'aria-label="Council: 0 of 3 submitted"' in html
    assert "Not invited at all" not in html
    assert "style=" not in html


@pytest.mark.parametrize("size", [(2, 2), (12, 9)])
def test_progress_page_costs_a_fixed_number_of_queries(
    lead_client: Client, place, size, django_assert_num_queries
):
    round_ = RoundFactory(place=place)
    _fill(round_, *size)
    url = reverse("assessments:round_detail", args=[place.slug, round_.pk])
    # session, user, membership+place, round, per-partner tallies, invitations; nothing is
    # written (a stale email claim is read as failed, not marked so)
    with django_assert_num_queries(6):
        response = lead_client.get(url)
    assert len(response.context["invitations"]) == size[0] * size[1]


def test_every_demo_round_page_renders_for_the_demo_lead(client: Client):

    from accounts.models import User
    from assessments.models import Round

    load_demo()
    client.force_login(User.objects.get(email="lead@example.org"))
    rounds = list(Round.objects.select_related("place"))
    assert rounds
    for round_ in rounds:
        response = client.get(
            reverse("assessments:round_detail", args=[round_.place.slug, round_.pk])
        )
        assert response.status_code == 200
        # Demo invitations were sent long ago: nothing is offered for sending again.
        assert "not yet sent" not in response.content.decode()


# --- One definition of progress, one rule for "not yet sent" ------------------------------


def _submitted(invitation):
    return ResponseFactory(
        invitation=invitation, status=ResponseStatus.SUBMITTED, submitted_at=timezone.now()
    )


def test_send_button_counts_exactly_the_invitations_it_sends(lead_client: Client, place):
    from django.core import mail

    from assessments.models import EmailKind

    round_ = RoundFactory(place=place)
    never_sent = InvitationFactory(round=round_, name="Never Sent")
    failed_invitation = InvitationFactory(
        round=round_,
        name="Failed Invitation",
        email_status=SendState.FAILED,
        email_kind=EmailKind.INVITATION,
    )
    # Neither a failed reminder (retried by "Remind"), nor someone who submitted through a
    # link passed on by hand, nor a revoked invitation is sent an invitation by this button.
    InvitationFactory(
        round=round_,
        email_status=SendState.FAILED,
        email_kind=EmailKind.REMINDER,
        sent_at=timezone.now(),
    )
    _submitted(InvitationFactory(round=round_))
    InvitationFactory(round=round_, revoked_at=timezone.now())
    InvitationFactory(round=round_, sent_at=timezone.now())
    url = reverse("assessments:round_detail", args=[place.slug, round_.pk])

    html = lead_client.get(url).content.decode()
    assert "Send only the 2 invitations not yet sent" in html

    lead_client.post(reverse("assessments:invitations_send", args=[place.slug, round_.pk]))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [never_sent.email, failed_invitation.email]
    )
    assert "not yet sent" not in lead_client.get(url).content.decode()


def test_place_page_rounds_list_round_page_and_report_agree_on_progress(lead_client: Client, place):
    from reports.aggregation import round_summary

    round_ = RoundFactory(place=place, name="Spring listening")
    _submitted(InvitationFactory(round=round_))
    ResponseFactory(invitation=InvitationFactory(round=round_))  # a draft: invited, not counted
    InvitationFactory(round=round_, revoked_at=timezone.now())  # in no figure

    place_page = lead_client.get(reverse("places:detail", args=[place.slug]))
    rounds_list = lead_client.get(reverse("assessments:round_list", args=[place.slug]))
    round_page = lead_client.get(reverse("assessments:round_detail", args=[place.slug, round_.pk]))

    assert "1 of 2 invited" in place_page.content.decode()
    assert "1 of 2 invited" in rounds_list.content.decode()
    assert "Submitted: 1 of 2 invited" in round_page.content.decode()
    rate = round_summary(round_).response_rate
    assert (rate.people_submitted, rate.people_invited, rate.people_draft) == (1, 2, 1)


def test_progress_figures_are_not_multiplied_by_other_rounds_or_partners(lead_client, place):
    """Two rounds sharing partners: each round's figures are its own."""
    first, second = RoundFactory(place=place), RoundFactory(place=place)
    partner = PartnerFactory(place=place)
    for _ in range(3):
        _submitted(InvitationFactory(round=first, partner=partner))
    InvitationFactory(round=second, partner=partner)
    html = lead_client.get(reverse("assessments:round_list", args=[place.slug])).content.decode()
    assert "3 of 3 invited" in html and "0 of 1 invited" in html


def test_rounds_list_costs_the_same_queries_however_many_rounds(
    lead_client: Client, place, django_assert_num_queries
):
    url = reverse("assessments:round_list", args=[place.slug])
    partner = PartnerFactory(place=place)

    def add_round(people: int) -> None:
        round_ = RoundFactory(place=place)
        for n in range(people):
            invitation = InvitationFactory(round=round_, partner=partner)
            if n % 2:
                _submitted(invitation)

    add_round(2)
    # session, user, membership with place, rounds with their counts
    with django_assert_num_queries(4):
        lead_client.get(url)
    for _ in range(5):
        add_round(6)
    with django_assert_num_queries(4):
        response = lead_client.get(url)
    assert len(response.context["rounds"]) == 6


@pytest.mark.parametrize("drafts", [0, 5])
def test_close_confirmation_costs_a_fixed_number_of_queries(
    lead_client: Client, place, drafts, django_assert_num_queries
):
    round_ = RoundFactory(place=place)
    for _ in range(drafts):
        ResponseFactory(invitation=InvitationFactory(round=round_))
    url = reverse("assessments:round_close", args=[place.slug, round_.pk])
    # session, user, membership with place, round, the count of drafts
    with django_assert_num_queries(5):
        response = lead_client.get(url)
    assert response.context["drafts"] == drafts


# --- Totals that add up, one main action, filters ----------------------------------------

MINUTE = dt.timedelta(minutes=1)


def _hand_counted_round(place):
    """Twelve invitations whose figures are counted by hand in the tests below."""
    now = timezone.now()
    round_ = RoundFactory(place=place)
    council = PartnerFactory(place=place, name="Council")
    housing = PartnerFactory(place=place, name="Housing")

    def sent(name, partner=council, **kwargs):
        fields = {"sent_at": now - 60 * MINUTE} | kwargs
        return InvitationFactory(round=round_, partner=partner, name=name, **fields)

    people = {
        "A": InvitationFactory(round=round_, partner=council, name="A not sent"),
        "B": sent("B sent"),
        "C": sent("C opened", first_opened_at=now),
        "D": sent("D draft"),
        "E": sent("E submitted"),
        "F": InvitationFactory(
            round=round_,
            partner=council,
            name="F invitation failed",
            email_status=SendState.FAILED,
            email_kind=EmailKind.INVITATION,
            email_error="Mailbox unavailable",
        ),
        "G": sent(
            "G reminder failed", email_status=SendState.FAILED, email_kind=EmailKind.REMINDER
        ),
        # A reminder claimed 20 minutes ago by a worker that stopped: failed, read at GET.
        "H": sent(
            "H stale claim",
            email_status=SendState.SENDING,
            email_kind=EmailKind.REMINDER,
            claimed_at=now - 20 * MINUTE,
            first_opened_at=now,
        ),
        "I": sent("I sending", email_status=SendState.SENDING, claimed_at=now - MINUTE),
        "J": sent("J queued", email_status=SendState.QUEUED, email_kind=EmailKind.REMINDER),
        "K": sent("K revoked", revoked_at=now),
        "L": sent("L submitted", partner=housing),
    }
    ResponseFactory(invitation=people["D"])
    ResponseFactory(invitation=people["G"])
    _submitted(people["E"])
    _submitted(people["L"])
    return round_, people


def test_totals_add_up_against_a_hand_counted_round(lead_client: Client, place):
    round_, people = _hand_counted_round(place)
    url = reverse("assessments:round_detail", args=[place.slug, round_.pk])

    response = lead_client.get(url)

    t = response.context["progress"].overall
    # Invited: everyone but K. By email: A | I J | B C D E L | F G H.
    assert t.invited == 11
    assert (t.not_sent, t.sending, t.sent, t.failed) == (1, 2, 5, 3)
    assert t.not_sent + t.sending + t.sent + t.failed == t.invited
    # By answers: A B F I J | C D G H | E L.
    assert (t.not_opened, t.started, t.submitted) == (5, 4, 2)
    assert t.not_opened + t.started + t.submitted == t.invited
    assert response.context["progress"].revoked == 1
    # To chase: not submitted and nothing on its way (A B C D F G H); A and F get invitations.
    assert (t.to_chase, t.awaiting_invitation) == (7, 2)
    html = response.content.decode()
    assert "1 not sent · 2 sending · 5 sent · 3 failed" in html
    assert "5 not opened · 4 started (2 with a saved draft, not counted) · 2 submitted" in html
    assert "Remind the 7 people who have not submitted" in html
    assert "Send only the 2 invitations not yet sent" in html
    assert [(f["key"], f["count"]) for f in response.context["filters"]] == [
        ("not-submitted", 9),
        ("failed", 3),
        ("submitted", 2),
        ("all", 11),
    ]
    # Reading the page wrote nothing: the stale claim is still a claim in the database.
    assert newest_email(people["H"]).status == SendState.SENDING


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("not-submitted", "ABCDFGHIJ"),
        ("failed", "FGH"),
        ("submitted", "EL"),
        ("all", "ABCDEFGHIJL"),
        ("nonsense", "ABCDEFGHIJL"),
    ],
)
def test_each_filter_lists_what_its_count_says(lead_client: Client, place, show, expected):
    round_, _ = _hand_counted_round(place)
    url = reverse("assessments:round_detail", args=[place.slug, round_.pk])
    response = lead_client.get(url, {"show": show})
    listed = "".join(sorted(inv.name[0] for inv in response.context["invitations"]))
    assert listed == expected
    counts = {f["key"]: f["count"] for f in response.context["filters"]}
    assert len(expected) == counts.get(show, counts["all"])
    # The revoked invitation is listed apart, under "all" only.
    assert ("K revoked" in response.content.decode()) == (show in ("all", "nonsense"))


def test_rows_carry_at_most_one_action_and_submitted_rows_none(lead_client: Client, place):
    round_, _ = _hand_counted_round(place)
    html = lead_client.get(
        reverse("assessments:round_detail", args=[place.slug, round_.pk])
    ).content.decode()
    table = html.split('aria-label="Invitations (scrolls sideways)"')[1]
    tbody = table.split("<tbody>")[1].split("</tbody>")[0]
    rows = tbody.split("<tr>")[1:]
    assert len(rows) == 11
    for row in rows:
        assert row.count("<form") <= 1
        if "submitted" in row.split("</th>")[0]:
            assert "<form" not in row and "<button" not in row
    assert "Re-send" not in html and "Retry" not in html


def test_remind_emails_exactly_the_people_the_button_counts(lead_client: Client, place):
    from django.core import mail

    round_, people = _hand_counted_round(place)
    url = reverse("assessments:round_detail", args=[place.slug, round_.pk])
    assert lead_client.get(url).context["progress"].overall.to_chase == 7

    lead_client.post(reverse("assessments:invitations_remind", args=[place.slug, round_.pk]))

    assert sorted(m.to[0] for m in mail.outbox) == sorted(people[key].email for key in "ABCDFGH")
    # A and F were sent their invitation, the others a reminder: nobody got both.
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    reminded = {people[key].email for key in "BCDGH"}
    assert {to for to, subject in subjects.items() if subject.startswith("Reminder:")} == reminded


def test_with_every_email_on_its_way_the_page_says_so(lead_client: Client, place):
    round_ = RoundFactory(place=place)
    InvitationFactory(round=round_, email_status=SendState.QUEUED)
    _submitted(InvitationFactory(round=round_, sent_at=timezone.now()))
    html = lead_client.get(
        reverse("assessments:round_detail", args=[place.slug, round_.pk])
    ).content.decode()
    assert "Everyone invited has submitted or has an email on its way." in html
    assert "Remind the" not in html and "not yet sent" not in html


# --- Reading is not writing ----------------------------------------------------------------

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def test_no_lead_page_writes_to_the_database_on_get(lead_client: Client, place):
    """The round page (every filter, with a stale claim, failures and queued emails on it)
    and the other pages a lead reads change nothing: every statement is a read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    round_, _ = _hand_counted_round(place)
    slug, pk = place.slug, round_.pk
    urls = [
        reverse("places:detail", args=[slug]),
        reverse("places:partners", args=[slug]),
        reverse("places:people", args=[slug]),
        reverse("places:activity", args=[slug]),
        reverse("assessments:round_list", args=[slug]),
        reverse("assessments:round_create", args=[slug]),
        reverse("assessments:round_close", args=[slug, pk]),
        reverse("assessments:invitation_add", args=[slug, pk]),
        reverse("assessments:invitation_bulk", args=[slug, pk]),
    ] + [
        reverse("assessments:round_detail", args=[slug, pk]) + f"?show={show}"
        for show in ("all", "not-submitted", "failed", "submitted")
    ]
    lead_client.get(urls[0])  # the session is read once before counting
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert lead_client.get(url).status_code == 200, url
        statements = [q["sql"].lstrip().upper() for q in queries.captured_queries]
        assert statements, url  # the capture works: every page reads something
        written = [sql[:60] for sql in statements if sql.startswith(WRITES)]
        assert not written, (url, written)


def test_the_capture_sees_a_write(lead_client: Client, place):
    """The check above can fail: a POST that queues emails is seen writing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    round_, _ = _hand_counted_round(place)
    url = reverse("assessments:invitations_send", args=[place.slug, round_.pk])
    with CaptureQueriesContext(connection) as queries:
        lead_client.post(url)
    assert any(q["sql"].lstrip().upper().startswith(WRITES) for q in queries.captured_queries)


@pytest.mark.parametrize(("show", "queries"), [("failed", 6), ("all", 7)])
def test_the_round_page_costs_the_same_with_every_kind_of_email_on_it(
    lead_client: Client, place, show, queries, django_assert_num_queries
):
    """Outbox rows are read in the same two queries (tallies, list), however many each
    person has; "all" adds the list of revoked invitations."""
    round_, people = _hand_counted_round(place)
    for _ in range(3):  # more people with two rows each change nothing
        InvitationFactory(round=round_, sent_at=timezone.now(), email_status=SendState.FAILED)
    url = reverse("assessments:round_detail", args=[place.slug, round_.pk])
    lead_client.get(url)
    with django_assert_num_queries(queries):
        lead_client.get(url, {"show": show})
