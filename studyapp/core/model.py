"""Value objects shared by every part of the core: decks, cards, states, ratings."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

#: The section label of cards that quote no source.
NO_SOURCE = "(no source)"


class CardKind(enum.Enum):
    """What a card is about; decks are browsed by kind."""

    KEY_POINT = "key_point"
    GLOSSARY = "glossary"
    MECHANISM = "mechanism"
    FINDING = "finding"
    BASIC = "basic"  # cards with no kind of their own, e.g. imported from Anki


class CardType(enum.Enum):
    """How a note turns into review cards."""

    BASIC = "basic"  # one card: front -> back
    REVERSED = "reversed"  # two cards: front -> back and back -> front
    CLOZE = "cloze"  # one card per {{cN::...}} deletion
    TYPED = "typed"  # one card; the learner types the back


class State(enum.IntEnum):
    """Scheduling state of a card. fsrs has no NEW; we keep it for queues."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


class Rating(enum.IntEnum):
    """The learner's answer; the values match fsrs.Rating."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


# SourceAnchor and CardSpec are built once per card of a deck file. They are
# not frozen because a frozen dataclass sets each field through
# object.__setattr__, which made building them a third of the time spent
# validating a 100,000-card deck (benchmarks). Treat them as read-only.
@dataclass(slots=True)
class SourceAnchor:
    """Where a card comes from: a source, a section and a verbatim quote."""

    ref: str
    section: str
    quote: str


@dataclass(frozen=True, slots=True)
class Study:
    """The study behind a finding card."""

    authors: str
    year: int
    journal: str = ""
    title: str = ""
    reference: int | None = None  # number in the source's reference list
    doi: str = ""


@dataclass(frozen=True, slots=True)
class Source:
    """A source document that cards quote."""

    id: str
    title: str
    citation: str = ""
    doi: str = ""
    url: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""
    kind: str = ""
    text_path: str = ""  # as written in the deck file
    text: str = ""  # the full text, loaded from text_path


@dataclass(slots=True)
class CardSpec:
    """One entry of a deck file (a note); it yields one or more review cards."""

    id: str
    kind: CardKind
    type: CardType = CardType.BASIC
    front: str = ""
    back: str = ""
    cloze: str = ""
    tags: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    study: Study | None = None
    source: SourceAnchor | None = None


@dataclass(frozen=True, slots=True)
class Deck:
    """A deck as read from a file: metadata, sources and card specs."""

    id: str
    title: str
    kind: CardKind = CardKind.BASIC
    document: str = ""  # groups decks by source document in the deck tree
    description: str = ""
    sources: tuple[Source, ...] = ()
    cards: tuple[CardSpec, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    path: str = ""


@dataclass(frozen=True, slots=True)
class CardState:
    """A review card's scheduling state; ``due`` and times are UTC-aware."""

    card_id: int
    state: State
    due: datetime
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """One answer, as stored in the append-only review log."""

    card_id: int
    rating: Rating
    reviewed_at: datetime
    duration_ms: int
    state_before: CardState
    state_after: CardState
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Card:
    """A review card ready to show: its note's content and one face of it."""

    id: int
    deck_id: str
    note_id: str
    ord: int
    kind: CardKind
    type: CardType
    front: str  # the prompt, cloze deletion blanked
    back: str  # the answer, cloze deletion marked
    tags: tuple[str, ...] = ()
    source: SourceAnchor | None = None
    study: Study | None = None
    steps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What importing one deck did; ``added`` … ``retired`` count notes."""

    deck_id: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    skipped: bool = False  # the deck file had not changed since the last import
    #: Review cards created: a note can make several (reversed, clozes), so
    #: this is what the deck list's counts grow by, not ``added`` (notes).
    cards_added: int = 0
    note: str = ""  # what the import changed on its own (a new id, say)

    def __str__(self) -> str:
        if self.skipped:
            return f"{self.deck_id}: unchanged (skipped)"
        note = f" ({self.note})" if self.note else ""
        return (
            f"{self.deck_id}: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.retired} retired{note}"
        )


@dataclass(frozen=True, slots=True)
class SchedulerSettings:
    """User-tunable scheduling settings (global, or overridden per deck)."""

    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (
        timedelta(minutes=1),
        timedelta(minutes=10),
    )
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval: int = 36500
    new_per_day: int = 20
    reviews_per_day: int = 200
    day_rollover_hour: int = 4
    #: A note's other cards wait until the next day once one was answered
    #: (Anki's "bury siblings"); off, they only wait until the session's end.
    bury_siblings: bool = True
    #: Cards quoting the same source passage are not shown one after the
    #: other in a session: the second waits until the session's end.
    separate_passages: bool = True


@dataclass(frozen=True, slots=True)
class DeckCounts:
    """A deck's row in the deck list."""

    id: str
    title: str
    kind: str
    document: str
    new: int
    learning: int
    due: int
    total: int
