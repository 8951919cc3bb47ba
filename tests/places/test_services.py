import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from places import selectors, services
from places.models import ActivityLog, Membership, Partner, PlaceInvitation, Role, Sector
from tests.factories import MembershipFactory, PartnerFactory, PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_creating_a_place_makes_its_creator_the_lead_and_a_unique_slug(user):
    PlaceFactory(slug="harrowdene")
    place = services.place_create(name="Harrowdene", description=" Our place ", creator=user)
    assert place.slug == "harrowdene-2"
    assert place.description == "Our place"
    assert Membership.objects.get(place=place).role == Role.LEAD
    assert ActivityLog.objects.get(place=place).verb == "place-created"


def test_a_place_cannot_take_a_slug_used_by_a_page(user):
    assert services.place_create(name="New", creator=user).slug == "new-place"
    assert services.place_create(name="Join", creator=user).slug == "join-place"


def test_editing_a_place_keeps_its_slug_and_logs_what_changed(place, lead):
    slug = place.slug
    services.place_update(place=place, actor=lead, name="Renamed", description=place.description)
    place.refresh_from_db()
    assert (place.name, place.slug) == ("Renamed", slug)
    entry = ActivityLog.objects.get(place=place, verb="place-edited")
    assert "Renamed" in entry.description and entry.actor == lead


def test_editing_without_changes_logs_nothing(place, lead):
    services.place_update(place=place, actor=lead, name=place.name, description=place.description)
    assert not ActivityLog.objects.filter(place=place).exists()


def test_partner_names_are_unique_in_a_place_ignoring_case(place, lead):
    services.partner_create(place=place, actor=lead, name="Vale Homes", sector=Sector.HOUSING)
    with pytest.raises(ValidationError):
        services.partner_create(place=place, actor=lead, name="vale homes", sector=Sector.HOUSING)
    # Another place may use the name.
    services.partner_create(
        place=PlaceFactory(), actor=lead, name="Vale Homes", sector=Sector.HOUSING
    )


def test_bulk_create_rolls_back_everything_when_one_clashes_at_the_last_moment(place, lead):
    from places.partner_import import PartnerRow

    PartnerFactory(place=place, name="Taken")
    rows = [PartnerRow(1, "Fresh", Sector.NHS), PartnerRow(2, "Taken", Sector.NHS)]
    with pytest.raises(ValidationError, match="Row 2"):
        services.partners_bulk_create(place=place, actor=lead, rows=rows)
    assert list(Partner.objects.filter(place=place).values_list("name", flat=True)) == ["Taken"]


def test_archive_hides_from_new_invitations_but_keeps_in_lists_and_restore_brings_back(place, lead):
    partner = PartnerFactory(place=place, name="Archived One")
    services.partner_archive(partner=partner, actor=lead)
    assert partner.is_archived
    assert partner not in selectors.partners_for_new_invitations(place)
    assert partner in selectors.partners_for_place(place)
    services.partner_restore(partner=partner, actor=lead)
    assert partner in selectors.partners_for_new_invitations(place)
    verbs = list(ActivityLog.objects.filter(place=place).values_list("verb", flat=True))
    assert sorted(verbs) == ["partner-archived", "partner-restored"]


def test_the_only_lead_cannot_be_demoted_or_removed(place, lead):
    membership = Membership.objects.get(place=place, user=lead)
    with pytest.raises(ValidationError, match="only partnership lead"):
        services.membership_change_role(membership=membership, actor=lead, role=Role.BOARD)
    with pytest.raises(ValidationError, match="only partnership lead"):
        services.membership_remove(membership=membership, actor=lead)
    membership.refresh_from_db()
    assert membership.role == Role.LEAD


def test_with_a_second_lead_one_can_step_down_and_changes_are_logged(place, lead):
    other = MembershipFactory(place=place, role=Role.LEAD)
    mine = Membership.objects.get(place=place, user=lead)
    services.membership_change_role(membership=mine, actor=lead, role=Role.FACILITATOR)
    mine.refresh_from_db()
    assert mine.role == Role.FACILITATOR
    # Now `other` is the last lead.
    with pytest.raises(ValidationError):
        services.membership_remove(membership=other, actor=other.user)
    assert ActivityLog.objects.filter(place=place, verb="member-role-changed").count() == 1


def test_removing_a_board_member_is_logged_with_who_did_it(place, lead):
    board = MembershipFactory(place=place, role=Role.BOARD)
    services.membership_remove(membership=board, actor=lead)
    assert not Membership.objects.filter(pk=board.pk).exists()
    entry = ActivityLog.objects.get(place=place, verb="member-removed")
    assert entry.actor == lead and board.user.email in entry.description


