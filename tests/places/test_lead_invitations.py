"""Site administrators invite partnership leads; who may set up a place is a setting (0024)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from places import services
from places.models import LeadInvitation, Membership, Place, Role
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def lead_link(mailoutbox) -> str:
    """The path of the lead invitation link in the last email."""
    return re.search(r"https?://[^/\s]+(/leads/join/[^/\s]+/)", mailoutbox[-1].body).group(1)


@pytest.fixture(autouse=True)
def _emails_sent_at_commit(monkeypatch):
    """The one invitation email is sent after the commit (decision 0022); the test's transaction
    never commits, so run the callback at once."""
    monkeypatch.setattr(services.transaction, "on_commit", lambda callback, **kw: callback())


@pytest.fixture
def admin():
    return UserFactory(email="it@example.org", is_staff=True)


def invited_lead():
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get_by_natural_key("add_place", "places", "place"))
    return user


# --- Who may set up a place ----------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.BOARD, Role.FACILITATOR, Role.LEAD])
def test_a_member_who_was_not_invited_as_a_lead_cannot_set_up_a_place(role, place):
    member = MembershipFactory(place=place, role=role).user
    client = client_for(member)
    assert client.get(reverse("places:create")).status_code == 403
    assert client.post(reverse("places:create"), {"name": "Sneaky"}).status_code == 403
    assert not Place.objects.filter(name="Sneaky").exists()
    assert reverse("places:create") not in client.get(reverse("home")).content.decode()


def test_site_staff_and_invited_leads_can_set_up_a_place(admin):
    for user in (admin, invited_lead()):
        client = client_for(user)
        assert client.get(reverse("places:create")).status_code == 200
        assert reverse("places:create") in client.get(reverse("home")).content.decode()


def test_the_setting_can_open_place_creation_to_anyone_or_close_it_to_staff(settings, user):
    settings.PLACE_CREATORS = "anyone"
    assert client_for(user).get(reverse("places:create")).status_code == 200
    settings.PLACE_CREATORS = "staff"
    assert client_for(invited_lead()).get(reverse("places:create")).status_code == 403
    assert client_for(UserFactory(is_staff=True)).get(reverse("places:create")).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in():
    for url in (reverse("places:create"), reverse("leads:invitations")):
        assert client_for(None).get(url)["Location"].startswith(reverse("accounts:login"))


# --- The site administrator's page -----------------------------------------------------------


def test_only_site_staff_reach_the_lead_invitations_page(lead, user):
    for someone in (lead, user):
        client = client_for(someone)
        assert client.get(reverse("leads:invitations")).status_code == 403
        response = client.post(reverse("leads:invitations"), {"email": "x@example.org"})
        assert response.status_code == 403
    assert not LeadInvitation.objects.exists()


def test_staff_see_the_link_to_invite_leads_on_their_home_page(admin, user):
    assert reverse("leads:invitations") in client_for(admin).get("/").content.decode()
    assert reverse("leads:invitations") not in client_for(user).get("/").content.decode()


def test_an_empty_address_is_named_in_the_error(admin):
    response = client_for(admin).post(reverse("leads:invitations"), {"email": ""})
    assert response.status_code == 200
    assert "Enter the email address of the person to invite" in response.content.decode()


def test_a_new_lead_is_invited_makes_an_account_and_sets_up_a_place(admin, mailoutbox):
    response = client_for(admin).post(
        reverse("leads:invitations"), {"email": " New.Lead@Example.org "}
    )
    assert response["Location"] == reverse("leads:invitations")
    invitation = LeadInvitation.objects.get()
    assert invitation.email == "new.lead@example.org" and invitation.invited_by == admin
    assert mailoutbox[-1].to == ["new.lead@example.org"]
    assert mailoutbox[-1].subject == "Set up your place on Ninefold"
    page = client_for(admin).get(reverse("leads:invitations")).content.decode()
    assert "new.lead@example.org" in page and "Withdraw" in page

    newcomer = Client()
    link = lead_link(mailoutbox)
    assert "Make my account" in newcomer.get(link).content.decode()
    response = newcomer.post(
        link,
        {
            "full_name": "Nia Lead",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response["Location"] == reverse("places:create")
    response = newcomer.post(reverse("places:create"), {"name": "Kestrel Bay", "description": ""})
    place = Place.objects.get(name="Kestrel Bay")
    assert Membership.objects.get(place=place).user.email == "new.lead@example.org"
    assert Membership.objects.get(place=place).role == Role.LEAD
    # Used once: the link no longer works.
    assert newcomer.get(link).status_code == 404


def test_someone_with_an_account_accepts_after_signing_in_with_that_account(admin, mailoutbox):
    existing = UserFactory(email="board@example.org")
    services.lead_invitation_create(actor=admin, email="board@example.org")
    link = lead_link(mailoutbox)
    assert "Sign in to accept" in client_for(None).get(link).content.decode()
    assert client_for(UserFactory()).get(link).status_code == 403  # another account
    client = client_for(existing)
    assert client.get(reverse("places:create")).status_code == 403
    assert client.post(link)["Location"] == reverse("places:create")
    assert client.get(reverse("places:create")).status_code == 200


def test_a_withdrawn_invitation_stops_working_and_can_be_sent_again_no_more(admin, mailoutbox):
    invitation, _ = services.lead_invitation_create(actor=admin, email="gone@example.org")
    link = lead_link(mailoutbox)
    client = client_for(admin)
    client.post(reverse("leads:revoke", args=[invitation.pk]))
    assert client_for(None).get(link).status_code == 404
    client.post(reverse("leads:resend", args=[invitation.pk]))
    assert len(mailoutbox) == 1
    assert (
        client_for(user := UserFactory())
        .post(reverse("leads:revoke", args=[invitation.pk]))
        .status_code
        == 403
    )
    assert user.pk


def test_sending_again_replaces_the_link(admin, mailoutbox):
    invitation, _ = services.lead_invitation_create(actor=admin, email="again@example.org")
    first = lead_link(mailoutbox)
    client_for(admin).post(reverse("leads:resend", args=[invitation.pk]))
    second = lead_link(mailoutbox)
    assert first != second
    assert client_for(None).get(first).status_code == 404
    assert client_for(None).get(second).status_code == 200


# --- manage.py invite_lead ---------------------------------------------------------------------


def test_invite_lead_command_emails_and_prints_a_working_link(capsys, mailoutbox, settings):
    call_command("invite_lead", "first.lead@example.org")
    out = capsys.readouterr().out
    assert "first.lead@example.org" in out
    link = re.search(r"(http\S+/leads/join/\S+/)", out).group(1)
    assert link.startswith(settings.SITE_URL)
    assert mailoutbox[-1].to == ["first.lead@example.org"]
    assert link in mailoutbox[-1].body
    assert LeadInvitation.objects.get().invited_by is None


def test_invite_lead_command_refuses_a_bad_address_and_a_second_pending_invitation():
    with pytest.raises(CommandError, match="valid email"):
        call_command("invite_lead", "not-an-address")
    call_command("invite_lead", "twice@example.org")
    with pytest.raises(CommandError, match="already has an invitation waiting"):
        call_command("invite_lead", "Twice@example.org")


def test_a_group_can_hold_the_permission_and_asking_costs_one_query(django_assert_num_queries):
    from django.contrib.auth.models import Group

    from places.access import may_create_places

    user = UserFactory()
    with django_assert_num_queries(1):
        assert not may_create_places(user)
    group = Group.objects.create(name="Leads to be")
    group.permissions.add(Permission.objects.get_by_natural_key("add_place", "places", "place"))
    user.groups.add(group)
    with django_assert_num_queries(1):
        assert may_create_places(user)
