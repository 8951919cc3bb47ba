"""Bulk invitations: a list is validated whole; one bad row rejects all, every problem listed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Invitation, Perspective, RoundState
from tests.factories import InvitationFactory, PartnerFactory, RoundFactory

pytestmark = pytest.mark.django_db

HEADER = "name,email,partner,perspective\n"


@pytest.fixture
def round_(place):
    PartnerFactory(place=place, name="Harrowdene Council")
    PartnerFactory(place=place, name="Northside Housing")
    return RoundFactory(place=place, state=RoundState.DRAFT)


def _post(client: Client, round_, *, text: str = "", file=None, send_now: bool = False):
    data = {"text": text}
    if file is not None:
        data["file"] = file
    if send_now:
        data["send_now"] = "on"
    return client.post(
        reverse("assessments:invitation_bulk", args=[round_.place.slug, round_.pk]), data
    )


def _problems(response) -> str:
    assert response.status_code == 400
    return response.content.decode()


def test_a_good_pasted_list_adds_everyone(lead_client, round_):
    text = (
        HEADER
        + "Asha Patel,asha@example.org,Harrowdene Council,Manager\n"
        + "Tom Reid,tom@example.org,northside housing,frontline worker\n"
        + "Jo Bell,jo@example.org,Northside Housing,lived_experience\n"
    )
    response = _post(lead_client, round_, text=text)
    assert response.status_code == 302
    people = {i.email: i for i in Invitation.objects.filter(round=round_)}
    assert set(people) == {"asha@example.org", "tom@example.org", "jo@example.org"}
    assert people["tom@example.org"].partner.name == "Northside Housing"
    assert people["tom@example.org"].perspective == Perspective.FRONTLINE
    assert people["jo@example.org"].perspective == Perspective.LIVED_EXPERIENCE


def test_a_list_pasted_from_a_spreadsheet_with_tabs_and_columns_reordered_is_read(
    lead_client, round_
):
    text = (
        "Email\tName\tPerspective\tPartner\nasha@example.org\tAsha\tManager\tHarrowdene Council\n"
    )
    assert _post(lead_client, round_, text=text).status_code == 302
    assert Invitation.objects.get(round=round_).name == "Asha"


def test_one_bad_row_rejects_the_whole_list_and_each_problem_is_named_by_row(lead_client, round_):
    PartnerFactory(place=round_.place, name="Old Trust", archived_at=timezone.now())
    InvitationFactory(round=round_, email="already@example.org")
    text = (
        HEADER
        + "Good Person,good@example.org,Harrowdene Council,Manager\n"  # row 2 fine
        + "Bad Email,not-an-email,Harrowdene Council,Manager\n"  # row 3
        + "Nobody,nobody@example.org,Imaginary Trust,Manager\n"  # row 4
        + "Archived,arch@example.org,Old Trust,Manager\n"  # row 5
        + "Twice,GOOD@example.org,Harrowdene Council,Manager\n"  # row 6
        + "Known,already@example.org,Harrowdene Council,Manager\n"  # row 7
        + "Odd,odd@example.org,Harrowdene Council,Astronaut\n"  # row 8
        + "Short,short@example.org\n"  # row 9
    )
    html = _problems(_post(lead_client, round_, text=text))
    assert "Row 3:" in html and "is not an email address" in html
    assert "Row 4:" in html and "no partner called “Imaginary Trust”" in html
    assert "Row 5:" in html and "“Old Trust” is archived" in html
    assert "Row 6:" in html and "GOOD@example.org is already on row 2" in html
    assert "Row 7:" in html and "already invited to this round" in html
    assert "Row 8:" in html and "“Astronaut” is not a perspective" in html
    assert "Row 9:" in html and "has 2 values; give exactly 4: name, email" in html
    assert "Row 2:" not in html
    assert "Nobody was added: the list has 7 problems" in html
    # Nothing half-imported, and what was pasted is still in the form.
    assert Invitation.objects.filter(round=round_).count() == 1
    assert "Good Person,good@example.org" in html


def test_wrong_columns_are_rejected_with_the_expected_ones(lead_client, round_):
    html = _problems(_post(lead_client, round_, text="name,mail,organisation\nA,a@example.org,X\n"))
    assert "the columns must be exactly name, email, partner, perspective" in html
    assert "Missing: email, perspective" in html and "Not expected: mail" in html


def test_an_empty_list_or_a_header_alone_is_rejected(lead_client, round_):
    empty = SimpleUploadedFile("empty.csv", b"\n\n", content_type="text/csv")
    assert "The list is empty" in _problems(_post(lead_client, round_, file=empty))
    assert "no respondents below them" in _problems(_post(lead_client, round_, text=HEADER))


def test_a_nothing_posted_form_asks_for_a_list(lead_client, round_):
    response = _post(lead_client, round_)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Paste a list of respondents or upload a CSV file" in html
    assert '<a href="#id_text">' in html  # the summary links to the box


def test_a_10_mb_file_is_refused_with_the_limit(lead_client, round_):
    big = SimpleUploadedFile("big.csv", HEADER.encode() + b"x" * 10_000_000, "text/csv")
    html = _problems(_post(lead_client, round_, file=big))
    # Worded as for the partner list (one shared reader and limit).
    assert "9.5\xa0MB; the limit is 1.0\xa0MB. Is it the right file?" in html
    assert not Invitation.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_with_how_to_fix_it(lead_client, round_):
    latin1 = (HEADER + "Zoë Brontë,zoe@example.org,Harrowdene Council,Manager\n").encode("latin-1")
    html = _problems(_post(lead_client, round_, file=SimpleUploadedFile("l.csv", latin1)))
    assert "not in UTF-8" in html and "CSV UTF-8" in html
    assert not Invitation.objects.exists()


def test_a_utf8_file_with_a_byte_order_mark_is_accepted(lead_client, round_):
    data = ("\ufeff" + HEADER + "Zoë Brontë,zoe@example.org,Harrowdene Council,Manager\n").encode()
    response = _post(lead_client, round_, file=SimpleUploadedFile("bom.csv", data))
    assert response.status_code == 302
    assert Invitation.objects.get().name == "Zoë Brontë"


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_formula_like_cells_are_refused(lead_client, round_, cell):
    text = HEADER + f'"{cell}",f@example.org,Harrowdene Council,Manager\n'
    html = _problems(_post(lead_client, round_, text=text))
    assert "Row 2:" in html and "spreadsheets treat as a formula" in html
    assert not Invitation.objects.exists()


def test_a_closed_round_takes_no_new_respondents(lead_client, place):
    PartnerFactory(place=place, name="Harrowdene Council")
    closed = RoundFactory(place=place, state=RoundState.CLOSED, closed_at=timezone.now())
    text = HEADER + "A,a@example.org,Harrowdene Council,Manager\n"
    html = _problems(_post(lead_client, closed, text=text))
    assert "closed" in html
    assert not Invitation.objects.exists()


def test_a_utf16_file_is_refused_as_not_text(lead_client, round_):
    # The same check as for partner lists (one shared reader): UTF-16 carries zero bytes.
    data = (HEADER + "A,a@example.org,Harrowdene Council,Manager\n").encode("utf-16")
    html = _problems(_post(lead_client, round_, file=SimpleUploadedFile("u.csv", data)))
    assert "This file is not a text file" in html
    assert not Invitation.objects.exists()


def test_trailing_empty_cells_from_a_spreadsheet_are_ignored(lead_client, round_):
    text = HEADER.strip() + ",,\n" + "Asha,asha@example.org,Harrowdene Council,Manager,,\n"
    assert _post(lead_client, round_, text=text).status_code == 302
    assert Invitation.objects.get(round=round_).name == "Asha"
