"""Questions a facilitator can put to the room, one set per precondition of the nine.

Written for Ninefold in plain words. An item gets its own set only when both its code and its
(verbatim) name are one of the nine's, so that a local version of the nine keeps them while
another framework's "A" does not inherit questions about something else; every other item
gets the generic set.
"""

from __future__ import annotations

from preconditions.nine import is_one_of_the_nine

GENERIC = [
    "Where do the scores surprise you, and why?",
    "What would someone who rated this lowest want the rest of the room to hear?",
    "What is one piece of evidence we would all accept?",
    "What would need to be true for this to be one level higher next year?",
]

PROMPTS: dict[str, list[str]] = {
    "A": [
        "When did we last change a plan because of what it meant for residents rather than for one organisation?",
        "Which of our own targets pull us away from the difference we want for people?",
        "How would a resident tell whether we judge success by their lives or by our outputs?",
    ],
    "B": [
        "Who among the people who use services was in the room when our last big decision was made?",
        "Did people with lived experience rate this differently from organisations? What do they see that we do not?",
        "Where does involvement start: at the idea, at the design, or only at the consultation?",
    ],
    "C": [
        "Do we describe the problem as ours together, or as someone else's that we help with?",
        "Which issue have we each tried to fix alone that only moves if we all change?",
        "What would it cost each of us to say out loud that the system produces this outcome?",
    ],
    "D": [
        "What does this place already have that we keep overlooking?",
        "Which habit or 'the way it is done here' stops us trying something new?",
        "Where have we borrowed an idea from elsewhere and made it fit here?",
    ],
    "E": [
        "Could any partner here challenge another in public without it costing the relationship?",
        "Where do our values differ, and how do we work with that rather than around it?",
        "What would help the partner who rated this lowest to trust the rest of us more?",
    ],
    "F": [
        "Do our services start from what people can do, or from what they lack?",
        "Which community strengths did we count the last time we planned a service?",
        "Where have we replaced something a community already did well?",
    ],
    "G": [
        "Who leads when the work changes shape, and how is that decided?",
        "Whose permission do people wait for before acting, and why?",
        "When did someone step back so that another partner could lead?",
    ],
    "H": [
        "What was the last thing we tried that did not work, and what did we learn from it together?",
        "Is it safe for a frontline worker to say a pilot is failing?",
        "How do we look after the people who carry the risk when things go wrong?",
    ],
    "I": [
        "What have the public bodies here handed over to others to run or decide?",
        "Where are we holding on to control because it feels safer rather than because it works better?",
        "Which idea from a community group did we make room for, and what happened to it?",
    ],
}


def prompts_for(code: str, name: str | None = None) -> list[str]:
    """The prompts for one of the nine, or the generic set for any other item.

    Without a name the code alone decides (kept for callers that only know the code).
    """
    if name is not None and not is_one_of_the_nine(code, name):
        return GENERIC
    return PROMPTS.get(code, GENERIC)
