"""The card browser's values: search terms, listing rows, answer history.

The parser (``core/study/search.py``) builds the terms; the store turns them
into SQL (``core/store/search_sql.py``). Kept apart so the store needs no parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class Text:
    """Card text containing ``text`` (``*`` matches anything)."""

    text: str


@dataclass(frozen=True, slots=True)
class Field:
    """A ``key:value`` term; ``key`` is one of FIELD_KEYS, is, flag or rated."""

    key: str
    value: str


@dataclass(frozen=True, slots=True)
class Prop:
    """A ``prop:`` comparison of a card property with a number."""

    name: str
    op: str
    number: float


@dataclass(frozen=True, slots=True)
class Not:
    """Cards the inner term does not match."""

    term: Node


@dataclass(frozen=True, slots=True)
class And:
    """Cards every term matches."""

    terms: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """Cards any term matches."""

    terms: tuple[Node, ...]


Node = Text | Field | Prop | Not | And | Or


@dataclass(frozen=True, slots=True)
class CardRow:
    """One review card as the browser and ``studyapp cards`` list it.

    Times are ms since the epoch (UTC); ``retrievability`` is 0 for new cards.
    """

    card_id: int
    deck_id: str
    note_id: str
    ord: int
    kind: str
    type: str
    text: str  # the note's front, or its cloze text
    section: str
    source_ref: str
    state: int  # a State value
    due_ms: int
    interval_days: float | None
    stability: float | None
    difficulty: float | None
    retrievability: float
    lapses: int
    reps: int
    tags: tuple[str, ...]
    suspended: bool
    buried: bool
    flag: int


#: Columns the card list can be sorted by.
SORT_KEYS = (
    "card",
    "deck",
    "note",
    "kind",
    "type",
    "section",
    "due",
    "interval",
    "stability",
    "difficulty",
    "retrievability",
    "lapses",
    "reviews",
    "tags",
    "flag",
)


class HistoryRow(NamedTuple):
    """One answer of a card, for its card info."""

    reviewed_at_ms: int
    rating: int
    state_before: int
    duration_ms: int
    stability: float | None
    difficulty: float | None
    due_ms: int
