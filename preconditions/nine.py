"""Recognising the nine preconditions in any framework, by code *and* name.

The workshop's prompts and the PDF report's prompts both use this rule (decision 0071); it
lives here, under both, so that neither imports the other (decision 0083).
"""

from __future__ import annotations

# The framework's own names of the nine (its vocabulary), to recognise them in any framework.
NINE_NAMES = {
    "A": "Beneficiary impact over organisation focus",
    "B": "Citizen-centred: from concept to delivery",
    "C": "Issues are acknowledged as systemic and requiring collaboration",
    "D": "Grounded in place but open to new approaches",
    "E": "Trusted partners: understand and adapt to each other's values",
    "F": "Strengths based: utilising the assets of people and place",
    "G": "Distributed leadership: enabling, convening, fluid, no egos",
    "H": "Resilient and risk embracing: safe to fail, able to bounce back and learn",
    "I": "Able to let go: act as a platform for innovation",
}


def is_one_of_the_nine(code: str, name: str) -> bool:
    """Whether an item is one of the nine: its code *and* its name are theirs.

    Prompts written for the nine are keyed by their codes, and a code alone says nothing
    about another framework's item ("A" may be "Housing first" there). The workshop's and
    the PDF report's prompts both go through this one rule.
    """
    return NINE_NAMES.get(code, "").casefold() == name.strip().casefold()
