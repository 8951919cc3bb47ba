"""Every invariant of the domain, enforced both by validation and by the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from accounts.models import User
from assessments.models import (
    EVIDENCE_MAX_LENGTH,
    EmailKind,
    Invitation,
    OutboxEmail,
    Rating,
    Response,
    ResponseStatus,
    Round,
    SendState,
)
from places.models import Membership, Partner
from preconditions.models import Framework, Precondition, ScaleLevel
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    PartnerFactory,
    PlaceFactory,
    RatingFactory,
    ResponseFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


def assert_both_ways(instance, raw_write):
    """full_clean() refuses the instance and the raw write hits a database constraint."""
    with pytest.raises(ValidationError):
        instance.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_write()


def framework():
    return Framework.objects.get(is_default=True)


# preconditions -------------------------------------------------------------------------------


def test_only_one_default_framework():
    other = Framework(name="Local version", version=1, source_credit="x", is_default=True)
    assert_both_ways(other, other.save)


def test_framework_name_and_version_unique():
    fw = framework()
    dup = Framework(name=fw.name, version=fw.version, source_credit="x")
    assert_both_ways(dup, dup.save)


def test_precondition_code_unique_in_framework():
    fw = framework()
    dup = Precondition(framework=fw, group=fw.groups.first(), code="A", name="x", summary="x")
    assert_both_ways(dup, dup.save)


@pytest.mark.parametrize("value", [0, 6])
def test_scale_level_between_1_and_5(value):
    level = ScaleLevel(framework=framework(), value=value, label="x", descriptor="x")
    with pytest.raises(ValidationError):
        level.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        ScaleLevel.objects.create(
            framework=Framework.objects.create(name="Other", source_credit="x"),
            value=value,
            label="x",
            descriptor="x",
        )


# places --------------------------------------------------------------------------------------


def test_partner_name_unique_in_place_ignoring_case():
    partner = PartnerFactory(name="Harrow Homes")
    dup = Partner(place=partner.place, name="HARROW HOMES", sector="housing")
    assert_both_ways(dup, dup.save)
    # the same name in another place is fine
    Partner(place=PlaceFactory(), name="Harrow Homes", sector="housing").full_clean()


def test_partner_sector_from_fixed_list():
    partner = Partner(place=PlaceFactory(), name="X", sector="aerospace")
    assert_both_ways(partner, partner.save)


def test_membership_unique_per_user_and_place():
    membership = MembershipFactory()
    dup = Membership(user=membership.user, place=membership.place, role="board")
    assert_both_ways(dup, dup.save)


def test_membership_role_from_list():
    m = Membership(user=MembershipFactory().user, place=PlaceFactory(), role="owner")
    assert_both_ways(m, m.save)


def test_user_email_unique_ignoring_case():
    User.objects.create_user(email="sam@example.org", password="x")
    dup = User(email="Sam@Example.org")
    with pytest.raises(ValidationError):
        User(email="sam@example.org", password="x").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([dup])


# assessments ---------------------------------------------------------------------------------


def test_round_closes_after_it_opens():
    place = PlaceFactory()
    today = dt.date(2026, 5, 1)
    bad = Round(place=place, framework=framework(), name="R", opens_on=today, closes_on=today)
    assert_both_ways(bad, bad.save)


def test_round_name_unique_in_place():
    existing = RoundFactory(name="Spring")
    dup = Round(
        place=existing.place,
        framework=framework(),
        name="spring",
        opens_on=existing.opens_on,
        closes_on=existing.closes_on,
    )
    assert_both_ways(dup, dup.save)


def test_round_state_valid():
    round_ = RoundFactory.build(place=PlaceFactory(), state="paused")
    assert_both_ways(round_, round_.save)


def test_invitation_email_unique_in_round():
    existing = InvitationFactory(email="pat@example.org")
    dup = Invitation(
        round=existing.round,
        partner=existing.partner,
        name="Pat",
        email="PAT@example.org",
        perspective="manager",
    )
    dup.set_new_token()
    assert_both_ways(dup, dup.save)


def test_invitation_perspective_valid():
    existing = InvitationFactory()
    bad = Invitation(
        round=existing.round,
        partner=existing.partner,
        name="Pat",
        email="p@example.org",
        perspective="astronaut",
    )
    bad.set_new_token()
    assert_both_ways(bad, bad.save)


def test_invitation_token_is_stored_as_sha256_only():
    invitation = InvitationFactory()
    assert invitation.token not in invitation.token_hash
    assert len(invitation.token_hash) == 64
    bad = Invitation(
        round=invitation.round,
        partner=invitation.partner,
        name="Q",
        email="q@example.org",
        perspective="manager",
        token_hash="plain-token",
    )
    assert_both_ways(bad, bad.save)


def _email(invitation, **fields) -> OutboxEmail:
    return OutboxEmail(
        invitation=invitation, kind=EmailKind.INVITATION, recipient=invitation.email, **fields
    )


def test_an_email_being_sent_records_when_it_was_claimed():
    email = _email(InvitationFactory(), status=SendState.SENDING)
    assert_both_ways(email, email.save)


def test_an_email_row_is_never_not_sent_and_has_a_known_kind():
    invitation = InvitationFactory()
    for email in (
        _email(invitation, status=SendState.NOT_SENT),
        OutboxEmail(invitation=invitation, kind="postcard", recipient=invitation.email),
    ):
        assert_both_ways(email, email.save)


def test_one_email_at_a_time_is_on_its_way_to_a_person():
    invitation = InvitationFactory()
    _email(invitation, status=SendState.QUEUED).save()
    second = _email(invitation, status=SendState.SENDING, claimed_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    _email(invitation, status=SendState.FAILED).save()  # finished emails are not limited


def test_invitation_partner_must_belong_to_round_place():
    invitation = InvitationFactory.build(
        round=RoundFactory(), partner=PartnerFactory(), email="z@example.org"
    )
    invitation.set_new_token()
    with pytest.raises(ValidationError, match="round's place"):
        invitation.full_clean()


def test_one_response_per_invitation():
    response = ResponseFactory()
    dup = Response(invitation=response.invitation)
    assert_both_ways(dup, dup.save)


@pytest.mark.parametrize(
    ("status", "with_time"), [(ResponseStatus.SUBMITTED, False), (ResponseStatus.DRAFT, True)]
)
def test_submitted_time_matches_status(status, with_time):
    invitation = InvitationFactory()
    response = Response(
        invitation=invitation,
        status=status,
        submitted_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) if with_time else None,
    )
    assert_both_ways(response, response.save)


def test_rating_unique_per_response_and_precondition():
    rating = RatingFactory()
    dup = Rating(response=rating.response, precondition=rating.precondition, score=2)
    assert_both_ways(dup, dup.save)


@pytest.mark.parametrize("score", [0, 6])
def test_rating_score_between_1_and_5(score):
    response = ResponseFactory()
    rating = Rating(response=response, precondition=framework().preconditions.first(), score=score)
    assert_both_ways(rating, rating.save)


def test_rating_dont_know_is_an_empty_score():
    rating = RatingFactory(score=None)
    rating.full_clean()
    assert Rating.objects.get(pk=rating.pk).score is None


def test_rating_evidence_length_limited():
    response = ResponseFactory()
    rating = Rating(
        response=response,
        precondition=framework().preconditions.first(),
        score=3,
        evidence="x" * (EVIDENCE_MAX_LENGTH + 1),
    )
    assert_both_ways(rating, rating.save)


# history is protected --------------------------------------------------------------------------


def test_partner_with_answers_cannot_be_deleted():
    rating = RatingFactory()
    with pytest.raises(ProtectedError):
        rating.response.invitation.partner.delete()


def test_round_with_invitations_cannot_be_deleted():
    invitation = InvitationFactory()
    with pytest.raises(ProtectedError):
        invitation.round.delete()


def test_precondition_with_ratings_cannot_be_deleted():
    rating = RatingFactory()
    with pytest.raises(ProtectedError):
        rating.precondition.delete()
