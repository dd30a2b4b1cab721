"""SQLite storage through sqlite-utils; speaks in model objects, not rows."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from studyapp.core.clock import from_ms, to_ms
from studyapp.core.decks.sources import find_quote
from studyapp.core.errors import StoreError
from studyapp.core.model import (
    Card,
    CardState,
    DeckCounts,
    ReviewRecord,
    Source,
)
from studyapp.core.store import connection
from studyapp.core.store.codecs import (
    card_from_row,
    state_from_json,
    state_from_row,
    state_to_json,
    state_values,
)

_CARD_COLUMNS = """c.id, c.deck_id, c.note_id, c.ord, n.kind, n.type, n.front, n.back,
    n.cloze, n.tags, n.steps, n.study, n.source_ref, n.section, n.quote"""
#: Cards a review queue may offer: live, not suspended, not buried.
_UNHELD = "c.suspended = 0 AND c.buried_until IS NULL"
_OFFERED = "c.retired = 0 AND c.suspended = 0 AND c.buried_until IS NULL"
_STATE_COLUMNS = (
    "card_id, state, step, stability, difficulty, due, last_review, reps, lapses"
)


#: The sync level of every commit outside bulk imports (answers included).
SYNCHRONOUS = "FULL"


class QueueEntry(NamedTuple):
    """The little the queue needs to order a card, without its content.

    A NamedTuple rather than a frozen dataclass: a queue is built from up to
    tens of thousands of rows at once, and a tuple is several times cheaper.
    """

    card_id: int
    deck_id: str
    note_id: str
    state: int  # a State value
    due_ms: int


class Store:
    """The database of one learner: decks, cards, states, reviews, settings."""

    def __init__(self, conn: sqlite3.Connection, *, memory: bool = False) -> None:
        self.conn = conn
        self.memory = memory
        # WAL lets a reader (backup, stats) run beside the writer. FULL sync
        # fsyncs the WAL at every commit, so an acknowledged answer survives
        # a power cut or an OS crash too; NORMAL would survive only the
        # process dying (answer 0.3 ms with NORMAL, ~0.6 ms with FULL:
        # docs/benchmarks.md, "Durability").
        conn.execute("PRAGMA foreign_keys = ON")
        if not memory:
            # Set before the first table exists (a no-op later): a 100k-card
            # import writes ~12% faster than with 4 KiB pages (benchmarks).
            conn.execute("PRAGMA page_size = 8192")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
        connection.migrate(conn)

    @classmethod
    def open(cls, path: Path | None = None) -> Store:
        """Open (creating if needed) the database at ``path``, or in memory."""
        if path is None:
            return cls(
                sqlite3.connect(":memory:", check_same_thread=False), memory=True
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = None
        try:
            conn = sqlite3.connect(str(path), timeout=5.0, check_same_thread=False)
            return cls(conn)
        except (sqlite3.DatabaseError, UnicodeDecodeError, StoreError) as error:
            if conn is not None:
                conn.close()
            if isinstance(error, StoreError):
                raise StoreError(f"{path}: {error}") from None
            if "locked" in str(error):
                raise StoreError(
                    f"{path}: another program is writing to the collection; "
                    "close it and try again"
                ) from None
            raise StoreError(
                f"{path}: cannot open the database ({str(error)[:200]}); it may be "
                "damaged: `studyapp backup list`, then `studyapp backup restore FILE`"
            ) from None

    def close(self) -> None:
        """Close the connection; WAL contents are checkpointed by SQLite."""
        self.conn.close()

    def transaction(self) -> AbstractContextManager[None]:
        """Group writes: all of them are committed, or none."""
        return connection.transaction(self.conn)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Run SQL on the connection (for the store's sibling modules)."""
        return self.conn.execute(sql, params)

    # Cards and states -------------------------------------------------

    def card(self, card_id: int) -> Card:
        """The card with its content, ready to show."""
        row = self.execute(
            f"SELECT {_CARD_COLUMNS} FROM cards c JOIN notes n "
            "ON n.deck_id = c.deck_id AND n.note_id = c.note_id WHERE c.id = ?",
            (card_id,),
        ).fetchone()
        if row is None:
            raise StoreError(f"no card with id {card_id}")
        return card_from_row(row)

    def card_state(self, card_id: int) -> CardState:
        """The scheduling state of one card."""
        row = self.execute(
            f"SELECT {_STATE_COLUMNS} FROM card_state WHERE card_id = ?", (card_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"no scheduling state for card {card_id}")
        return state_from_row(row)

    def card_ids(self, deck_id: str) -> list[int]:
        """The live cards of a deck, in deck order."""
        rows = self.execute(
            "SELECT c.id FROM cards c JOIN notes n ON n.deck_id = c.deck_id "
            "AND n.note_id = c.note_id WHERE c.deck_id = ? AND c.retired = 0 "
            "ORDER BY n.position, c.ord",
            (deck_id,),
        )
        return [row[0] for row in rows]

    def learning_entries(
        self, deck_ids: list[str] | None, *, before: datetime
    ) -> list[QueueEntry]:
        """Learning and relearning cards due before ``before``, by due time."""
        where, params = _deck_filter(deck_ids)
        rows = self.execute(
            "SELECT s.card_id, c.deck_id, c.note_id, s.state, s.due FROM card_state s "
            f"JOIN cards c ON c.id = s.card_id WHERE {_OFFERED} "
            f"AND s.state IN (1, 3) AND s.due < ?{where} ORDER BY s.due",
            (to_ms(before), *params),
        )
        return list(map(QueueEntry._make, rows))

    def count_due_reviews(
        self, deck_ids: list[str] | None, *, before: datetime
    ) -> dict[str, int]:
        """Review cards due before ``before``, counted per deck."""
        where, params = _deck_filter(deck_ids)
        rows = self.execute(
            "SELECT c.deck_id, count(*) FROM card_state s JOIN cards c "
            f"ON c.id = s.card_id WHERE {_OFFERED} AND s.state = 2 "
            f"AND s.due < ?{where} GROUP BY c.deck_id",
            (to_ms(before), *params),
        )
        return dict(rows.fetchall())

    def due_reviews(
        self,
        deck_ids: list[str] | None,
        *,
        before: datetime,
        after: tuple[int, int] | None,
        limit: int,
    ) -> list[QueueEntry]:
        """Review cards due before ``before``, ordered by (due, card id).

        Args:
            deck_ids: The decks, or None for all.
            before: Only cards due before this.
            after: Start after this (due ms, card id), the last one fetched.
            limit: At most this many.
        """
        where, deck_params = _deck_filter(deck_ids)
        params: tuple[Any, ...] = deck_params
        if after is not None:
            where += " AND (s.due, s.card_id) > (?, ?)"
            params = (*params, *after)
        # The index card_state_due (state, due) ends in the card id (rowid),
        # so this reads it in order and stops at the limit.
        rows = self.execute(
            "SELECT s.card_id, c.deck_id, c.note_id, s.state, s.due FROM card_state s "
            f"JOIN cards c ON c.id = s.card_id WHERE {_OFFERED} AND s.state = 2 "
            f"AND s.due < ?{where} ORDER BY s.due, s.card_id LIMIT ?",
            (to_ms(before), *params, limit),
        )
        return list(map(QueueEntry._make, rows))

    def new_entries(self, deck_id: str, limit: int) -> list[QueueEntry]:
        """The first ``limit`` new cards of a deck, in deck order."""
        # Walks the deck's notes in order (index notes_position) and stops at
        # the limit, instead of sorting every new card of the deck; CROSS JOIN
        # keeps SQLite's planner from starting at card_state instead.
        rows = self.execute(
            "SELECT s.card_id, c.deck_id, c.note_id, s.state, s.due FROM notes n "
            "CROSS JOIN cards c ON c.deck_id = n.deck_id AND c.note_id = n.note_id "
            "CROSS JOIN card_state s ON s.card_id = c.id "
            f"WHERE n.deck_id = ? AND {_OFFERED} AND s.state = 0 "
            "ORDER BY n.position, c.ord LIMIT ?",
            (deck_id, limit),
        )
        return list(map(QueueEntry._make, rows))

    def count_new(self, deck_id: str, limit: int) -> int:
        """How many new cards the deck has, counting up to ``limit``."""
        row = self.execute(
            "SELECT count(*) FROM (SELECT 1 FROM card_state s JOIN cards c "
            "ON c.id = s.card_id WHERE s.state = 0 AND c.deck_id = ? "
            f"AND {_OFFERED} LIMIT ?)",
            (deck_id, limit),
        ).fetchone()
        return int(row[0])

    def deck_ids(self) -> list[str]:
        """Every deck's id, sorted."""
        return [row[0] for row in self.execute("SELECT id FROM decks ORDER BY id")]

    def next_learning_due(self, deck_ids: list[str] | None) -> datetime | None:
        """When the next learning card falls due, if any."""
        where, params = _deck_filter(deck_ids)
        row = self.execute(
            "SELECT min(s.due) FROM card_state s JOIN cards c ON c.id = s.card_id "
            f"WHERE {_OFFERED} AND s.state IN (1, 3){where}",
            params,
        ).fetchone()
        return from_ms(row[0]) if row and row[0] is not None else None

    def save_answer(self, record: ReviewRecord) -> int:
        """Store an answer: the new state and the log row, in one transaction.

        Returns:
            The id of the review log row.
        """
        after = record.state_after
        with self.transaction():
            self.execute(
                "UPDATE card_state SET state = ?, step = ?, stability = ?, "
                "difficulty = ?, due = ?, last_review = ?, reps = ?, lapses = ? "
                "WHERE card_id = ?",
                (*state_values(after)[1:], after.card_id),
            )
            cursor = self.execute(
                "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, "
                "state_before, before, stability, difficulty, due) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.card_id,
                    to_ms(record.reviewed_at),
                    int(record.rating),
                    record.duration_ms,
                    int(record.state_before.state),
                    state_to_json(record.state_before),
                    after.stability,
                    after.difficulty,
                    to_ms(after.due),
                ),
            )
        assert cursor.lastrowid is not None  # an INSERT always sets it
        return cursor.lastrowid

    def undo_review(self, review_id: int) -> CardState:
        """Remove a review row and put its card back as it was before it."""
        row = self.execute(
            "SELECT card_id, before FROM reviews WHERE id = ?", (review_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"review {review_id} is not in the log; nothing to undo")
        before = state_from_json(row[0], row[1])
        with self.transaction():
            self.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
            self.execute(
                "UPDATE card_state SET state = ?, step = ?, stability = ?, "
                "difficulty = ?, due = ?, last_review = ?, reps = ?, lapses = ? "
                "WHERE card_id = ?",
                (*state_values(before)[1:], before.card_id),
            )
        return before

    def last_review_ids(self, limit: int) -> list[int]:
        """The newest review log ids, newest first."""
        rows = self.execute("SELECT id FROM reviews ORDER BY id DESC LIMIT ?", (limit,))
        return [row[0] for row in rows]

    def set_due(self, card_ids: Iterable[int], due: datetime) -> None:
        """Make cards review cards due at ``due`` (tests, benchmarks, planning)."""
        due_ms = to_ms(due)
        with self.transaction():
            self.conn.executemany(
                "UPDATE card_state SET due = ?, state = 2, stability = coalesce("
                "stability, 3.0), difficulty = coalesce(difficulty, 5.0), "
                "last_review = coalesce(last_review, ?), reps = max(reps, 1) "
                "WHERE card_id = ?",
                ((due_ms, due_ms - 86_400_000, card_id) for card_id in card_ids),
            )

    def count_reviews_since(
        self, since: datetime, deck_ids: list[str] | None, *, new_only: bool
    ) -> int:
        """Answers given since ``since``; with ``new_only``, first answers only."""
        where, params = _deck_filter(deck_ids)
        kind = "r.state_before = 0" if new_only else "r.state_before = 2"
        row = self.execute(
            # CROSS JOIN: start from today's reviews (index reviews_time), not
            # from every card of the deck, which SQLite's planner prefers.
            "SELECT count(DISTINCT r.card_id) FROM reviews r CROSS JOIN cards c ON "
            f"c.id = r.card_id WHERE r.reviewed_at >= ? AND {kind}{where}",
            (to_ms(since), *params),
        ).fetchone()
        return int(row[0])

    # Decks and sources -------------------------------------------------

    def deck_counts(
        self, *, learn_before: datetime, review_before: datetime
    ) -> list[DeckCounts]:
        """Every deck with its new / learning / due / total card counts."""
        rows = self.execute(
            "SELECT d.id, d.title, d.kind, d.document, "
            f"coalesce(sum(s.state = 0 AND {_UNHELD}), 0), "
            f"coalesce(sum(s.state IN (1, 3) AND s.due < ? AND {_UNHELD}), 0), "
            f"coalesce(sum(s.state = 2 AND s.due < ? AND {_UNHELD}), 0), "
            "count(s.card_id) "
            "FROM decks d LEFT JOIN cards c ON c.deck_id = d.id AND c.retired = 0 "
            "LEFT JOIN card_state s ON s.card_id = c.id "
            "GROUP BY d.id ORDER BY d.document, d.kind, d.title",
            (to_ms(learn_before), to_ms(review_before)),
        )
        return [DeckCounts(*row) for row in rows]

    def source(self, source_id: str) -> Source:
        """A source document with its full text."""
        row = self.execute(
            "SELECT id, title, citation, doi, url, authors, date, kind, text_path, "
            "text FROM sources WHERE id = ?",
            (source_id,),
        ).fetchone()
        if row is None:
            raise StoreError(f"no source with id '{source_id}'")
        return Source(*row[:5], tuple(json.loads(row[5])), *row[6:])  # type: ignore[call-arg]

    def quote_span(self, card_id: int) -> tuple[int, int] | None:
        """Where the card's quote lies in its source text, if it is there.

        Found on first need and remembered, so imports stay fast.
        """
        row = self.execute(  # the text (MBs) is read only when not yet found
            "SELECT n.quote_start, n.quote_end, n.quote, s.id, n.deck_id, "
            "n.note_id FROM cards c JOIN notes n ON n.deck_id = c.deck_id AND "
            "n.note_id = c.note_id JOIN sources s ON s.id = n.source_ref "
            "WHERE c.id = ?",
            (card_id,),
        ).fetchone()
        if row is None:
            return None
        if row[0] is not None:
            return int(row[0]), int(row[1])
        text = self.execute("SELECT text FROM sources WHERE id = ?", (row[3],))
        span = find_quote(text.fetchone()[0], row[2])
        if span is not None:
            with self.transaction():
                self.execute(
                    "UPDATE notes SET quote_start = ?, quote_end = ? "
                    "WHERE deck_id = ? AND note_id = ?",
                    (*span, row[4], row[5]),
                )
        return span

    # Settings ----------------------------------------------------------

    def settings(self, scope: str = "") -> dict[str, Any]:
        """Stored settings of a scope ('' for global, else a deck id)."""
        rows = self.execute("SELECT key, value FROM settings WHERE scope = ?", (scope,))
        values = {}
        for key, value in rows:
            try:  # a bad stored value is skipped; `check` repairs it
                values[str(key)] = json.loads(value)
            except (TypeError, ValueError, RecursionError):
                continue
        return values

    def save_settings(self, values: dict[str, Any], scope: str = "") -> None:
        """Store settings; a value of None removes the key."""
        with self.transaction():
            for key, value in values.items():
                if value is None:
                    self.execute(
                        "DELETE FROM settings WHERE scope = ? AND key = ?", (scope, key)
                    )
                else:
                    self.execute(
                        "INSERT OR REPLACE INTO settings (scope, key, value) "
                        "VALUES (?, ?, ?)",
                        (scope, key, json.dumps(value)),
                    )


def _deck_filter(deck_ids: list[str] | None) -> tuple[str, tuple[str, ...]]:
    if deck_ids is None:
        return "", ()
    marks = ", ".join("?" for _ in deck_ids)
    return f" AND c.deck_id IN ({marks})", tuple(deck_ids)
