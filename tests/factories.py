"""factory_boy factories for the domain; they use the framework loaded by migration."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from accounts.models import User
from assessments.models import (
    EmailKind,
    Invitation,
    OutboxEmail,
    Perspective,
    Rating,
    Response,
    Round,
    RoundState,
    SendState,
)
from places.models import Membership, Partner, Place, Role, Sector
from preconditions.models import Framework


def default_framework() -> Framework:
    return Framework.objects.get(is_default=True)


# Real names carry apostrophes, hyphens and letters beyond ASCII, and pages HTML-escape the
# apostrophe. Every factory cycles through such names, so a test that compares a name with a
# page must compare the escaped text (``django.utils.html.escape``), on every run, not by luck.
PEOPLE = ("Mary O'Neill", "Siân Llewelyn-Jones", "Zoë Brontë", "Dafydd ap Gwilym", "Ada Okafor")
ORGANISATIONS = ("St Anne's Trust", "Cymdeithas Tai Ŵyl", "Café Réunion CIC", "Northside Health")


def person_name(n: int) -> str:
    return f"{PEOPLE[n % len(PEOPLE)]} {n}"


def organisation_name(n: int) -> str:
    return f"{ORGANISATIONS[n % len(ORGANISATIONS)]} {n}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(person_name)
    password = factory.django.Password("correct-horse-battery")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Llan-y-Môr & O'Hara's Place {n}")
    slug = factory.Sequence(lambda n: f"place-{n}")
    description = "A place invented for a test."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    place = factory.SubFactory(PlaceFactory)
    role = Role.LEAD


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    place = factory.SubFactory(PlaceFactory)
    name = factory.Sequence(organisation_name)
    sector = Sector.VOLUNTARY_COMMUNITY


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    place = factory.SubFactory(PlaceFactory)
    framework = factory.LazyFunction(default_framework)
    name = factory.Sequence(lambda n: f"Gwanwyn/Spring '{n % 100:02d} round {n}")
    purpose = "To see where we stand."
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=21))
    state = RoundState.OPEN


class InvitationFactory(factory.django.DjangoModelFactory):
    """Build with ``InvitationFactory()``; the raw token is left on ``invitation.token``."""

    class Meta:
        model = Invitation

    round = factory.SubFactory(RoundFactory)
    partner = factory.LazyAttribute(lambda o: PartnerFactory(place=o.round.place))
    name = factory.Sequence(person_name)
    email = factory.Sequence(lambda n: f"respondent{n}@example.org")
    perspective = Perspective.MANAGER
    token_hash = ""

    @classmethod
    def _create(
        cls,
        model_class,
        *args,
        sent_at=None,
        email_status=None,
        email_kind=EmailKind.INVITATION,
        email_error="",
        claimed_at=None,
        **kwargs,
    ):
        """``sent_at``: the invitation was emailed then (a sent outbox row). ``email_status``
        (with ``email_kind``, ``email_error``, ``claimed_at``): its newest email, one more row."""
        invitation = model_class(*args, **kwargs)
        token = invitation.set_new_token()
        invitation.save()
        invitation.token = token
        rows = []
        if sent_at is not None:
            rows.append(
                {"kind": EmailKind.INVITATION, "status": SendState.SENT, "sent_at": sent_at}
            )
        if email_status is not None:
            rows.append(
                {
                    "kind": email_kind,
                    "status": email_status,
                    "error": email_error,
                    "claimed_at": claimed_at,
                    "attempts": 0 if email_status == SendState.QUEUED else 1,
                    "sent_at": timezone.now() if email_status == SendState.SENT else None,
                }
            )
        for fields in rows:
            fields.setdefault("attempts", 1)
            OutboxEmail.objects.create(invitation=invitation, recipient=invitation.email, **fields)
        return invitation


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    invitation = factory.SubFactory(InvitationFactory)


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    response = factory.SubFactory(ResponseFactory)
    precondition = factory.LazyFunction(lambda: default_framework().preconditions.first())
    score = 3
    evidence = ""
