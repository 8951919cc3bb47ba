"""Pictures for the easy-read form: one per item of the nine and one per scale level.

Easy-read guidance puts a picture beside each idea. The pictures are Ninefold's own simple
SVGs (static/img/easy-read/); an item's picture has a text alternative that says what it shows,
a level's is named by the words beside it. Items are
pictured only in the default framework (any version): a custom framework's item "A" may mean
something else, so its items go without a picture rather than with a wrong one. The scale
pictures are four rising bars, more of them filled for more (not circles, which would look like
the radio buttons beside them); they fit any five-level scale. Decision 0025.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_FRAMEWORK_NAME = "The nine preconditions for systems change"


@dataclass(frozen=True)
class Picture:
    path: str  # under static/
    alt: str


ITEM_PICTURES = {
    "A": Picture("img/easy-read/item-A.svg", "Picture: a person, with a heart above them."),
    "B": Picture("img/easy-read/item-B.svg", "Picture: a person speaking."),
    "C": Picture("img/easy-read/item-C.svg", "Picture: three people holding hands."),
    "D": Picture("img/easy-read/item-D.svg", "Picture: a light bulb, for a new idea."),
    "E": Picture("img/easy-read/item-E.svg", "Picture: two people talking."),
    "F": Picture("img/easy-read/item-F.svg", "Picture: a person with a star."),
    "G": Picture("img/easy-read/item-G.svg", "Picture: four people in a circle."),
    "H": Picture("img/easy-read/item-H.svg", "Picture: a small plant and an arrow going round."),
    "I": Picture("img/easy-read/item-I.svg", "Picture: an open door, and a person going in."),
}

# A level's picture sits inside the answer's label (or beside "You said: …"), whose words are
# its text alternative: an alt of its own would make a screen reader say "two bars filled
# in" before every answer. So these are marked decorative (alt="").
LEVEL_PICTURES = {
    1: Picture("img/easy-read/level-1.svg", ""),  # four rising bars, none filled in
    2: Picture("img/easy-read/level-2.svg", ""),  # one filled in
    3: Picture("img/easy-read/level-3.svg", ""),  # two filled in
    4: Picture("img/easy-read/level-4.svg", ""),  # three filled in
    5: Picture("img/easy-read/level-5.svg", ""),  # all four filled in
}

DONT_KNOW_PICTURE = Picture("img/easy-read/dont-know.svg", "")  # a question mark


def item_picture(framework_name: str, code: str) -> Picture | None:
    if framework_name != DEFAULT_FRAMEWORK_NAME:
        return None
    return ITEM_PICTURES.get(code)


def level_picture(value: int) -> Picture | None:
    return LEVEL_PICTURES.get(value)
