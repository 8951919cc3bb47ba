"""Create (or top up) the fictional demo place. Safe to run any number of times."""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from assessments.models import (
    Confidentiality,
    Invitation,
    Perspective,
    Rating,
    Response,
    ResponseStatus,
    Round,
    RoundState,
    hash_token,
)
from assessments.services.invitations import invitation_record_sent
from places import demo_content as content
from places.demo_history import Entry, at, record_history
from places.models import Membership, Partner, Place, Role
from preconditions.models import Framework

DEMO_PASSWORD = "harrowdene-demo"  # noqa: S105 - printed for the demo, never for real use
DEMO_USERS = [
    ("lead@example.org", "Lena Marsh", Role.LEAD),
    ("facilitator@example.org", "Femi Adebayo", Role.FACILITATOR),
    ("board@example.org", "Bridget Ormond", Role.BOARD),
]
PERSPECTIVES = [
    Perspective.SENIOR_LEADER,
    Perspective.MANAGER,
    Perspective.FRONTLINE,
    Perspective.COMMISSIONER,
]


def demo_token(round_name: str, email: str) -> str:
    """A stable token so the printed demo links survive re-running the command."""
    digest = hmac.new(b"ninefold-demo-links", f"{round_name}|{email}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:24]).decode().rstrip("=")


def _rounds(today: date) -> list[dict]:
    return [
        {
            "name": "Spring 2025 baseline",
            "purpose": "A first shared picture before the joint homelessness strategy is written.",
            "opens_on": date(2025, 3, 3),
            "closes_on": date(2025, 3, 28),
            "state": RoundState.CLOSED,
            "lift": 0.0,
            # One round in each mode: the baseline shows partners by name, later rounds are
            # confidential (docs/confidentiality.md).
            "confidentiality": Confidentiality.NAMED,
        },
        {
            "name": "Autumn 2025 review",
            "purpose": "Six months into the strategy: what has moved, and where do we still differ?",
            "opens_on": date(2025, 10, 6),
            "closes_on": date(2025, 10, 31),
            "state": RoundState.CLOSED,
            "lift": 0.45,
        },
        {
            "name": "Autumn 2026 check-in",
            "purpose": (
                "A check-in before the partnership board's away day, to decide where to "
                "put our shared effort next year."
            ),
            "opens_on": today - timedelta(days=14),
            "closes_on": today + timedelta(days=21),
            "state": RoundState.OPEN,
            "lift": 0.8,
        },
    ]


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def _band(score: int) -> str:
    return "low" if score <= 2 else "mid" if score == 3 else "high"


class Command(BaseCommand):
    help = "Create the fictional Harrowdene demo place, its rounds and demo users (idempotent)."

    def handle(self, *args, **options) -> None:
        framework = Framework.objects.filter(is_default=True).first()
        if framework is None:
            self.stderr.write("No default framework: run 'manage.py migrate' first.")
            raise SystemExit(1)
        with transaction.atomic():
            links = self._build(framework)
            # Answers went in with bulk_create (no signals): tell the report caches.
            Place.objects.filter(slug=content.PLACE["slug"]).bump_data_version()
        self._report(links)

    def _build(self, framework: Framework) -> list[tuple[str, str, str]]:
        today = timezone.localdate()
        place, _ = Place.objects.get_or_create(
            slug=content.PLACE["slug"],
            defaults={"name": content.PLACE["name"], "description": content.PLACE["description"]},
        )
        User = get_user_model()
        for email, full_name, role in DEMO_USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=DEMO_PASSWORD)
                user.full_name = full_name
                user.save(update_fields=["full_name"])
            Membership.objects.get_or_create(user=user, place=place, defaults={"role": role})
        if not User.objects.filter(email="admin@example.org").exists():
            User.objects.create_superuser(email="admin@example.org", password=DEMO_PASSWORD)

        partners: list[Partner] = []
        for name, sector, _archived in content.PARTNERS:
            partner, _ = Partner.objects.get_or_create(
                place=place, name=name, defaults={"sector": sector}
            )
            partners.append(partner)

        preconditions = list(framework.preconditions.order_by("order"))
        rng = random.Random(20151101)
        # A stable "true" profile per partner: where each stands on each precondition.
        profile = {
            partner.name: {p.code: rng.uniform(1.6, 3.6) for p in preconditions}
            for partner in partners
        }
        # People with lived experience see the citizen-facing preconditions less kindly.
        lived = profile["Voices of Harrowdene"]
        for code in ("A", "B", "F"):
            lived[code] = max(1.0, lived[code] - 0.9)

        links: list[tuple[str, str, str]] = []
        for spec in _rounds(today):
            rnd, _ = Round.objects.get_or_create(
                place=place,
                name=spec["name"],
                defaults={
                    "framework": framework,
                    "purpose": spec["purpose"],
                    "opens_on": spec["opens_on"],
                    "closes_on": spec["closes_on"],
                    "state": spec["state"],
                    "confidentiality": spec.get("confidentiality", Confidentiality.CONFIDENTIAL),
                    "closed_at": (
                        timezone.make_aware(datetime.combine(spec["closes_on"], time(18)))
                        if spec["state"] == RoundState.CLOSED
                        else None
                    ),
                },
            )
            is_open = spec["state"] == RoundState.OPEN
            for p_index, partner in enumerate(partners):
                archived = content.PARTNERS[p_index][2]
                if archived and is_open:
                    continue  # the archived partner took part in the earlier rounds only
                size = 1 + (p_index * 7 + len(spec["name"])) % 4
                for r_index in range(size):
                    first = content.FIRST_NAMES[(p_index * 5 + r_index * 3) % 30]
                    last = content.LAST_NAMES[(p_index * 3 + r_index * 7) % 22]
                    email = f"{first}.{last}.{p_index}{r_index}@example.org".lower()
                    perspective = (
                        Perspective.LIVED_EXPERIENCE
                        if partner.sector == "lived_experience"
                        else PERSPECTIVES[(p_index + r_index) % len(PERSPECTIVES)]
                    )
                    token = demo_token(rnd.name, email)
                    invitation, _ = Invitation.objects.get_or_create(
                        round=rnd,
                        email=email,
                        defaults={
                            "partner": partner,
                            "name": f"{first} {last}",
                            "perspective": perspective,
                            "token_hash": hash_token(token),
                        },
                    )
                    invitation_record_sent(
                        invitation=invitation,
                        at=timezone.make_aware(datetime.combine(spec["opens_on"], time(9))),
                    )
                    self._answer(
                        invitation,
                        spec,
                        profile[partner.name],
                        preconditions,
                        rng,
                        is_open,
                        links,
                        token,
                    )
        # Archived once the rounds are in: they answered the earlier rounds, not the open one.
        archived = [
            partner.pk
            for partner, (_name, _sector, is_archived) in zip(
                partners, content.PARTNERS, strict=True
            )
            if is_archived
        ]
        Partner.objects.filter(pk__in=archived, archived_at__isnull=True).update(
            archived_at=timezone.make_aware(datetime(2025, 12, 1, 12))
        )
        record_history(place, self._history(place, partners, today))
        return links

    def _history(self, place: Place, partners: list[Partner], today: date) -> list[Entry]:
        """What the lead did to set up and run the rounds above, as the services log it."""
        lead = get_user_model().objects.get(email=DEMO_USERS[0][0])
        specs = _rounds(today)
        start = specs[0]["opens_on"] - timedelta(days=21)
        entries = [Entry(at(start), lead, "place-created", f"Created {place.name}.")]
        entries += [
            Entry(
                at(start, 10, n),
                lead,
                "partner-added",
                f"Added partner {partner.name} ({partner.get_sector_display()}).",
            )
            for n, partner in enumerate(partners)
        ]
        counts = {r.name: r.invitations.count() for r in Round.objects.filter(place=place)}
        for spec in specs:
            name, opens, closes = spec["name"], spec["opens_on"], spec["closes_on"]
            invited = counts.get(name, 0)
            entries += [
                Entry(
                    at(opens - timedelta(days=7)),
                    lead,
                    "round-created",
                    f"Created the round “{name}” ({opens:%d %b %Y} to {closes:%d %b %Y}).",
                ),
                Entry(
                    at(opens - timedelta(days=2), 14),
                    lead,
                    "invitations-added",
                    f"Added {invited} respondents to the round “{name}” from a list.",
                ),
                Entry(at(opens, 8, 55), lead, "round-opened", f"Opened the round “{name}”."),
                Entry(
                    at(opens),
                    lead,
                    "invitations-sent",
                    f"Sent the invitation to {invited} people in the round “{name}”.",
                ),
            ]
            reminded = opens + timedelta(days=10)
            if reminded < min(closes, today):
                entries.append(
                    Entry(
                        at(reminded),
                        None,
                        "invitations-reminded",
                        f"Sent a reminder to everyone who had not submitted in the round “{name}”.",
                    )
                )
            if spec["state"] == RoundState.CLOSED:
                entries.append(
                    Entry(
                        at(closes, 18),
                        lead,
                        "round-closed",
                        f"Closed the round “{name}”; its answers are now final.",
                    )
                )
        archived = [p for p, row in zip(partners, content.PARTNERS, strict=True) if row[2]]
        entries += [
            Entry(
                timezone.make_aware(datetime(2025, 12, 1, 12)),
                lead,
                "partner-archived",
                f"Archived partner {partner.name}.",
            )
            for partner in archived
        ]
        return entries

    def _answer(self, invitation, spec, partner_profile, preconditions, rng, is_open, links, token):
        seed = int(
            hashlib.sha256(invitation.email.encode() + spec["name"].encode()).hexdigest()[:8], 16
        )
        person = random.Random(seed)
        roll = person.random()
        if is_open and roll < 0.2:
            links.append((invitation.name, invitation.partner.name, token))
            return  # not started yet
        draft = (is_open and roll < 0.35) or (not is_open and roll < 0.08)
        submitted_at = None
        if not draft:
            day = spec["opens_on"] + timedelta(days=person.randint(0, 12))
            submitted_at = timezone.make_aware(datetime.combine(day, time(person.randint(8, 19))))
        response, created = Response.objects.get_or_create(
            invitation=invitation,
            defaults={
                "status": ResponseStatus.DRAFT if draft else ResponseStatus.SUBMITTED,
                "submitted_at": submitted_at,
            },
        )
        if draft and is_open:
            links.append((invitation.name, invitation.partner.name, token))
        if not created:
            return
        answered = preconditions if not draft else preconditions[: person.randint(2, 6)]
        ratings = []
        for item in answered:
            if person.random() < 0.07:
                score = None
                evidence = ""
            else:
                score = _clamp(partner_profile[item.code] + spec["lift"] + person.gauss(0, 0.7))
                notes = content.EVIDENCE[item.code][_band(score)]
                evidence = person.choice(notes) if person.random() < 0.55 else ""
            ratings.append(
                Rating(response=response, precondition=item, score=score, evidence=evidence)
            )
        Rating.objects.bulk_create(ratings)

    def _report(self, links: list[tuple[str, str, str]]) -> None:
        self.stdout.write(self.style.SUCCESS("Demo place 'Harrowdene' is ready."))
        self.stdout.write(
            f"Sign in at {settings.SITE_URL}/accounts/sign-in/ with password "
            f"'{DEMO_PASSWORD}' as one of:"
        )
        for email, _name, role in DEMO_USERS:
            self.stdout.write(f"  {email:<26} {role.label}")
        self.stdout.write(f"  {'admin@example.org':<26} Site administrator (/admin/)")
        if links:
            self.stdout.write("Personal links of respondents who have not yet submitted:")
            for name, partner, token in links[:3]:
                self.stdout.write(f"  {name} ({partner}): {settings.SITE_URL}/r/{token}/")
        if settings.DEBUG and settings.EMAIL_BACKEND == "ninefold.mail.DevelopmentEmailBackend":
            self.stdout.write(
                "Emails (invitations, reminders) are not sent: they are printed in the terminal "
                f"running the server and listed at {settings.SITE_URL}/dev/emails/"
            )
