"""Suspended, buried and flagged cards, and whole-state snapshots for undo."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from studyapp.core.model import CardState
from studyapp.core.query import HistoryRow
from studyapp.core.store.codecs import state_from_row, state_values
from studyapp.core.store.database import Store

_CHUNK = 500


class Marks(NamedTuple):
    """A card's queue marks, as stored: for undo."""

    card_id: int
    suspended: int
    buried_until: int | None
    flag: int


def _rows_of(store: Store, select: str, card_ids: Sequence[int]) -> list[Any]:
    """``select ... IN (ids)`` run a chunk of ids at a time (SQLite's limit)."""
    found: list[Any] = []
    for start in range(0, len(card_ids), _CHUNK):
        chunk = list(card_ids[start : start + _CHUNK])
        marks_sql = ", ".join("?" * len(chunk))
        found += store.execute(f"{select} ({marks_sql})", chunk).fetchall()
    return found


def marks(store: Store, card_ids: Sequence[int]) -> list[Marks]:
    """The marks of some cards (unknown ids left out)."""
    select = "SELECT id, suspended, buried_until, flag FROM cards WHERE id IN"
    return [Marks._make(row) for row in _rows_of(store, select, card_ids)]


def set_marks(store: Store, card_ids: Sequence[int], **values: Any) -> None:
    """Set suspended / buried_until / flag on some cards, in one transaction."""
    assignments = ", ".join(f"{column} = ?" for column in values)
    assert set(values) <= {"suspended", "buried_until", "flag"}
    with store.transaction():
        store.conn.executemany(
            f"UPDATE cards SET {assignments} WHERE id = ?",
            ((*values.values(), card_id) for card_id in card_ids),
        )


def restore_marks(store: Store, saved: Iterable[Marks]) -> None:
    """Put marks back as they were saved."""
    with store.transaction():
        store.conn.executemany(
            "UPDATE cards SET suspended = ?, buried_until = ?, flag = ? WHERE id = ?",
            ((m.suspended, m.buried_until, m.flag, m.card_id) for m in saved),
        )


def unbury(store: Store, now_ms: int) -> None:
    """Release cards whose burial has ended (index cards_buried: cheap)."""
    with store.transaction():
        store.execute(
            "UPDATE cards SET buried_until = NULL WHERE buried_until IS NOT NULL "
            "AND buried_until <= ?",
            (now_ms,),
        )


def states(store: Store, card_ids: Sequence[int]) -> list[CardState]:
    """The scheduling states of some cards (unknown ids left out)."""
    select = (
        "SELECT card_id, state, step, stability, difficulty, due, last_review, "
        "reps, lapses FROM card_state WHERE card_id IN"
    )
    return [state_from_row(row) for row in _rows_of(store, select, card_ids)]


def write_states(store: Store, new_states: Iterable[CardState]) -> None:
    """Overwrite scheduling states (reset, set due, and their undo)."""
    with store.transaction():
        store.conn.executemany(
            "UPDATE card_state SET state = ?, step = ?, stability = ?, "
            "difficulty = ?, due = ?, last_review = ?, reps = ?, lapses = ? "
            "WHERE card_id = ?",
            ((*state_values(s)[1:], s.card_id) for s in new_states),
        )


def history(store: Store, card_id: int) -> list[HistoryRow]:
    """A card's answers, oldest first."""
    rows = store.execute(
        "SELECT reviewed_at, rating, state_before, duration_ms, stability, "
        "difficulty, due FROM reviews WHERE card_id = ? ORDER BY reviewed_at, id",
        (card_id,),
    )
    return list(map(HistoryRow._make, rows))
