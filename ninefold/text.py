"""Rules for text people type, shared by every app: one-line fields, names, spreadsheet safety.

- ``validate_one_line``: a name or title is one line. A line break in a place or round name
  ends up in email subjects, where Django refuses it (``BadHeaderError``), so every email
  naming it failed; tabs and other control characters are never meant either.
- ``validate_name``: a one-line field that is also not formula-like, for every name a person
  gives (place, round, partner, respondent, action).
- ``is_formula_like``: what a spreadsheet could run as a formula once exported. Spreadsheet
  programs skip leading spaces (any Unicode space) and control characters before deciding,
  so this does too; exports neutralise such cells whatever their origin (reports/exports.py).
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

# A cell whose first visible character is one of these is read as a formula; spreadsheets
# in East Asian locales also take the full-width forms.
FORMULA_CHARACTERS = frozenset("=+-@＝＋－＠")
# Tab and carriage return at the very start are also treated as formula starts (OWASP).
FORMULA_STARTS = ("\t", "\r")
_BLANK_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp"}


def is_blank(character: str) -> bool:
    """A character a spreadsheet skips before deciding whether a cell is a formula."""
    return character.isspace() or unicodedata.category(character) in _BLANK_CATEGORIES


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula."""
    if not text:
        return False
    if text.startswith(FORMULA_STARTS):
        return True
    for character in text:
        if not is_blank(character):
            return character in FORMULA_CHARACTERS
    return False


def control_characters_in(text: str) -> list[str]:
    """Control characters and line or paragraph separators in ``text``, as ``U+XXXX``."""
    found = []
    for character in text:
        if unicodedata.category(character) in {"Cc", "Zl", "Zp"}:
            code = f"U+{ord(character):04X}"
            if code not in found:
                found.append(code)
    return found


def validate_one_line(value: str) -> None:
    if control_characters_in(value or ""):
        raise ValidationError(
            "Write this on one line, without line breaks, tabs or other control characters.",
            code="control_characters",
        )


def validate_not_formula_like(value: str) -> None:
    if is_formula_like(value or ""):
        first = value.lstrip()[:1] or value[:1]
        raise ValidationError(
            f"Start with a letter or number, not '{first}': spreadsheets treat a cell that "
            "starts with it as a formula.",
            code="formula_like",
        )


def validate_name(value: str) -> None:
    """One rule for every name a person gives: one line, and not formula-like."""
    validate_one_line(value)
    validate_not_formula_like(value)


def text_limit(max_length: int) -> dict:
    """``max_length`` for a TextField, enforced by the model too (Django only passes a
    TextField's max_length to its form field): no free-text field is unlimited, or one
    pasted page of 2 MB makes every page that shows it 2 MB."""
    return {"max_length": max_length, "validators": [MaxLengthValidator(max_length)]}
