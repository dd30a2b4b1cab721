"""Rows the study session reads and writes besides answers: siblings, typed answers."""

from __future__ import annotations

from datetime import datetime

from studyapp.core.clock import to_ms
from studyapp.core.store.database import Store


def notes_answered_since(
    store: Store, since: datetime, deck_ids: list[str] | None
) -> set[tuple[str, str]]:
    """(deck id, note id) of every note with a card answered since ``since``."""
    params: list[object] = [to_ms(since)]
    where = ""
    if deck_ids is not None:
        where = f" AND c.deck_id IN ({', '.join('?' * len(deck_ids))})"
        params += deck_ids
    rows = store.execute(
        "SELECT DISTINCT c.deck_id, c.note_id FROM reviews r CROSS JOIN cards c "
        f"ON c.id = r.card_id WHERE r.reviewed_at >= ?{where}",
        params,
    )
    return {(str(deck), str(note)) for deck, note in rows}


def save_typed_answer(
    store: Store, review_id: int, typed: str, *, graded_right: bool, overridden: bool
) -> None:
    """Keep what was typed for a review, its grade and whether it was overridden."""
    with store.transaction():
        store.execute(
            "INSERT OR REPLACE INTO typed_answers "
            "(review_id, typed, graded_right, overridden) VALUES (?, ?, ?, ?)",
            (review_id, typed, int(graded_right), int(overridden)),
        )


def typed_answer(store: Store, review_id: int) -> tuple[str, bool, bool] | None:
    """(typed, graded right, overridden) of a review, if a typed answer was kept."""
    row = store.execute(
        "SELECT typed, graded_right, overridden FROM typed_answers "
        "WHERE review_id = ?",
        (review_id,),
    ).fetchone()
    return None if row is None else (str(row[0]), bool(row[1]), bool(row[2]))
