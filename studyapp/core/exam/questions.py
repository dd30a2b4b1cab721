"""Exam questions: their types, how a response is graded and read back."""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass

from studyapp.core.decks.richtext import to_plain_text
from studyapp.core.exam.grading import grade_typed
from studyapp.core.model import CardKind, SourceAnchor

LETTERS = "ABCDEFGHIJ"  # how options are named and answered
TYPO_EVERY = 6  # one typo forgiven per this many letters of the answer
_DIGITS = re.compile(r"\d+")
_BRACKETED = re.compile(r"\s*\([^)]*\)")
_NOT_WORD = re.compile(r"[\W_]+")

Response = str | tuple[int, ...]


class QuestionType(enum.Enum):
    """The kinds of question an exam can ask; values are the CLI's names."""

    MULTIPLE_CHOICE = "mc"
    TRUE_FALSE = "tf"
    TYPED = "typed"
    MATCHING = "match"
    ORDERING = "order"
    CLOZE = "cloze"


@dataclass(frozen=True, slots=True)
class Question:
    """One exam question and everything needed to grade and explain it.

    ``options`` are the choices (multiple choice, true/false), the
    definitions (matching) or the shuffled steps (ordering). ``key`` is the
    correct response: the index of the right option; for matching, the
    option of each item; for ordering, the options in the right order.
    Typed and cloze questions compare text with ``answer`` instead.
    """

    type: QuestionType
    card_id: int
    deck_id: str
    kind: CardKind
    anchor: SourceAnchor | None
    prompt: str
    answer: str
    options: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    key: tuple[int, ...] = ()
    card_ids: tuple[int, ...] = ()


def normalise(text: str) -> str:
    """Text for comparing answers: tags, case, punctuation and spaces dropped."""
    plain = unicodedata.normalize("NFKC", to_plain_text(text)).casefold()
    return _NOT_WORD.sub("", plain)


def is_typed_match(response: str, expected: str) -> bool:
    """Whether a typed answer counts as the expected one.

    Graded on key content (``grading.grade_typed``): case, punctuation,
    articles and, for short answers, word order are ignored; an aside in
    brackets may be left out or given alone. Numbers
    must agree exactly, and one edit (a wrong, missing, extra or swapped
    letter) is forgiven per ``TYPO_EVERY`` letters of the expected answer,
    none below that. "kynurenic acd" is one edit from "Kynurenic acid" (13
    letters, one allowed); "kynurenine" is five edits away, so a different
    word of the same stem fails, as do "IL-8" for "IL-6" or "60 min" for
    "150 min".
    """
    return grade_typed(response, expected).correct


def grade(question: Question, response: Response | None) -> float:
    """The score of a response, from 0 to 1 (matching and ordering give part)."""
    if response is None:
        return 0.0
    if question.type in (QuestionType.TYPED, QuestionType.CLOZE):
        return float(
            isinstance(response, str) and is_typed_match(response, question.answer)
        )
    if isinstance(response, str):
        return 0.0
    if question.type in (QuestionType.MULTIPLE_CHOICE, QuestionType.TRUE_FALSE):
        return float(tuple(response) == question.key)
    right = sum(a == b for a, b in zip(response, question.key, strict=False))
    return right / len(question.key) if question.key else 0.0


def response_text(question: Question, response: Response | None) -> str:
    """A response as the learner would read it back."""
    if response is None:
        return ""
    if isinstance(response, str):
        return response
    if question.type is QuestionType.MATCHING:
        return "; ".join(
            f"{item} → {question.options[i]}"
            for item, i in zip(question.items, response, strict=False)
            if 0 <= i < len(question.options)
        )
    picked = [question.options[i] for i in response if 0 <= i < len(question.options)]
    return (
        " → ".join(picked)
        if question.type is QuestionType.ORDERING
        else "; ".join(picked)
    )


def parse_response(question: Question, text: str) -> Response | None:
    """Typed input (letters, T/F, step numbers, text) as a response.

    Returns None for an empty or unreadable line.
    """
    text = text.strip()
    if not text:
        return None
    kind = question.type
    if kind in (QuestionType.TYPED, QuestionType.CLOZE):
        return text
    if kind is QuestionType.TRUE_FALSE:
        first = text[0].lower()
        return (0,) if first == "t" else (1,) if first == "f" else None
    if kind is QuestionType.ORDERING:
        picks = [int(p) - 1 for p in text.replace(",", " ").split() if p.isdigit()]
    else:
        picks = [LETTERS.find(c) for c in text.upper() if c.isalpha()]
    if not picks or any(not 0 <= p < len(question.options) for p in picks):
        return None
    return tuple(picks[:1] if kind is QuestionType.MULTIPLE_CHOICE else picks)
