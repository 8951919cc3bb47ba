"""Add a past workshop and a network of places to the demo. Safe to run any number of times.

Runs ``manage.py demo`` first if the demo place is missing. Everything here is fictional.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from assessments.models import (
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
from networks.models import Network, NetworkPlace
from places.demo_history import Entry, at, record_history
from places.models import Membership, Partner, Place, Role
from preconditions.models import Framework, Precondition, PreconditionGroup
from preconditions.services import framework_copy_items
from workshop.models import Action, ActionStatus, AgreedView

DEMO_PASSWORD = "harrowdene-demo"  # noqa: S105 - printed for the demo, never for real use
NETWORK_VIEWER = "network@example.org"
NETWORK = {
    "slug": "vale-ics",
    "name": "Vale Integrated Care System",
    "description": "The integrated care system supporting the partnerships of the Vale.",
}
PAST_ROUND = "Autumn 2025 review"

# code -> (level or None, disagree, reasons)
AGREED = {
    "A": (
        3,
        False,
        "Most partners now test plans against residents' outcomes, but budgets still pull the other way.",
    ),
    "B": (
        None,
        True,
        "Voices of Harrowdene rated this far lower than organisations did; the room did not settle on a level and wants to hear more from people with lived experience.",
    ),
    "C": (3, False, "We name the problem as shared in meetings; less so in our own board papers."),
    "D": (4, False, "The town's community groups were the starting point of the hub pilot."),
    "E": (2, False, "Trust is good between some pairs of partners and thin between others."),
    "F": (
        3,
        False,
        "Strengths-based practice is spreading from the voluntary sector to the council's teams.",
    ),
    "G": (None, True, "Some felt leadership is shared; others that the council still decides."),
    "H": (2, False, "Nobody could name a failure we learned from in public."),
}
# (what, owner partner, due, status, note, linked codes)
ACTIONS = [
    (
        "Invite Voices of Harrowdene to co-chair the homelessness strategy group",
        "Harrowdene Borough Council",
        date(2026, 1, 31),
        ActionStatus.DONE,
        "Co-chair in post since January.",
        ["B", "G"],
    ),
    (
        "Hold a learning review of the hub pilot, including what did not work",
        "Harrowdene Homes",
        date(2026, 3, 31),
        ActionStatus.DONE,
        "Review shared with the board in April.",
        ["H"],
    ),
    (
        "Agree one shared outcome measure across the council, trust and police",
        "Vale Integrated Care Board",
        date(2026, 6, 30),
        ActionStatus.IN_PROGRESS,
        "Draft measure out for comment.",
        ["A", "C"],
    ),
    (
        "Pair frontline staff across organisations for joint visits",
        "Riverside Community Action",
        date(2026, 9, 30),
        ActionStatus.OPEN,
        "",
        ["E", "F"],
    ),
    (
        "Publish a joint risk appetite statement",
        "Eastmoor Police",
        date(2026, 5, 31),
        ActionStatus.DROPPED,
        "Folded into the ICS's own statement.",
        ["H", "I"],
    ),
]

# (slug, name, consent to share, consent to be named, lift, partners)
PLACES = [
    (
        "kelsey-vale",
        "Kelsey Vale",
        True,
        True,
        0.6,
        [
            "Kelsey Vale District Council",
            "Kelsey Community Health",
            "Kelsey Housing Co-operative",
            "Open Door Kelsey",
        ],
    ),
    (
        "ashbrook",
        "Ashbrook",
        True,
        False,
        -0.2,
        [
            "Ashbrook City Council",
            "Ashbrook Mental Health Trust",
            "Ashbrook Food Network",
            "Ashbrook Probation Hub",
        ],
    ),
    (
        "marlow-fen",
        "Marlow Fen",
        False,
        False,
        0.3,
        ["Marlow Fen Council", "Fenland Health Partnership", "Marlow Fen Tenants' Union"],
    ),
]
SECTORS = ["local_authority", "nhs", "housing", "voluntary_community"]


class Command(BaseCommand):
    help = "Add a past workshop and a network of three more places to the demo (idempotent)."

    def handle(self, *args, **options) -> None:
        if not Place.objects.filter(slug="harrowdene").exists():
            call_command("demo", stdout=self.stdout)
        framework = Framework.objects.get(is_default=True)
        with transaction.atomic():
            self._workshop(framework)
            self._network(framework)
            easy_read_link = demo_lived_experience_and_local_framework(framework)
            # Some answers went in with bulk_create (no signals): tell the report caches.
            Place.objects.filter(
                slug__in=["harrowdene", "marlow-fen", *(row[0] for row in PLACES)]
            ).bump_data_version()
        self.stdout.write(self.style.SUCCESS("Demo extras are ready."))
        self.stdout.write(f"  Easy-read form (lived experience): {easy_read_link}")
        self.stdout.write(
            f"  {NETWORK_VIEWER:<26} Network viewer of {NETWORK['name']} (password '{DEMO_PASSWORD}')"
        )

    def _workshop(self, framework: Framework) -> None:
        place = Place.objects.get(slug="harrowdene")
        round_ = Round.objects.get(place=place, name=PAST_ROUND)
        facilitator = get_user_model().objects.filter(email="facilitator@example.org").first()
        items = {p.code: p for p in framework.preconditions.all()}
        for code, (level, disagree, reasons) in AGREED.items():
            AgreedView.objects.get_or_create(
                round=round_,
                precondition=items[code],
                defaults={
                    "level": level,
                    "disagree": disagree,
                    "reasons": reasons,
                    "recorded_by": facilitator,
                },
            )
        for what, owner, due, status, note, codes in ACTIONS:
            action, created = Action.objects.get_or_create(
                place=place,
                round=round_,
                what=what,
                defaults={
                    "owner": Partner.objects.get(place=place, name=owner),
                    "due_on": due,
                    "status": status,
                    "status_note": note,
                    "created_by": facilitator,
                },
            )
            if created:
                action.preconditions.set([items[c] for c in codes])
        record_history(place, _workshop_history(round_, facilitator))

    def _network(self, framework: Framework) -> None:
        User = get_user_model()
        network, _ = Network.objects.get_or_create(
            slug=NETWORK["slug"],
            defaults={"name": NETWORK["name"], "description": NETWORK["description"]},
        )
        viewer = User.objects.filter(email=NETWORK_VIEWER).first()
        if viewer is None:
            viewer = User.objects.create_user(email=NETWORK_VIEWER, password=DEMO_PASSWORD)
            viewer.full_name = "Nadia Whitlock"
            viewer.save(update_fields=["full_name"])
        network.members.add(viewer)
        # Harrowdene is asked too but has not answered: its lead can try the consent page.
        NetworkPlace.objects.get_or_create(
            network=network, place_id=Place.objects.get(slug="harrowdene").pk
        )

        items = list(framework.preconditions.order_by("order"))
        for slug, name, share, named, lift, partner_names in PLACES:
            place, _ = Place.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "description": f"A fictional place in the Vale: {name}."},
            )
            lead = User.objects.filter(email=f"lead.{slug}@example.org").first()
            if lead is None:
                lead = User.objects.create_user(
                    email=f"lead.{slug}@example.org", password=DEMO_PASSWORD
                )
            Membership.objects.get_or_create(user=lead, place=place, defaults={"role": Role.LEAD})
            partners = [
                Partner.objects.get_or_create(
                    place=place, name=partner_name, defaults={"sector": SECTORS[i % len(SECTORS)]}
                )[0]
                for i, partner_name in enumerate(partner_names)
            ]
            round_, _ = Round.objects.get_or_create(
                place=place,
                name="Summer 2026 diagnostic",
                defaults={
                    "framework": framework,
                    "purpose": "A first diagnostic before joining the Vale's shared learning programme.",
                    "opens_on": date(2026, 6, 1),
                    "closes_on": date(2026, 6, 30),
                    "state": RoundState.CLOSED,
                    "closed_at": timezone.make_aware(datetime(2026, 6, 30, 18)),
                },
            )
            self._answers(round_, partners, items, lift, slug)
            np, created = NetworkPlace.objects.get_or_create(network=network, place=place)
            if created and share:
                np.consent_share = True
                np.consent_named = named
                np.consented_by = lead
                np.consented_at = timezone.make_aware(datetime(2026, 7, 6, 10))
                np.save()
            if share:
                shown = "shares its figures, by name" if named else "shares its figures, anonymised"
                record_history(
                    place,
                    [
                        Entry(
                            timezone.make_aware(datetime(2026, 7, 6, 10)),
                            lead,
                            "network-consent",
                            f"In {network.name} the place now {shown}.",
                        )
                    ],
                )

    def _answers(self, round_, partners, items, lift, slug) -> None:
        rng = random.Random(slug)
        submitted = timezone.make_aware(datetime.combine(round_.opens_on, time(11)))
        for p_index, partner in enumerate(partners):
            stance = {item.code: rng.uniform(1.8, 3.6) + lift for item in items}
            for r_index in range(3):
                email = f"respondent.{p_index}{r_index}@{slug}.example.org"
                invitation, _ = Invitation.objects.get_or_create(
                    round=round_,
                    email=email,
                    defaults={
                        "partner": partner,
                        "name": f"Respondent {p_index}{r_index}",
                        "perspective": [
                            Perspective.SENIOR_LEADER,
                            Perspective.MANAGER,
                            Perspective.FRONTLINE,
                        ][r_index],
                        "token_hash": hash_token(f"demo-extras|{slug}|{email}"),
                    },
                )
                invitation_record_sent(invitation=invitation, at=submitted)
                if r_index == 2 and p_index % 2:
                    continue  # some people never answered, so response rates differ
                response, created = Response.objects.get_or_create(
                    invitation=invitation,
                    defaults={"status": ResponseStatus.SUBMITTED, "submitted_at": submitted},
                )
                if not created:
                    continue
                person = random.Random(f"{slug}|{email}")
                Rating.objects.bulk_create(
                    Rating(
                        response=response,
                        precondition=item,
                        score=max(1, min(5, round(stance[item.code] + person.gauss(0, 0.6)))),
                    )
                    for item in items
                )


# ============================================================================================
# Lived experience in Harrowdene's open round, and a local version of the nine
# ============================================================================================

LIVED_ROUND_STATE = RoundState.OPEN
# (name, scores by code: lower than organisations on the citizen-facing items, a note or two)
LIVED_PEOPLE = [
    (
        "Dee Marsh",
        {"A": 2, "B": 1, "C": 2, "D": 3, "E": 2, "F": 2, "G": 2, "H": 2, "I": 1},
        {"B": "Nobody asked us before the hub opened. We heard about it on the bus."},
    ),
    (
        "Tomasz Nowak",
        {"A": 2, "B": 2, "C": 3, "D": 3, "E": None, "F": 2, "G": 2, "H": 1, "I": 2},
        {"F": "They see my problems, not what I can do. I ran a team before I was ill."},
    ),
    (
        "Ruth Adeyemi",
        {"A": 3, "B": 2, "C": 2, "D": 4, "E": 3, "F": 3, "G": 2, "H": 2, "I": 2},
        {"D": "The community pantry is brilliant and it was started by mums, not the council."},
    ),
]
EASY_READ_PERSON = "Lou Fenwick"  # invited, not answered: the printed link opens the form
EASY_READ_TOKEN = "demo-lived-experience-easy-read-harrowdene"  # noqa: S105 - demo only

LOCAL_FRAMEWORK = "Marlow Fen local version of the nine"
LOCAL_GROUP = (
    "fens",
    "Our fens",
    "Two questions the Marlow Fen partnership added for its villages.",
)
LOCAL_ITEMS = [
    (
        "J",
        "Villages are not left out",
        "Decisions and services reach the small villages as well as the town.",
        "Do services reach the villages, not only the town?",
    ),
    (
        "K",
        "Help reaches people without a car",
        "People can get to help, or help comes to them, without needing a car.",
        "Can you get help if you do not have a car?",
    ),
]
LOCAL_ROUND = "Autumn 2026 local check-in"


def demo_lived_experience_and_local_framework(nine: Framework) -> str:
    """Add lived experience and a local framework to the demo; returns the easy-read link to print. Idempotent."""
    _demo_lived_experience(nine)
    _demo_local_framework(nine)
    from assessments.emails import respondent_link

    return respondent_link(EASY_READ_TOKEN)


def _demo_lived_experience(nine: Framework) -> None:
    place = Place.objects.get(slug="harrowdene")
    round_ = (
        Round.objects.filter(place=place, state=LIVED_ROUND_STATE).order_by("-opens_on").first()
    )
    voices = Partner.objects.filter(place=place, name="Voices of Harrowdene").first()
    if round_ is None or voices is None:
        return
    items = {p.code: p for p in round_.framework.preconditions.all()}
    submitted = timezone.make_aware(datetime.combine(round_.opens_on, time(15)))
    for n, (name, scores, notes) in enumerate(LIVED_PEOPLE):
        email = f"lived.{n}@voices-harrowdene.example.org"
        invitation, _ = Invitation.objects.get_or_create(
            round=round_,
            email=email,
            defaults={
                "partner": voices,
                "name": name,
                "perspective": Perspective.LIVED_EXPERIENCE,
                "token_hash": hash_token(f"demo-lived-experience-{n}-harrowdene"),
            },
        )
        invitation_record_sent(invitation=invitation, at=submitted)
        response, created = Response.objects.get_or_create(
            invitation=invitation,
            defaults={"status": ResponseStatus.SUBMITTED, "submitted_at": submitted},
        )
        if created:
            Rating.objects.bulk_create(
                Rating(
                    response=response,
                    precondition=items[code],
                    score=score,
                    evidence=notes.get(code, ""),
                )
                for code, score in scores.items()
                if code in items
            )
    easy_read, _ = Invitation.objects.get_or_create(
        round=round_,
        email="lou.fenwick@voices-harrowdene.example.org",
        defaults={
            "partner": voices,
            "name": EASY_READ_PERSON,
            "perspective": Perspective.LIVED_EXPERIENCE,
            "token_hash": hash_token(EASY_READ_TOKEN),
        },
    )
    invitation_record_sent(invitation=easy_read, at=submitted)


def _demo_local_framework(nine: Framework) -> None:
    """The nine plus two local questions, used by a closed round of Marlow Fen."""
    place = Place.objects.filter(slug="marlow-fen").first()
    if place is None:
        return
    local, created = Framework.objects.get_or_create(
        name=LOCAL_FRAMEWORK,
        version=1,
        defaults={
            "description": "The nine preconditions with two questions about rural life added.",
            "source_credit": nine.source_credit
            + " Questions J and K were written by the Marlow Fen partnership.",
        },
    )
    if created:
        groups = framework_copy_items(source=nine, target=local)
        code, name, description = LOCAL_GROUP
        groups[code] = PreconditionGroup.objects.create(
            framework=local, code=code, name=name, description=description, order=len(groups) + 1
        )
        Precondition.objects.bulk_create(
            Precondition(
                framework=local,
                group=groups[LOCAL_GROUP[0]],
                code=item_code,
                name=item_name,
                summary=summary,
                easy_read_summary=easy,
                order=20 + n,
            )
            for n, (item_code, item_name, summary, easy) in enumerate(LOCAL_ITEMS)
        )
    round_, _ = Round.objects.get_or_create(
        place=place,
        name=LOCAL_ROUND,
        defaults={
            "framework": local,
            "purpose": "The nine again, with two questions about life in the villages.",
            "opens_on": date(2026, 9, 7),
            "closes_on": date(2026, 10, 2),
            "state": RoundState.CLOSED,
            "closed_at": timezone.make_aware(datetime(2026, 10, 2, 18)),
        },
    )
    partners = list(Partner.objects.filter(place=place).order_by("name"))
    items = list(round_.framework.preconditions.order_by("order"))
    Command()._answers(round_, partners, items, 0.4, f"{place.slug}-local")


def _workshop_history(round_: Round, facilitator) -> list[Entry]:
    """The workshop as workshop.services logs it: agreed views, actions, later progress."""
    day = round_.closes_on + timedelta(days=14)
    entries = []
    for n, (code, (level, disagree, _)) in enumerate(AGREED.items()):
        shown = "we disagree" if disagree else (f"level {level}" if level else "no view yet")
        entries.append(
            Entry(
                at(day, 10, n * 5),
                facilitator,
                "workshop-view-recorded",
                f"Agreed view of {code} in {round_.name}: {shown}.",
            )
        )
    today = timezone.localdate()
    for n, (what, _owner, due, status, _note, _codes) in enumerate(ACTIONS):
        entries.append(
            Entry(at(day, 12, n), facilitator, "workshop-action-added", f"Action agreed: {what}")
        )
        if status != ActionStatus.OPEN:
            entries.append(
                Entry(
                    at(min(due, today) - timedelta(days=3), 11),
                    facilitator,
                    "workshop-action-status",
                    f"Action '{what}' is now {ActionStatus(status).label.lower()}.",
                )
            )
    return entries
