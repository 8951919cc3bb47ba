"""Fictional content for the demo place. Harrowdene and everyone in it are invented."""

PLACE = {
    "slug": "harrowdene",
    "name": "Harrowdene",
    "description": (
        "A fictional market town and its surrounding villages, where partners are working "
        "together on support for people facing homelessness, addiction and offending at once."
    ),
}

# (name, sector, archived)
PARTNERS = [
    ("Harrowdene Borough Council", "local_authority", False),
    ("Harrowdene and Vale NHS Foundation Trust", "nhs", False),
    ("Vale Integrated Care Board", "nhs", False),
    ("Eastmoor Police", "police_justice", False),
    ("Vale Probation Delivery Unit", "probation", False),
    ("Harrowdene Homes", "housing", False),
    ("Riverside Community Action", "voluntary_community", False),
    ("The Lantern Recovery Centre", "voluntary_community", False),
    ("Harrowdene College", "education", False),
    ("Harrowdene Chamber of Commerce", "business", False),
    ("Voices of Harrowdene", "lived_experience", False),
    ("Northgate Youth Trust", "voluntary_community", True),
]

FIRST_NAMES = [
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Efua",
    "Finn",
    "Grace",
    "Hamza",
    "Isla",
    "Jonah",
    "Kiran",
    "Leah",
    "Marek",
    "Nadia",
    "Owen",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tess",
    "Usman",
    "Vera",
    "Wes",
    "Yara",
    "Zac",
    "Alys",
    "Bilal",
    "Cerys",
    "Dara",
    "Elif",
]
LAST_NAMES = [
    "Adeyemi",
    "Brook",
    "Carter",
    "Dunmore",
    "Ellery",
    "Fox",
    "Gill",
    "Hart",
    "Iqbal",
    "Jones",
    "Khan",
    "Lowe",
    "Mensah",
    "Novak",
    "Okafor",
    "Price",
    "Reid",
    "Shah",
    "Turner",
    "Vaughan",
    "Walsh",
    "Yates",
]

# Evidence notes by precondition and band: "low" (1-2), "mid" (3), "high" (4-5).
EVIDENCE = {
    "A": {
        "low": [
            "Each agency still reports on its own targets at the board; nobody owns the shared ones.",
            "We argued for weeks about whose budget the hospital discharge flat should come from.",
        ],
        "mid": [
            "The housing-first pilot was judged on tenancies kept, which was new, but only there.",
            "Better than last year: outcome measures are now in the joint plan, if not in contracts.",
        ],
        "high": [
            "Partners agreed to pool the rough sleeping money and report one set of outcomes.",
            "We dropped our own waiting-list target when it was clearly pushing people away.",
        ],
    },
    "B": {
        "low": [
            "People with lived experience are invited to comment once the specification is written.",
            "The last tender was scored 70 per cent on price; nobody who uses the service was on the panel.",
        ],
        "mid": [
            "Voices of Harrowdene now co-chairs the design group, but commissioning still happens elsewhere.",
            "Two peer researchers were paid for the needs assessment; it is not yet standard.",
        ],
        "high": [
            "The recovery service was redesigned with people in recovery from the first workshop.",
            "Panel members sat on the evaluation of every bid this year and their scores counted.",
        ],
    },
    "C": {
        "low": [
            "Most partners still describe repeat homelessness as a housing problem.",
            "Referrals bounce between services; each one says the person is someone else's.",
        ],
        "mid": [
            "The joint outreach team is a start, though each partner still has its own front door.",
            "The board agreed the problem is shared, but the action plan is mostly council actions.",
        ],
        "high": [
            "The single assessment means people tell their story once and services come to them.",
            "Police, probation and health sit in one daily meeting about the same twenty people.",
        ],
    },
    "D": {
        "low": [
            "Ideas from other towns are dismissed with 'it would not work here'.",
            "We keep recommissioning the same model because it is what the system knows.",
        ],
        "mid": [
            "Community hubs in two villages are promising; the town centre still works the old way.",
            "We visited another area's crisis café and are cautiously trying a version of it.",
        ],
        "high": [
            "The food network, the refuge and the college run a joint offer that started in a church hall.",
            "We tried a weekend drop-in nobody thought would work, and it is now the busiest session.",
        ],
    },
    "E": {
        "low": [
            "Meetings are polite, but the real conversations happen in corridors afterwards.",
            "There is still resentment about how the last restructure was handled.",
        ],
        "mid": [
            "Frontline staff trust each other far more than their organisations do.",
            "We can disagree in the steering group now, which would not have happened two years ago.",
        ],
        "high": [
            "When the police challenged our discharge practice we took it as help, not an attack.",
            "Families are asked which agency should lead and the others follow that choice.",
        ],
    },
    "F": {
        "low": [
            "Our forms are all about needs and risks; there is nowhere to record what people can do.",
            "Community groups are treated as places to refer people to, not as partners.",
        ],
        "mid": [
            "The peer mentor scheme shows what is possible, but it is small and fragile.",
            "Asset mapping happened in two wards; nobody has used the results yet.",
        ],
        "high": [
            "People who used the service now run the welcome desk and train new staff.",
            "Grants to small community groups are decided by residents, not officers.",
        ],
    },
    "G": {
        "low": [
            "Everything waits for the chief executive's sign-off.",
            "The partnership is seen as the council's partnership, chaired and staffed by the council.",
        ],
        "mid": [
            "The chair now rotates, and the voluntary sector led the last two sessions.",
            "Leadership is shared at the top table, less so in the operational groups.",
        ],
        "high": [
            "The library campaign group was brought into the planning before any decision was made.",
            "Whoever is best placed takes the lead on each piece of work, whatever their grade.",
        ],
    },
    "H": {
        "low": [
            "After the pilot was cut, nobody wanted to talk about what went wrong.",
            "Staff are exhausted; there is no capacity to try anything new.",
        ],
        "mid": [
            "We held a 'what we learned' session after the failed app, which was a first.",
            "Some managers back small experiments; others still want a business case for everything.",
        ],
        "high": [
            "Closed cases can come back to the same worker without a new referral.",
            "We stopped the text reminder trial after six weeks, wrote up why, and tried a better one.",
        ],
    },
    "I": {
        "low": [
            "We fund projects only if we can control how they are delivered.",
            "Procurement rules are used as the reason not to work with small local groups.",
        ],
        "mid": [
            "The council let a community group run the old depot, with strings attached.",
            "The enterprise programme is good, but it is still designed and run by the council.",
        ],
        "high": [
            "The back-to-work programme is run by local people, with the council providing space and data.",
            "We handed the youth budget to a panel of young people and only advise.",
        ],
    },
}
