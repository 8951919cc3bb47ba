"""Load the nine preconditions as version 1 of the default framework.

The item names are the framework's own vocabulary and are used verbatim. Every
other text here was written for Ninefold; a place licensed to use the report's
official wording can load it through the admin as a new framework version.
The texts live in this file (not imported) so that later edits elsewhere never
change what this migration did.
"""

from django.db import migrations

FRAMEWORK_NAME = "The nine preconditions for systems change"

SOURCE_CREDIT = (
    "Based on 'Behaving like a system? The preconditions for place-based systems change' "
    "by Sarah Billiald and La Toyah McAllister-Jones, Collaborate CIC with the Lankelly Chase "
    "Foundation, November 2015. The names of the nine preconditions are theirs; the "
    "descriptions in Ninefold are written in its own words."
)

DESCRIPTION = (
    "Nine conditions that make it more likely a place can change how its whole system works "
    "for people facing several problems at once. Four describe the shared vision; five "
    "describe how the people and organisations in the place behave."
)

GROUPS = [
    (
        "vision",
        "Vision",
        "How ambitious the system is, and whether that ambition actually steers the way it "
        "behaves, organises itself, delivers, learns and measures what it achieves.",
    ),
    (
        "behaviours",
        "Behaviours",
        "How the people and organisations in the place act towards each other, which decides "
        "whether change can take hold.",
    ),
]

SCALE = [
    (1, "Absent", "We see no sign of this in how the partnership works."),
    (2, "Emerging", "There are early or isolated signs, but they depend on a few people."),
    (3, "Developing", "It shows up in some places and some of the time, not yet consistently."),
    (4, "Established", "It is usual practice across most partners and most of the time."),
    (5, "Embedded", "It is simply how the place works, and it holds when people or plans change."),
]

