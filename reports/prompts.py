"""Conversation prompts printed on each precondition's page of the PDF report.

Written for Ninefold, in its own words, for the nine preconditions. They are keyed by the
nine's codes, and an item gets them only when it *is* one of the nine: its code and its name
are theirs (``preconditions.nine.is_one_of_the_nine``, the rule the workshop's prompts follow
too; decision 0071). So a local version of the nine keeps them, while another framework's
item "A" gets the generic prompts, as does any other item: a report never has an empty
prompt box.
"""

from __future__ import annotations

from preconditions.nine import is_one_of_the_nine

PROMPTS: dict[str, list[str]] = {
    "A": [
        "Think of a decision made this year that cost one partner but helped residents. "
        "What made it possible, and could it happen again?",
        "Which of our shared measures would a resident recognise as mattering to them?",
        "Where do our organisations' own targets still pull against what the place needs?",
    ],
    "B": [
        "At what point in our last piece of commissioning did people who use services first "
        "have a say, and could it have been earlier?",
        "Whose experience is missing from the evidence behind these ratings?",
        "What would have to change for someone with lived experience to sit on the board "
        "as an equal, not as a guest?",
    ],
    "C": [
        "Which problem do we still treat as one organisation's job although none of us can "
        "solve it alone?",
        "Where does a person still have to tell their story more than once, and who could "
        "join up to stop that?",
    ],
    "D": [
        "What does this place already have (people, groups, buildings, habits) that we have "
        "not yet built on?",
        "Which 'that's how we do things here' has quietly stopped a good idea in the last year?",
        "Where could we try something we have never tried, on a small scale, within three months?",
    ],
    "E": [
        "Where did a partner last challenge another openly, and how was it received?",
        "Which partner's way of working do we understand least, and who could help us "
        "understand it?",
        "What would make it safer to say 'we disagree' in this room?",
    ],
    "F": [
        "When we describe our residents, do we start from what they can do or from what they lack?",
        "Which community strength have we measured, funded or celebrated lately?",
    ],
    "G": [
        "Who convenes us, and what would happen if they stepped back for a while?",
        "Which piece of work is led by someone without a senior title, and how do we back them?",
        "Where is leadership held too tightly by one organisation, and what could we hand on?",
    ],
    "H": [
        "What have we stopped doing after a pilot failed, and what did we learn from it?",
        "Is it safe for a frontline worker to say that something is not working? How do we know?",
        "What is the risk of doing nothing on the issue we care most about?",
    ],
    "I": [
        "Where could a public body act as a platform for others rather than the deliverer?",
        "Which idea from outside the usual partners did we back this year, and how?",
        "What control would we find hardest to share, and why?",
    ],
}

GENERIC: list[str] = [
    "What have you seen that made you rate this as you did?",
    "Where do partners' views differ most here, and what might explain it?",
    "What one step in the next six months would move this forward?",
]


def prompts_for(code: str, name: str) -> list[str]:
    """The prompts for one of the nine (code and name), or the generic ones for any other item."""
    if not is_one_of_the_nine(code, name):
        return GENERIC
    return PROMPTS.get(code, GENERIC)
