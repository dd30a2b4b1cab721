"""Rows the study session reads and writes besides answers: siblings, typed answers."""

from __future__ import annotations

from datetime import datetime

from studyapp.core.clock import from_ms, to_ms
from studyapp.core.store.database import Store


def _decks(deck_ids: list[str] | None) -> tuple[str, list[object]]:
    if deck_ids is None:
        return "", []
    return f" AND c.deck_id IN ({', '.join('?' * len(deck_ids))})", list(deck_ids)


def notes_answered_since(
    store: Store, since: datetime, deck_ids: list[str] | None
) -> set[tuple[str, str]]:
    """(deck id, note id) of every note with a card answered since ``since``."""
    where, decks = _decks(deck_ids)
    params: list[object] = [to_ms(since), *decks]
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
            "UPDATE reviews SET typed = ?, typed_grade = ? WHERE id = ?",
            (typed, int(graded_right) + 2 * int(overridden), review_id),
        )


def typed_answer(store: Store, review_id: int) -> tuple[str, bool, bool] | None:
    """(typed, graded right, overridden) of a review, if a typed answer was kept."""
    row = store.execute(
        "SELECT typed, typed_grade FROM reviews WHERE id = ? AND typed IS NOT NULL",
        (review_id,),
    ).fetchone()
    return None if row is None else (str(row[0]), bool(row[1] & 1), bool(row[1] & 2))


def learning_due(
    store: Store, deck_ids: list[str] | None, *, after: datetime, before: datetime
) -> tuple[int, datetime | None]:
    """Learning cards falling due in [after, before): how many, and the first when."""
    where, decks = _decks(deck_ids)
    count, first = store.execute(
        "SELECT count(*), min(s.due) FROM card_state s JOIN cards c ON c.id = "
        f"s.card_id WHERE c.retired = 0 AND s.state IN (1, 3) AND s.due >= ? "
        f"AND s.due < ?{where}",
        [to_ms(after), to_ms(before), *decks],
    ).fetchone()
    return int(count), None if first is None else from_ms(int(first))


def reviews_due_between(
    store: Store, deck_ids: list[str] | None, start: datetime, end: datetime
) -> int:
    """Review cards due in [start, end)."""
    where, decks = _decks(deck_ids)
    row = store.execute(
        "SELECT count(*) FROM card_state s JOIN cards c ON c.id = s.card_id "
        f"WHERE c.retired = 0 AND s.state = 2 AND s.due >= ? AND s.due < ?{where}",
        [to_ms(start), to_ms(end), *decks],
    ).fetchone()
    return int(row[0])


def answer_record(
    store: Store, deck_ids: list[str] | None, since: datetime
) -> tuple[datetime | None, int, int]:
    """The last answer ever, and review-state answers since ``since`` / passed."""
    where, decks = _decks(deck_ids)
    last = store.execute(
        "SELECT max(r.reviewed_at) FROM reviews r CROSS JOIN cards c "
        f"ON c.id = r.card_id WHERE 1{where}",
        decks,
    ).fetchone()[0]
    total, passed = store.execute(
        "SELECT count(*), coalesce(sum(r.rating > 1), 0) FROM reviews r "
        "CROSS JOIN cards c ON c.id = r.card_id "
        f"WHERE r.reviewed_at >= ? AND r.state_before = 2{where}",
        [to_ms(since), *decks],
    ).fetchone()
    return (None if last is None else from_ms(int(last))), int(total), int(passed)


def source_titles(store: Store) -> dict[str, str]:
    """Every stored source's title, by its id (the ``ref`` cards quote it by)."""
    rows = store.execute("SELECT id, title FROM sources ORDER BY id")
    return {str(ref): str(title) for ref, title in rows}


def buried_counts(
    store: Store, since: datetime, review_before: datetime
) -> dict[str, tuple[int, int]]:
    """Per deck, (new, due review) cards whose note had an answer since ``since``.

    These are the siblings a session buries until the next day; cards
    answered themselves since then are not counted (they are not new or due).
    """
    rows = store.execute(
        "SELECT c.deck_id, coalesce(sum(s.state = 0), 0), "
        "coalesce(sum(s.state = 2 AND s.due < ?), 0) FROM cards c "
        "JOIN card_state s ON s.card_id = c.id "
        "WHERE c.retired = 0 AND (c.deck_id, c.note_id) IN ("
        "SELECT c2.deck_id, c2.note_id FROM reviews r CROSS JOIN cards c2 "
        "ON c2.id = r.card_id WHERE r.reviewed_at >= ?) "
        "AND c.id NOT IN (SELECT card_id FROM reviews WHERE reviewed_at >= ?) "
        "GROUP BY c.deck_id",
        (to_ms(review_before), to_ms(since), to_ms(since)),
    )
    return {str(deck): (int(new), int(due)) for deck, new, due in rows}


def reviews_due_by_day(
    store: Store, deck_ids: list[str] | None, day_start: datetime, days: int
) -> list[int]:
    """Review and learning cards falling due on each of ``days`` study days.

    Today's count also holds the overdue ones.
    """
    where, decks = _decks(deck_ids)
    day_ms = 86_400_000
    counts = [0] * days
    rows = store.execute(
        "SELECT max(0, (s.due - ?) / ?), count(*) FROM card_state s "
        "JOIN cards c ON c.id = s.card_id WHERE c.retired = 0 AND s.state > 0 "
        f"AND s.due < ?{where} GROUP BY 1",
        [to_ms(day_start), day_ms, to_ms(day_start) + days * day_ms, *decks],
    )
    for index, count in rows:
        counts[int(index)] += int(count)
    return counts