def test_invitation_stores_only_a_hash_and_its_email_has_both_parts(
    place, lead, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.place_invitation_create(
            place=place, actor=lead, email=" New.Person@Example.org ", role=Role.FACILITATOR
        )
    assert invitation.email == "new.person@example.org"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    token = message.body.split("/places/join/")[1].split("/")[0]
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64
    assert services.place_invitation_find(token) == invitation
    assert message.alternatives[0][1] == "text/html"
    assert place.name in message.subject
    assert str(lead) in message.body and lead.email in message.reply_to


def test_one_pending_invitation_per_email_and_none_for_members(place, lead):
    services.place_invitation_create(place=place, actor=lead, email="a@example.org", role="board")
    with pytest.raises(ValidationError):
        services.place_invitation_create(
            place=place, actor=lead, email="A@example.org", role="board"
        )
    with pytest.raises(ValidationError, match="already a member"):
        services.place_invitation_create(place=place, actor=lead, email=lead.email, role="board")


def test_the_database_refuses_two_pending_invitations_for_one_email(place):
    kwargs = {"place": place, "email": "x@example.org", "role": Role.BOARD}
    PlaceInvitation.objects.create(token_hash="a" * 64, expires_at=timezone.now(), **kwargs)
    with pytest.raises(IntegrityError):
        PlaceInvitation.objects.create(token_hash="b" * 64, expires_at=timezone.now(), **kwargs)


def test_accepting_with_a_new_account_creates_user_and_membership(place, lead):
    invitation = services.place_invitation_create(
        place=place, actor=lead, email="new@example.org", role=Role.BOARD
    )
    membership = services.place_invitation_accept(
        invitation=invitation, full_name="Nia New", password="a-long-enough-passphrase"
    )
    assert membership.role == Role.BOARD
    assert membership.user.check_password("a-long-enough-passphrase")
    invitation.refresh_from_db()
    assert invitation.accepted_by == membership.user and not invitation.is_pending
    with pytest.raises(ValidationError):
        services.place_invitation_accept(invitation=invitation, user=membership.user)


def test_accepting_attaches_an_existing_account_only_if_the_email_matches(place, lead):
    existing = UserFactory(email="known@example.org")
    stranger = UserFactory()
    invitation = services.place_invitation_create(
        place=place, actor=lead, email="KNOWN@example.org", role=Role.FACILITATOR
    )
    with pytest.raises(ValidationError, match="signed in as"):
        services.place_invitation_accept(invitation=invitation, user=stranger)
    with pytest.raises(ValidationError, match="sign in to accept"):
        services.place_invitation_accept(invitation=invitation, full_name="X", password="y" * 20)
    membership = services.place_invitation_accept(invitation=invitation, user=existing)
    assert membership.user == existing and membership.role == Role.FACILITATOR


def test_resend_replaces_the_link_and_withdraw_kills_it(place, lead, mailoutbox):
    invitation = services.place_invitation_create(
        place=place, actor=lead, email="r@example.org", role=Role.BOARD
    )
    old_hash = invitation.token_hash
    services.place_invitation_resend(invitation=invitation, actor=lead)
    assert invitation.token_hash != old_hash
    services.place_invitation_revoke(invitation=invitation, actor=lead)
    invitation.refresh_from_db()
    assert not invitation.is_pending
    with pytest.raises(ValidationError):
        services.place_invitation_accept(invitation=invitation, full_name="R", password="z" * 20)


def test_archiving_keeps_the_partners_past_answers(lead):
    from assessments.models import Response
    from tests.factories import ResponseFactory

    response = ResponseFactory()
    partner = response.invitation.partner
    services.partner_archive(partner=partner, actor=lead)
    assert Response.objects.filter(invitation__partner=partner).get() == response
    assert Partner.objects.get(pk=partner.pk).is_archived


def test_colleague_and_lead_invitation_emails_are_kept_in_the_outbox_sent_or_failed(
    place, lead, mailoutbox, django_capture_on_commit_callbacks
):
    """One row per email, with its kind, subject, recipient and how it went (decision 0026)."""
    from unittest import mock

    from assessments.models import EmailKind, OutboxEmail, SendState

    with django_capture_on_commit_callbacks(execute=True):
        colleague = services.place_invitation_create(
            place=place, actor=lead, email="new.person@example.org", role=Role.FACILITATOR
        )
    with (
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP is down")
        ),
        django_capture_on_commit_callbacks(execute=True),  # runs them before the patch ends
    ):
        invited_lead, _ = services.lead_invitation_create(actor=None, email="someone@example.org")
    assert invited_lead.email_failed is True and len(mailoutbox) == 1
    rows = list(
        OutboxEmail.objects.order_by("pk").values_list(
            "kind", "place_invitation", "lead_invitation", "recipient", "status", "error"
        )
    )
    assert rows == [
        (EmailKind.COLLEAGUE, colleague.pk, None, colleague.email, SendState.SENT, ""),
        (
            EmailKind.LEAD,
            None,
            invited_lead.pk,
            "someone@example.org",
            SendState.FAILED,
            "OSError: SMTP is down",
        ),
    ]
    assert OutboxEmail.objects.get(kind=EmailKind.COLLEAGUE).requested_by == lead