# (code, group, verbatim name, summary, description, situation, in place, absent)
PRECONDITIONS = [
    (
        "A",
        "vision",
        "Beneficiary impact over organisation focus",
        "Partners judge success by what changes for people and the place, not for their own "
        "organisation.",
        "When partners decide what to do, the test they apply is the difference it makes to "
        "residents and the place as a whole. Budgets, targets and reputations of single "
        "organisations come second, and people are willing to work across boundaries when the "
        "outcome calls for it.",
        "Someone whose home no longer suits them needs to move.",
        "They explain what they need once, and are involved in picking a home that works for them.",
        "They are moved wherever there is a vacancy, even when it makes life harder, such as a "
        "flat high up with a lift that often breaks for someone who struggles with stairs.",
    ),
    (
        "B",
        "vision",
        "Citizen-centred: from concept to delivery",
        "People who use services shape decisions, design and delivery from the first idea onwards.",
        "The partnership keeps checking whether the people it serves are genuinely at the heart "
        "of what it decides, how services are designed, and how money flows, at every stage "
        "from the first idea to day-to-day delivery, rather than being consulted at the end.",
        "Someone who relies on several services knows better than anyone what would help.",
        "Their experience counts, and there are real routes for it to change what gets "
        "commissioned.",
        "Decisions follow the lowest price; what they know is ignored, and the service misses "
        "the point.",
    ),
    (
        "C",
        "vision",
        "Issues are acknowledged as systemic and requiring collaboration",
        "Partners agree early and honestly that the problem belongs to the whole system and "
        "needs them all.",
        "There is real, early agreement that the change the place wants cannot be delivered by "
        "any one organisation. Partners accept that the causes cut across their boundaries and "
        "that working together is the only way through.",
        "Someone needs help from several services at the same time.",
        "They tell their story once; services join up, reach out together and let them choose "
        "how to make contact.",
        "They are sent from one office to another, often far from home and at a cost they "
        "cannot afford, in the name of signposting.",
    ),
    (
        "D",
        "vision",
        "Grounded in place but open to new approaches",
        "Change starts from what the place already has, without being held back by habit.",
        "The place builds on its own people, networks and assets, but does not let familiar "
        "routines set the limits. It tries new things, learns from elsewhere and is willing to "
        "skip the usual routes when a better one appears.",
        "A parent leaves a violent home with their children and little else.",
        "Local help is there straight away, from food and meals to a safe bed, and nobody asks "
        "for the same details twice.",
        "The only help is miles from family and school, and moving away cuts them off from the "
        "support they had.",
    ),
    (
        "E",
        "behaviours",
        "Trusted partners: understand and adapt to each other's values",
        "Relationships are honest enough for partners to challenge and support each other.",
        "Partners know what matters to each other and adjust how they work because of it. They "
        "do not need identical values, but they trust each other enough to disagree openly and "
        "still pull together.",
        "A family with several needs is offered a personal budget.",
        "Appointments are coordinated, the family is asked which agency should lead, and one "
        "budget brings together care, health and children's services.",
        "Appointments pile up everywhere, agencies do not talk to each other, and the budget is "
        "too complicated to use.",
    ),
    (
        "F",
        "behaviours",
        "Strengths based: utilising the assets of people and place",
        "The system starts from what people and communities can do, not only from what they lack.",
        "Partners pay attention to the skills, relationships and resources of individuals and "
        "communities, and apply the same thinking to organisations and to the place, instead "
        "of describing everyone by their needs and deficits.",
        "Someone wants to help design or run the services they have used.",
        "What they can do is treated as an asset, and there are ways to share it and learn "
        "alongside others.",
        "No one ever asks what they could contribute.",
    ),
    (
        "G",
        "behaviours",
        "Distributed leadership: enabling, convening, fluid, no egos",
        "Leadership is shared across the system and shifts as the work changes.",
        "Leaders enable and convene rather than control. Coalitions form across the system "
        "instead of belonging to one person or organisation, and they change shape as the work "
        "moves on. Credit matters less than progress.",
        "A community group is worried that its local library may close.",
        "The council brings the group into planning early and welcomes the lead it offers.",
        "Decisions are taken behind closed doors and the consultation that follows is for show.",
    ),
    (
        "H",
        "behaviours",
        "Resilient and risk embracing: safe to fail, able to bounce back and learn",
        "Partners try things, learn from what fails and recover without burning out.",
        "It is safe to take a considered risk. Partners test ideas quickly, learn from what does "
        "not work and try again, and do this without draining the energy of individuals or of "
        "the partnership. This precondition strengthens all of the others.",
        "Someone has a setback months after their support ended.",
        "The team they knew is glad to help again, makes clear that setbacks happen, and plans "
        "the next steps with them.",
        "Once a case is closed nothing is offered, and they are made to feel like a problem.",
    ),
    (
        "I",
        "behaviours",
        "Able to let go: act as a platform for innovation",
        "Public bodies share control and make room for others to create and lead.",
        "Public servants behave less like administrators and more like enablers of new ideas: "
        "open to disruption, willing to hand over control, and ready to seed and back "
        "innovation by others rather than always delivering everything themselves.",
        "Someone out of work for a long time wants new skills, or to start a business.",
        "A locally run programme helps them build skills and contacts, and they begin to see "
        "themselves as someone who can make things happen.",
        "Opportunities are scarce and running a business is assumed to be beyond them.",
    ),
]


def load(apps, schema_editor):
    Framework = apps.get_model("preconditions", "Framework")
    PreconditionGroup = apps.get_model("preconditions", "PreconditionGroup")
    Precondition = apps.get_model("preconditions", "Precondition")
    ScaleLevel = apps.get_model("preconditions", "ScaleLevel")

    framework, _ = Framework.objects.get_or_create(
        name=FRAMEWORK_NAME,
        version=1,
        defaults={
            "description": DESCRIPTION,
            "source_credit": SOURCE_CREDIT,
            "is_default": not Framework.objects.filter(is_default=True).exists(),
        },
    )
    groups = {}
    for order, (code, name, description) in enumerate(GROUPS, start=1):
        groups[code], _ = PreconditionGroup.objects.get_or_create(
            framework=framework,
            code=code,
            defaults={"name": name, "description": description, "order": order},
        )
    for value, label, descriptor in SCALE:
        ScaleLevel.objects.get_or_create(
            framework=framework, value=value, defaults={"label": label, "descriptor": descriptor}
        )
    for order, row in enumerate(PRECONDITIONS, start=1):
        code, group, name, summary, description, situation, in_place, absent = row
        Precondition.objects.get_or_create(
            framework=framework,
            code=code,
            defaults={
                "group": groups[group],
                "name": name,
                "summary": summary,
                "description": description,
                "vignette_situation": situation,
                "vignette_in_place": in_place,
                "vignette_absent": absent,
                "order": order,
            },
        )


def unload(apps, schema_editor):
    Framework = apps.get_model("preconditions", "Framework")
    Framework.objects.filter(name=FRAMEWORK_NAME, version=1, rounds__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("preconditions", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
