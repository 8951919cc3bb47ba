"""A 255–320-character email in a pasted or uploaded respondent list passed ``validate_email``
and then failed the 254-character column: HTTP 500. It gets a row error, like the single form."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assessments.models import Invitation
from places.models import Role
from tests.factories import MembershipFactory, PartnerFactory, RoundFactory

pytestmark = pytest.mark.django_db

LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".org"  # 260 characters, valid


@pytest.fixture
def setup():
    round_ = RoundFactory()
    PartnerFactory(place=round_.place, name="Harrowdene Council")
    lead = MembershipFactory(place=round_.place, role=Role.LEAD).user
    client = Client(raise_request_exception=False)
    client.force_login(lead)
    url = f"/places/{round_.place.slug}/rounds/{round_.pk}/invitations/bulk/"
    return round_, client, url


def listing(email: str) -> str:
    return (
        "name,email,partner,perspective\n"
        f"Ada Quill,{email},Harrowdene Council,manager\n"
        "Bo Reed,bo@example.org,Harrowdene Council,manager\n"
    )


def test_the_email_is_really_longer_than_the_column_and_valid():
    from django.core.validators import validate_email

    validate_email(LONG_EMAIL)
    assert 254 < len(LONG_EMAIL) <= 320


@pytest.mark.parametrize("how", ["paste", "upload"])
def test_a_too_long_email_in_a_list_is_a_row_error(setup, how):
    round_, client, url = setup
    if how == "paste":
        data = {"text": listing(LONG_EMAIL)}
    else:
        data = {"file": SimpleUploadedFile("list.csv", listing(LONG_EMAIL).encode(), "text/csv")}
    response = client.post(url, data)
    assert response.status_code == 400  # the list page's answer to a refused list
    assert "Row 2: the email address is longer than 254 characters" in response.content.decode()
    assert not Invitation.objects.filter(round=round_).exists()  # the list is refused whole


def test_the_single_form_says_the_same(setup):
    round_, client, _ = setup
    partner = round_.place.partners.get()
    response = client.post(
        f"/places/{round_.place.slug}/rounds/{round_.pk}/invitations/add/",
        {"name": "Ada Quill", "email": LONG_EMAIL, "partner": partner.pk, "perspective": "manager"},
    )
    assert response.status_code == 200
    assert not Invitation.objects.filter(round=round_).exists()
