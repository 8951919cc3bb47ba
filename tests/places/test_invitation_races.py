"""Colleague invitations that change between the page's look-up and the lead's or
colleague's action: refused with a message or the "link does not work" page, never a 500."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from places import services
from places.models import ActivityLog, Membership, PlaceInvitation, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _invite(place, lead, email="colleague@example.org") -> PlaceInvitation:
    return services.place_invitation_create(place=place, actor=lead, email=email, role=Role.BOARD)


def _use_up(invitation: PlaceInvitation) -> None:
    """Another request accepts the invitation: the row changes, the caller's copy does not."""
    PlaceInvitation.objects.filter(pk=invitation.pk).update(
        accepted_at=timezone.now(), accepted_by=UserFactory()
    )


def test_withdrawing_a_used_invitation_is_refused_and_changes_nothing(place, lead):
    invitation = _invite(place, lead)
    _use_up(invitation)  # ``invitation`` is now a stale copy that still looks pending
    with pytest.raises(ValidationError, match="already been used or withdrawn"):
        services.place_invitation_revoke(invitation=invitation, actor=lead)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert not ActivityLog.objects.filter(verb="colleague-invitation-withdrawn").exists()


def test_withdrawing_twice_is_refused_the_second_time(place, lead):
    invitation = _invite(place, lead)
    services.place_invitation_revoke(invitation=invitation, actor=lead)
    first = PlaceInvitation.objects.get(pk=invitation.pk).revoked_at
    with pytest.raises(ValidationError):
        services.place_invitation_revoke(invitation=invitation, actor=lead)
    assert PlaceInvitation.objects.get(pk=invitation.pk).revoked_at == first
    assert ActivityLog.objects.filter(verb="colleague-invitation-withdrawn").count() == 1


def test_the_people_page_says_a_used_invitation_cannot_be_withdrawn(lead_client, place, lead):
    invitation = _invite(place, lead)
    _use_up(invitation)
    response = lead_client.post(
        reverse("places:invitation_revoke", args=[place.slug, invitation.pk]), follow=True
    )
    html = response.content.decode()
    assert "already been used or withdrawn" in html
    assert "is withdrawn" not in html
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.fixture
def used_after_look_up(monkeypatch):
    """The invitation is accepted elsewhere just after the join view has looked it up."""
    find = services.place_invitation_find

    def find_then_lose_the_race(token):
        invitation = find(token)
        if invitation is not None:
            _use_up(invitation)
        return invitation

    monkeypatch.setattr(services, "place_invitation_find", find_then_lose_the_race)


def _link(mailoutbox) -> str:
    return "/places/join/" + mailoutbox[-1].body.split("/places/join/")[1].split("/")[0] + "/"


def test_signed_in_accept_of_an_invitation_used_meanwhile_shows_the_used_page(
    place, lead, mailoutbox, django_capture_on_commit_callbacks, used_after_look_up
):
    known = UserFactory(email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        _invite(place, lead, email=known.email)
    client = Client(raise_request_exception=False)
    client.force_login(known)
    response = client.post(_link(mailoutbox))
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()
    assert not Membership.objects.filter(place=place, user=known).exists()


def test_new_account_accept_of_an_invitation_used_meanwhile_shows_the_used_page(
    place, lead, mailoutbox, django_capture_on_commit_callbacks, used_after_look_up
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(place, lead, email="newbie@example.org")
    response = Client().post(
        _link(mailoutbox),
        {
            "full_name": "New Bie",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()
    assert not Membership.objects.filter(place=place, user__email="newbie@example.org").exists()
