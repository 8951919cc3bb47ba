"""Adding partners from a pasted list or an uploaded CSV: all of them, or none."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from places.models import ActivityLog, Partner, Sector
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def upload(client: Client, place, content: bytes, name: str = "partners.csv"):
    return client.post(
        reverse("places:partners_bulk", args=[place.slug]),
        {"text": "", "file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def paste(client: Client, place, text: str):
    return client.post(reverse("places:partners_bulk", args=[place.slug]), {"text": text})


def test_pasted_list_from_a_spreadsheet_adds_every_partner_and_logs_it(lead_client, place, lead):
    text = (
        "Harrowdene Council\tLocal authority\n"
        "  Riverside   Tenants Forum \tVOLUNTARY_COMMUNITY\n"
        "\n"
        "North Trust\tnhs\n"
    )
    response = paste(lead_client, place, text)
    assert response.status_code == 302
    partners = {p.name: p.sector for p in Partner.objects.filter(place=place)}
    assert partners == {
        "Harrowdene Council": Sector.LOCAL_AUTHORITY,
        "Riverside Tenants Forum": Sector.VOLUNTARY_COMMUNITY,
        "North Trust": Sector.NHS,
    }
    entry = ActivityLog.objects.get(place=place, verb="partners-imported")
    assert entry.actor == lead and "3 partners" in entry.description


def test_csv_upload_with_bom_header_in_any_order_and_sector_labels(lead_client, place):
    content = "\ufeffSector,Name\r\nPolice and justice,Kestrel Police\r\nhousing,Vale Homes\r\n"
    response = upload(lead_client, place, content.encode("utf-8"))
    assert response.status_code == 302
    assert set(Partner.objects.filter(place=place).values_list("name", "sector")) == {
        ("Kestrel Police", Sector.POLICE_JUSTICE),
        ("Vale Homes", Sector.HOUSING),
    }


def test_one_bad_sector_rejects_the_whole_list_naming_each_row(lead_client, place):
    text = "name,sector\nGood Org,nhs\nBad Org,Banking\nWorse Org,\n"
    response = paste(lead_client, place, text)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Row 3: the sector &#x27;Banking&#x27; is not one Ninefold knows" in html
    assert "Row 4:" in html
    assert "There is a problem" in html
    assert not Partner.objects.filter(place=place).exists()
    # What was typed is kept.
    assert "Good Org,nhs" in html


def test_duplicates_within_the_list_and_against_existing_partners(lead_client, place):
    PartnerFactory(place=place, name="Vale Homes")
    archived = PartnerFactory(place=place, name="Old Friends")
    archived.archived_at = archived.created_at
    archived.save()
    text = "Kestrel Police,police_justice\nkestrel  police,police_justice\nVALE HOMES,housing\nOld friends,other\n"
    html = paste(lead_client, place, text).content.decode()
    assert "Row 2: &#x27;kestrel police&#x27; is already on row 1" in html
    assert "Row 3: this place already has a partner called &#x27;VALE HOMES&#x27;" in html
    assert "Row 4:" in html and "archived" in html
    assert Partner.objects.filter(place=place).count() == 2


def test_wrong_columns_are_refused(lead_client, place):
    html = upload(lead_client, place, b"organisation,type\nA,nhs\n").content.decode()
    # Worded as for the respondent list (one shared reader): what is missing, what is not expected.
    assert "Row 1: the columns must be exactly name, sector." in html
    assert "Missing: name, sector. Not expected: organisation, type." in html
    assert not Partner.objects.filter(place=place).exists()


def test_a_row_with_an_extra_column_is_refused(lead_client, place):
    html = upload(lead_client, place, b"name,sector\nA,nhs,extra\n").content.decode()
    assert "Row 2: has 3 values" in html
    assert not Partner.objects.filter(place=place).exists()


def test_an_empty_file_is_refused(lead_client, place):
    html = upload(lead_client, place, b"").content.decode()
    assert "The file is empty" in html or "The submitted file is empty" in html


def test_a_file_with_only_blank_lines_or_only_a_header_is_refused(lead_client, place):
    assert "The list is empty" in upload(lead_client, place, b"\n\n  \n").content.decode()
    assert "no partners below them" in upload(lead_client, place, b"name,sector\n").content.decode()


def test_a_ten_megabyte_file_is_refused_by_size_before_reading(lead_client, place):
    content = b"name,sector\n" + b"A very long partner name,nhs\n" * (10 * 1024 * 1024 // 28)
    response = upload(lead_client, place, content)
    html = response.content.decode()
    assert response.status_code == 200
    assert "the limit is 1.0" in html
    assert not Partner.objects.filter(place=place).exists()


def test_a_latin_1_file_is_refused_with_how_to_save_it_as_utf8(lead_client, place):
    content = "name,sector\nCafé Société,other\n".encode("latin-1")
    html = upload(lead_client, place, content).content.decode()
    assert "not in UTF-8" in html and "CSV UTF-8" in html
    assert not Partner.objects.filter(place=place).exists()


def test_utf16_and_binary_files_are_refused(lead_client, place):
    assert "not a text file" in (
        upload(lead_client, place, "name,sector\nA,nhs\n".encode("utf-16")).content.decode()
    )
    assert "not a text file" in upload(lead_client, place, b"PK\x03\x04\x00\x00").content.decode()


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+44 Trust", "-Minus", "@SUM(A1)"])
def test_formula_like_cells_are_refused_with_an_explanation(lead_client, place, cell):
    html = paste(lead_client, place, f'Fine Org,nhs\n"{cell}",other\n').content.decode()
    assert "Row 2:" in html
    assert "spreadsheets treat as a formula" in html
    assert not Partner.objects.filter(place=place).exists()


def test_a_formula_in_the_sector_cell_is_refused_too(lead_client, place):
    html = paste(lead_client, place, "Fine Org,=1+1\n").content.decode()
    assert "Row 1: the sector &#x27;=1+1&#x27; starts with &#x27;=&#x27;" in html


def test_a_non_ascii_utf8_name_is_kept_exactly(lead_client, place):
    upload(lead_client, place, "name,sector\nCafé Société Ōtautahi,other\n".encode())
    assert Partner.objects.get(place=place).name == "Café Société Ōtautahi"


def test_paste_and_file_together_or_neither_are_refused(lead_client, place):
    url = reverse("places:partners_bulk", args=[place.slug])
    neither = lead_client.post(url, {"text": ""}).content.decode()
    assert "Paste a list of partners or upload a CSV file" in neither
    both = lead_client.post(
        url,
        {"text": "A,nhs", "file": SimpleUploadedFile("p.csv", b"name,sector\nB,nhs\n")},
    ).content.decode()
    assert "not both" in both
    assert not Partner.objects.filter(place=place).exists()


def test_more_than_five_hundred_rows_are_refused(lead_client, place):
    text = "\n".join(f"Org {n},other" for n in range(501))
    assert "add at most 500" in paste(lead_client, place, text).content.decode()


def test_a_file_saved_with_old_mac_line_endings_or_semicolons_is_read(lead_client, place):
    # Both used to fail: a lone carriage return crashed the reader, semicolons were one cell.
    assert upload(lead_client, place, b"name,sector\rVale Homes,housing\r").status_code == 302
    assert paste(lead_client, place, "North Trust;nhs").status_code == 302
    assert set(Partner.objects.filter(place=place).values_list("name", flat=True)) == {
        "Vale Homes",
        "North Trust",
    }


def test_a_file_of_empty_cells_only_is_an_empty_list(lead_client, place):
    assert "The list is empty" in upload(lead_client, place, b",,\n,\n").content.decode()
