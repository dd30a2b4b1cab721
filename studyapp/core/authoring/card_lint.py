"""Warnings about a card that is valid but likely to study badly."""

from __future__ import annotations

import re

from studyapp.core.model import CardSpec, CardType

LONG_FRONT = 250
LONG_BACK = 300
SHORT_QUOTE = 15
LONG_DELETION_WORDS = 8
_DELETION = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}", re.DOTALL)


def lint_card(card: CardSpec) -> list[tuple[str, str]]:
    """(field, warning) pairs for a card that passes validation.

    Fields are the card editor's: front, back, cloze, tags, quote.
    """
    warnings: list[tuple[str, str]] = []
    if len(card.front) > LONG_FRONT:
        warnings.append(
            (
                "front",
                f"the question is {len(card.front)} characters; "
                "long questions are hard to answer from memory (split it?)",
            )
        )
    if len(card.back) > LONG_BACK and card.type is not CardType.CLOZE:
        warnings.append(
            (
                "back",
                f"the answer is {len(card.back)} characters; "
                "one fact per card is easier to recall",
            )
        )
    answer = card.back.strip().rstrip(".").lower()
    if (
        len(answer) >= 4
        and card.type is CardType.BASIC
        and answer in card.front.lower()
    ):
        warnings.append(("front", "the question contains its own answer"))
    for deletion in _DELETION.findall(card.cloze):
        if len(deletion.split()) > LONG_DELETION_WORDS:
            warnings.append(
                (
                    "cloze",
                    f"the deletion '{deletion[:40]}…' hides more than "
                    f"{LONG_DELETION_WORDS} words",
                )
            )
    for tag in card.tags:
        if any(ch.isspace() for ch in tag):
            warnings.append(("tags", f"tag '{tag}' has a space; Anki splits it"))
    if card.source is not None and 0 < len(card.source.quote) < SHORT_QUOTE:
        warnings.append(("quote", "a quote this short may not point at one passage"))
    return warnings
