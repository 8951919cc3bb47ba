"""A partner name the place already uses is an error on the name field, not on the form."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse

from places import services
from places.models import Partner
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_the_service_files_a_taken_name_under_name(place, lead):
    PartnerFactory(place=place, name="Vale Homes")
    with pytest.raises(ValidationError) as caught:
        services.partner_create(place=place, actor=lead, name="VALE homes", sector="housing")
    assert set(caught.value.message_dict) == {"name"}
    assert NON_FIELD_ERRORS not in caught.value.message_dict


@pytest.mark.parametrize("editing", [False, True], ids=["add", "edit"])
def test_the_partner_forms_show_a_taken_name_on_the_name_field(lead_client, place, editing):
    PartnerFactory(place=place, name="Taken Name")
    if editing:
        partner = PartnerFactory(place=place, name="Vale Homs")
        url = reverse("places:partner_edit", args=[place.slug, partner.pk])
    else:
        url = reverse("places:partners", args=[place.slug])
    response = lead_client.post(url, {"name": "taken name", "sector": "housing"})
    form = response.context["form"]
    assert form.errors["name"] == ["This place already has a partner with that name."]
    assert not form.non_field_errors()
    assert Partner.objects.filter(place=place).count() == (2 if editing else 1)
