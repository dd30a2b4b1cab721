"""Cloze deletions in Anki's syntax: {{c1::answer}} or {{c1::answer::hint}}."""

from __future__ import annotations

import re

# At most three digits: Anki numbers deletions from 1, and a number like
# c100000000000000000000 would overflow a card's ordinal in SQLite.
MAX_CLOZE_DIGITS = 3
_CLOZE = re.compile(r"\{\{c(\d{1,3})::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


def cloze_numbers(text: str) -> list[int]:
    """The distinct deletion numbers in ``text``, ascending."""
    return sorted({int(match.group(1)) for match in _CLOZE.finditer(text)})


def cloze_front(text: str, number: int) -> str:
    """The prompt for deletion ``number``: it is blanked, the others shown."""

    def replace(match: re.Match[str]) -> str:
        if int(match.group(1)) != number:
            return match.group(2)
        hint = match.group(3)
        return f"[{hint}]" if hint else "[...]"

    return _CLOZE.sub(replace, text)


def cloze_back(text: str, number: int, *, mark: str = "<b>{}</b>") -> str:
    """The answer for deletion ``number``: it is filled in and marked."""

    def replace(match: re.Match[str]) -> str:
        if int(match.group(1)) != number:
            return match.group(2)
        return mark.format(match.group(2))

    return _CLOZE.sub(replace, text)


def cloze_answers(text: str, number: int) -> list[str]:
    """The hidden texts of deletion ``number`` (one deletion may appear twice)."""
    return [m.group(2) for m in _CLOZE.finditer(text) if int(m.group(1)) == number]


def strip_cloze(text: str) -> str:
    """The text with every deletion filled in and unmarked."""
    return _CLOZE.sub(lambda match: match.group(2), text)
