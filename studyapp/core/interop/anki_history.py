"""Anki's review history into the store: log rows in, card states replayed.

Runs inside the import's transaction, after the decks are written. The
revlog is streamed card by card; each card's answers are replayed with
fsrs (through ``Scheduler.replay``) so its due date and memory state come
from the learner's real past rather than from Anki's own scheduler.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
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
from studyapp.core.interop.history_replay import CardResult, ReplayPool, card_history
from studyapp.core.model import CardType, Deck
from studyapp.core.store import anki_rows
from studyapp.core.store.anki_rows import HeldCard, ImportedReview, StateValues
from studyapp.core.store.database import Store
from studyapp.core.study.replay import Replayer
from studyapp.core.study.scheduling import Scheduler

_FLUSH = 20_000  # review rows written at a time
#: A history of at least this many revlog rows is replayed in a pool of
#: processes (one a core, up to MAX_WORKERS), BATCH_CARDS cards a batch.
POOL_MIN_ROWS = 100_000
MAX_WORKERS = 4
BATCH_CARDS = 1_000
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
    try:
        for anki_card, rows in itertools.groupby(read_revlog(collection), _card_of):
            answered = replay.card(mapped.get(anki_card), list(rows))
            if answered:
                studied.discard(anki_card)
        replay.finish()
    finally:
        replay.close()
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


def _card_of(row: RevlogRow) -> int:
    return row.card


def _held(card_id: int, card: AnkiCard, until_ms: int) -> HeldCard:
    return HeldCard(card_id, card.suspended, until_ms if card.buried else 0, card.flag)


class _Replay:
    """Replays cards (here, or in a pool) and writes their rows in batches."""

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
        workers = min(os.cpu_count() or 1, MAX_WORKERS)
        self.pool: ReplayPool[list[_Target]] | None = None
        if total >= POOL_MIN_ROWS and workers > 1:
            self.pool = ReplayPool(workers, window=2 * workers)
        self.batch: list[tuple[int, int, list[RevlogRow]]] = []
        self.targets: list[_Target] = []
        self.replayers: dict[int, tuple[int, Replayer]] = {}  # by id(): (index, it)

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
        if target is None:
            self.orphaned += answers
        elif rows:
            scheduler = self.scheduler_for(target.deck_id)
            replayer = scheduler.replayer() if self.pool is not None else None
            if replayer is not None and target.card_id not in self.studied:
                self._send(replayer, target, rows)
            else:  # replayed here, after what the pool has
                self._receive(self._send_batch())
                if target.card_id in self.studied:
                    rows = self._merge(target.card_id, rows)
                if rows:
                    result = card_history(scheduler.replay_ms, target.card_id, rows)
                    self._take([result], [target])
        if len(self.reviews) >= _FLUSH:
            self.flush()
        return answers > 0

    def _send(self, replayer: Replayer, target: _Target, rows: list[RevlogRow]) -> None:
        which = self.replayers.setdefault(id(replayer), (len(self.replayers), replayer))
        rows = [tuple(row) for row in rows]  # type: ignore[misc]  # plain: pickled faster
        self.batch.append((which[0], target.card_id, rows))
        self.targets.append(target)
        if len(self.batch) >= BATCH_CARDS:
            self._receive(self._send_batch(keep_pending=True))

    def _send_batch(
        self, *, keep_pending: bool = False
    ) -> Iterator[tuple[list[CardResult], list[_Target]]]:
        """Send the batch gathered; the results now due (all, unless keep_pending)."""
        if self.pool is None:
            return
        if self.batch:
            replayers = [replayer for _, replayer in self.replayers.values()]
            yield from self.pool.submit(replayers, self.batch, self.targets)
            self.batch, self.targets = [], []
        if not keep_pending:
            yield from self.pool.drain()

    def _receive(
        self, results: Iterator[tuple[list[CardResult], list[_Target]]]
    ) -> None:
        for batch, targets in results:
            self._take(batch, targets)
            if len(self.reviews) >= _FLUSH:
                self.flush()

    def _take(self, results: list[CardResult], targets: list[_Target]) -> None:
        for (reviews, final, resets), target in zip(results, targets, strict=True):
            self.reviews.extend(reviews)
            self.states.append((*final, target.card_id))
            self.resets += resets
            self.cards += 1
            if target.memory is not None:
                self.checked += 1
                self.differs += not agrees(final[2], final[3], target.memory)

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

    def finish(self) -> None:
        """Replay what is still out and write everything."""
        self._receive(self._send_batch())
        self.flush()

    def close(self) -> None:
        """Stop the pool, if any (after finish, or on a failure)."""
        if self.pool is not None:
            self.pool.close()

    def flush(self) -> None:
        """Write the rows and states gathered so far."""
        self.added += anki_rows.insert_reviews(self.store, self.reviews)
        anki_rows.save_states(self.store, self.states)
        self.reviews.clear()
        self.states.clear()
        if self.progress is not None:
            self.progress(self.done, self.total)
