import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from places import services
from places.models import ActivityLog, Membership, Partner, Place, PlaceInvitation, Role
from tests.factories import MembershipFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def join_link(mailoutbox) -> str:
    return "/places/join/" + mailoutbox[-1].body.split("/places/join/")[1].split("/")[0] + "/"


def test_setting_up_a_place_makes_me_its_lead_and_goes_to_partners(client: Client, user):
    user.is_staff = True
    user.save()
    client.force_login(user)
    response = client.post(
        reverse("places:create"), {"name": "Kestrel Bay", "description": "Coastal towns."}
    )
    place = Place.objects.get(name="Kestrel Bay")
    assert response["Location"] == reverse("places:partners", args=[place.slug])
    assert Membership.objects.get(place=place, user=user).role == Role.LEAD


def test_setting_up_a_place_without_a_name_keeps_the_description(client: Client, user):
    user.is_staff = True
    user.save()
    client.force_login(user)
    response = client.post(reverse("places:create"), {"name": "", "description": "Kept text"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "Kept text" in html
    assert '<a href="#id_name">Name of the place: Enter the name of the place</a>' in html
    assert not Place.objects.exists()


def test_partners_page_lists_archived_partners_greyed_and_marked(lead_client, place):
    PartnerFactory(place=place, name="Active Org")
    gone = PartnerFactory(place=place, name="Gone Org")
    gone.archived_at = timezone.now()
    gone.save()
    html = lead_client.get(reverse("places:partners", args=[place.slug])).content.decode()
    assert html.index("Active Org") < html.index("Gone Org")
    assert '<tr class="is-archived">' in html
    assert "Archived " in html and "Restore<" in html


def test_adding_a_partner_with_a_formula_name_is_refused(lead_client, place):
    response = lead_client.post(
        reverse("places:partners", args=[place.slug]), {"name": "=cmd", "sector": "nhs"}
    )
    assert "treat a cell that starts with it as a formula" in response.content.decode()
    assert not Partner.objects.exists()


def test_archiving_from_the_page_logs_it(lead_client, place, lead):
    partner = PartnerFactory(place=place)
    lead_client.post(reverse("places:partner_archive", args=[place.slug, partner.pk]))
    partner.refresh_from_db()
    assert partner.is_archived
    assert ActivityLog.objects.get(verb="partner-archived").actor == lead


def test_the_last_lead_sees_why_they_cannot_step_down(lead_client, place, lead):
    mine = Membership.objects.get(place=place, user=lead)
    response = lead_client.post(
        reverse("places:member_role", args=[place.slug, mine.pk]), {"role": "board"}, follow=True
    )
    html = response.content.decode()
    assert "a place always needs one" in html
    # The reason is shown at the member's role select, which keeps the role they chose.
    field = f"id_member-{mine.pk}_role"
    error = html.index(f'<p class="error-message" id="{field}_error">')
    assert "a place always needs one" in html[error : html.index("</p>", error)]
    select = html[html.index(f'id="{field}"') - 200 : html.index("</select>", error)]
    assert 'aria-invalid="true"' in select
    assert '<option value="board" selected>' in select
    assert "see the error on their row" in html
    mine.refresh_from_db()
    assert mine.role == Role.LEAD


def test_a_lead_who_steps_down_is_taken_to_the_place_page(lead_client, place, lead):
    MembershipFactory(place=place, role=Role.LEAD)
    mine = Membership.objects.get(place=place, user=lead)
    response = lead_client.post(
        reverse("places:member_role", args=[place.slug, mine.pk]), {"role": "board"}
    )
    assert response["Location"] == reverse("places:detail", args=[place.slug])


def test_a_tampered_role_changes_nothing(lead_client, place):
    board = MembershipFactory(place=place, role=Role.BOARD)
    lead_client.post(
        reverse("places:member_role", args=[place.slug, board.pk]), {"role": "superuser"}
    )
    board.refresh_from_db()
    assert board.role == Role.BOARD


def test_inviting_an_existing_member_is_refused_on_the_form(lead_client, place, lead):
    response = lead_client.post(
        reverse("places:people", args=[place.slug]), {"email": lead.email, "role": "board"}
    )
    assert "already a member" in response.content.decode()
    assert not PlaceInvitation.objects.exists()


def test_a_new_colleague_makes_an_account_from_the_link_and_lands_in_the_place(
    lead_client, place, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lead_client.post(
            reverse("places:people", args=[place.slug]),
            {"email": "newbie@example.org", "role": "facilitator"},
        )
    link = join_link(mailoutbox)
    client = Client()
    page = client.get(link).content.decode()
    assert "Make my account and join" in page and "newbie@example.org" in page

    weak = client.post(link, {"full_name": "Nova", "password1": "short", "password2": "short"})
    assert "too short" in weak.content.decode()
    assert "Nova" in weak.content.decode()

    password = "slow-river-under-bridges"
    response = client.post(
        link, {"full_name": "Nova Newbie", "password1": password, "password2": password}
    )
    assert response["Location"] == reverse("places:detail", args=[place.slug])
    membership = Membership.objects.get(place=place, user__email="newbie@example.org")
    assert membership.role == Role.FACILITATOR
    assert client.get(response["Location"]).status_code == 200
    # Used once.
    assert Client().get(link).status_code == 404


def test_an_existing_account_is_asked_to_sign_in_then_accepts(
    place, lead, mailoutbox, django_capture_on_commit_callbacks
):
    known = UserFactory(email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.place_invitation_create(place=place, actor=lead, email=known.email, role="board")
    link = join_link(mailoutbox)

    anonymous = Client().get(link).content.decode()
    assert "Sign in to join" in anonymous and f"next={link}" in anonymous

    client = Client()
    client.force_login(known)
    assert "Join " in client.get(link).content.decode()
    response = client.post(link)
    assert response["Location"] == reverse("places:detail", args=[place.slug])
    assert Membership.objects.get(place=place, user=known).role == Role.BOARD


def test_someone_signed_in_with_another_email_cannot_use_the_link(
    place, lead, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.place_invitation_create(
            place=place, actor=lead, email="meant@example.org", role="lead"
        )
    client = Client()
    client.force_login(UserFactory())
    response = client.post(join_link(mailoutbox))
    assert response.status_code == 403
    assert "meant@example.org" in response.content.decode()
    assert Membership.objects.filter(place=place).count() == 1


def test_an_expired_or_forged_link_is_refused(
    place, lead, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.place_invitation_create(
            place=place, actor=lead, email="late@example.org", role="board"
        )
    link = join_link(mailoutbox)
    assert Client().get("/places/join/not-a-real-token/").status_code == 404
    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        response = Client().get(link)
    assert response.status_code == 404
    assert "does not work" in response.content.decode()


def test_activity_page_lists_who_what_when_paginated_in_fixed_queries(
    lead_client, place, lead, django_assert_num_queries
):
    for n in range(60):
        services.activity_record(place=place, actor=lead, verb="x", description=f"Entry {n}")
    url = reverse("places:activity", args=[place.slug])
    with django_assert_num_queries(5):  # session, user, membership, count, page
        first = lead_client.get(url).content.decode()
    assert "Entry 59" in first and "Entry 9<" not in first and escape(str(lead)) in first
    assert "Page 1 of 2" in first
    second = lead_client.get(url + "?page=2").content.decode()
    assert "Entry 9<" in second and "Entry 59" not in second


def test_activity_page_shows_only_this_places_entries(lead_client, place, outsider):
    other = Membership.objects.get(user=outsider).place
    services.activity_record(place=other, actor=outsider, verb="x", description="Elsewhere")
    html = lead_client.get(reverse("places:activity", args=[place.slug])).content.decode()
    assert "Elsewhere" not in html


def test_partners_and_people_pages_cost_the_same_queries_however_many_rows(
    lead_client, place, django_assert_num_queries
):
    partners_url = reverse("places:partners", args=[place.slug])
    people_url = reverse("places:people", args=[place.slug])
    PartnerFactory(place=place)
    MembershipFactory(place=place, role=Role.BOARD)
    lead_client.get(partners_url)
    with django_assert_num_queries(4):
        lead_client.get(partners_url)
    with django_assert_num_queries(5):
        lead_client.get(people_url)
    for _ in range(10):
        PartnerFactory(place=place)
        MembershipFactory(place=place, role=Role.FACILITATOR)
    with django_assert_num_queries(4):
        lead_client.get(partners_url)
    with django_assert_num_queries(5):
        lead_client.get(people_url)


def test_editing_a_partner_renames_it_and_refuses_a_clash(lead_client, place, lead):
    partner = PartnerFactory(place=place, name="Vale Homs")
    PartnerFactory(place=place, name="Taken Name")
    url = reverse("places:partner_edit", args=[place.slug, partner.pk])
    clash = lead_client.post(url, {"name": "taken name", "sector": "housing"})
    assert "already has a partner with that name" in clash.content.decode()
    assert "<h1>Edit Vale Homs</h1>" in clash.content.decode()
    partner.refresh_from_db()
    assert partner.name == "Vale Homs"
    lead_client.post(url, {"name": "Vale Homes", "sector": "housing"})
    partner.refresh_from_db()
    assert (partner.name, partner.sector) == ("Vale Homes", "housing")
    entry = ActivityLog.objects.get(verb="partner-edited")
    assert "renamed Vale Homs to Vale Homes" in entry.description
    assert "Voluntary and community to Housing" in entry.description
