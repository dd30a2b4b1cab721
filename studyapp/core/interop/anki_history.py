"""Anki's review history into the store: log rows in, card states replayed.

Runs inside the import's transaction, after the decks are written. The
revlog is streamed card by card; each card's answers are replayed with
fsrs (through ``Scheduler.replay``) so its due date and memory state come
from the learner's real past rather than from Anki's own scheduler.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from studyapp.core.interop.anki_revlog import (
    AnkiCard,
    CollectionError,
    RevlogRow,
    read_cards,
    read_revlog,
)
from studyapp.core.model import CardType, Deck
from studyapp.core.store import anki_rows
from studyapp.core.store.anki_rows import HeldCard, ImportedReview, StateValues
from studyapp.core.store.database import Store
from studyapp.core.study.replay import Final
from studyapp.core.study.scheduling import Scheduler

_FLUSH = 20_000  # review rows written at a time
Progress = Callable[[int, int], None]  # (revlog rows done, revlog rows in all)


@dataclass(frozen=True, slots=True)
class HistoryCounts:
    """What importing the history did."""

    revlog_rows: int = 0  # rows in the package's revlog
    reviews_added: int = 0  # rows added to the review log
    reviews_known: int = 0  # answers already imported before
    cards_replayed: int = 0
    resets: int = 0  # Anki "Forget": the replay started afresh there
    skipped_rows: int = 0  # manual / rescheduled / ease 0 / cram rows
    orphaned_rows: int = 0  # answers of Anki cards that did not become ours
    suspended: int = 0
    buried: int = 0
    flagged: int = 0
    memory_checked: int = 0  # replayed cards Anki had an FSRS memory state for
    memory_differs: int = 0  # ... whose replay came out elsewhere (see below)
    studied_without_history: int = 0  # not new in Anki, no answers: come in new


def import_history(
    store: Store,
    collection: sqlite3.Connection,
    decks: Sequence[Deck],
    *,
    scheduler_for: Callable[[str], Scheduler],
    buried_until: datetime,
    progress: Progress | None = None,
) -> HistoryCounts:
    """Import the revlog and the queue states of a package's cards.

    Args:
        store: The store, inside the import's transaction.
        collection: The package's collection, read-only.
        decks: The decks just imported from it (our note ids and types).
        scheduler_for: The scheduler of a deck, with the learner's settings.
        buried_until: When buried cards come back (the next study day).
        progress: Called now and then with (revlog rows done, rows in all).
    """
    deck_of: dict[str, str] = {}
    cloze: set[str] = set()
    for deck in decks:
        for spec in deck.cards:
            deck_of[spec.id] = deck.id
            if spec.type is CardType.CLOZE:
                cloze.add(spec.id)
    ours = anki_rows.card_ids(store, [deck.id for deck in decks])
    mapped: dict[int, _Target] = {}  # Anki card id -> ours
    held: list[HeldCard] = []
    studied: set[int] = set()  # Anki cards not new there
    until_ms = int(buried_until.timestamp() * 1000)
    for card in read_cards(collection):
        ord_ = card.anki_ord + 1 if card.note_id in cloze else card.anki_ord
        our_id = ours.get((card.note_id, ord_))
        if our_id is None:
            continue
        mapped[card.anki_id] = _Target(our_id, deck_of[card.note_id], card.memory)
        if card.studied:
            studied.add(card.anki_id)
        if card.suspended or card.buried or card.flag:
            held.append(_held(our_id, card, until_ms))
    del ours
    anki_rows.hold_cards(store, held)
    try:
        total = collection.execute("SELECT count(*) FROM revlog").fetchone()[0]
    except sqlite3.Error as error:
        raise CollectionError(f"cannot read its review log: {error}") from error
    replay = _Replay(store, scheduler_for, {d.id for d in decks}, total, progress)
    for anki_card, rows in itertools.groupby(read_revlog(collection), _card_of):
        answered = replay.card(mapped.get(anki_card), list(rows))
        if answered:
            studied.discard(anki_card)
    replay.flush()
    return HistoryCounts(
        revlog_rows=total,
        reviews_added=replay.added,
        reviews_known=replay.known,
        cards_replayed=replay.cards,
        resets=replay.resets,
        skipped_rows=replay.skipped,
        orphaned_rows=replay.orphaned,
        suspended=sum(h.suspended for h in held),
        buried=sum(h.buried_until_ms > 0 for h in held),
        flagged=sum(h.flag > 0 for h in held),
        memory_checked=replay.checked,
        memory_differs=replay.differs,
        studied_without_history=len(studied),
    )


class _Target(NamedTuple):
    """Our card for an Anki card, and the FSRS memory state Anki stored."""

    card_id: int
    deck_id: str
    memory: tuple[float, float] | None


def agrees(
    stability: float | None, difficulty: float | None, memory: tuple[float, float]
) -> bool:
    """Whether a replayed state's values match Anki's stored (stability, difficulty).

    Anki stores stability to 4 decimals and difficulty to 3; parameters
    other than the defaults (Anki's optimiser) make them differ more.
    """
    anki_stability, anki_difficulty = memory
    if stability is None or difficulty is None:
        return False
    return (
        abs(stability - anki_stability) <= max(2e-4, 0.01 * anki_stability)
        and abs(difficulty - anki_difficulty) <= 2e-3
    )


def _new_values(due_ms: int) -> Final:
    """A new card's card_state values (less the card id), due at ``due_ms``."""
    return (0, None, None, None, due_ms, None, 0, 0)  # type: ignore[return-value]


def _card_of(row: RevlogRow) -> int:
    return row.card


def _held(card_id: int, card: AnkiCard, until_ms: int) -> HeldCard:
    return HeldCard(card_id, card.suspended, until_ms if card.buried else 0, card.flag)


class _Replay:
    """Replays cards one by one and writes their rows in batches."""

    def __init__(
        self,
        store: Store,
        scheduler_for: Callable[[str], Scheduler],
        deck_ids: set[str],
        total: int,
        progress: Progress | None,
    ) -> None:
        self.store = store
        self.scheduler_for = scheduler_for
        self.studied = anki_rows.cards_with_reviews(store, deck_ids)
        self.total = total
        self.progress = progress
        self.reviews: list[ImportedReview] = []
        self.states: list[StateValues] = []
        self.done = self.added = self.known = self.cards = 0
        self.resets = self.skipped = self.orphaned = 0
        self.checked = self.differs = 0

    def card(self, target: _Target | None, rows: list[RevlogRow]) -> bool:
        """Replay one Anki card's revlog rows onto our card ``target``.

        Returns:
            Whether the card has answers (new or already imported).
        """
        self.done += len(rows)
        kinds = [row.kind for row in rows]
        answers = kinds.count("answer")
        if answers != len(kinds):
            self.skipped += kinds.count("skip")
            rows = [row for row in rows if row.kind != "skip"]
        answered = answers > 0
        if target is None:
            self.orphaned += answers
        elif rows:
            card_id = target.card_id
            if card_id in self.studied:
                rows = self._merge(card_id, rows)
            if rows:
                final = self._replay(card_id, self.scheduler_for(target.deck_id), rows)
                if target.memory is not None:
                    self.checked += 1
                    self.differs += not agrees(final[2], final[3], target.memory)
        if len(self.reviews) >= _FLUSH:
            self.flush()
        return answered

    def _merge(self, card_id: int, rows: list[RevlogRow]) -> list[RevlogRow]:
        """The card's whole history when the package brings answers not yet logged.

        Answers already in the log (imported before, or given here since)
        are replayed with the new ones; only the new ones are written.
        """
        known = anki_rows.known_anki_ids(self.store, card_id)
        fresh = [row for row in rows if row.anki_id not in known]
        self.known += sum(row.kind == "answer" for row in rows) - sum(
            row.kind == "answer" for row in fresh
        )
        if not any(row.kind == "answer" for row in fresh):
            return []
        logged = [
            RevlogRow(anki_id or -time_ms, 0, rating, 0, 1, "logged")
            for time_ms, rating, anki_id in anki_rows.answers_of(self.store, card_id)
        ]
        return sorted(logged + fresh, key=lambda row: abs(row.anki_id))

    def _replay(
        self, card_id: int, scheduler: Scheduler, rows: list[RevlogRow]
    ) -> Final:
        start_ms = abs(rows[0].anki_id)
        final: Final = _new_values(start_ms)
        segment: list[RevlogRow] = []
        if rows[-1].kind != "reset" and all(row.kind != "reset" for row in rows):
            final = self._segment(card_id, start_ms, scheduler, rows)
            self.states.append((*final, card_id))
            self.cards += 1
            return final
        for row in [*rows, None]:
            if row is not None and row.kind != "reset":
                segment.append(row)
                continue
            if segment:
                final = self._segment(card_id, start_ms, scheduler, segment)
                segment = []
            if row is not None:  # a reset: the card is new again from here
                self.resets += 1
                start_ms = row.anki_id
                final = _new_values(start_ms)
        self.states.append((*final, card_id))
        self.cards += 1
        return final

    def _segment(
        self, card_id: int, start_ms: int, scheduler: Scheduler, rows: list[RevlogRow]
    ) -> Final:
        answers = [(abs(row.anki_id), row.ease) for row in rows]
        replayed, final = scheduler.replay_ms(card_id, start_ms, answers)
        self.reviews.extend(
            (
                card_id,
                row.anki_id,
                row.ease,
                row.duration_ms,
                *answer,
                row.anki_id,
                row.type,
            )
            for row, answer in zip(rows, replayed, strict=True)
            if row.kind == "answer"
        )
        return final

    def flush(self) -> None:
        """Write the rows and states gathered so far."""
        self.added += anki_rows.insert_reviews(self.store, self.reviews)
        anki_rows.save_states(self.store, self.states)
        self.reviews.clear()
        self.states.clear()
        if self.progress is not None:
            self.progress(self.done, self.total)
