"""Reading this collection's review log and exam answers for a push (SQLite).

Read-only and after the fact: answering never waits for the class server.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from studyapp.core.classroom.config import Cursor
from studyapp.core.store import lazy_tables
from studyapp.core.store.database import Store


@dataclass(frozen=True, slots=True)
class LocalReview:
    """One answer from the local review log, keyed as on the server."""

    row_id: int
    at_ms: int
    deck_id: str
    note_id: str
    ord: int
    rating: int
    duration_ms: int
    state_before: int
    stability: float | None
    difficulty: float | None
    due_ms: int


@dataclass(frozen=True, slots=True)
class LocalExamAnswer:
    """One practice-exam answer, keyed as on the server."""

    exam_id: int
    at_ms: int  # when the exam finished
    position: int
    deck_id: str
    note_id: str
    ord: int
    question_type: str
    source_ref: str
    section: str
    score: float


def _in(decks: Collection[str]) -> str:
    return ",".join("?" * len(decks))


def reviews_after(
    store: Store, cursor: Cursor, decks: Collection[str], *, until_ms: int, limit: int
) -> list[LocalReview]:
    """Reviews of ``decks`` after ``cursor``, up to ``until_ms``, oldest first."""
    if not decks:
        return []
    rows = store.execute(
        "SELECT r.id, r.reviewed_at, c.deck_id, c.note_id, c.ord, r.rating,"
        " r.duration_ms, r.state_before, r.stability, r.difficulty, r.due"
        " FROM reviews r JOIN cards c ON c.id = r.card_id"
        " WHERE (r.reviewed_at > ? OR (r.reviewed_at = ? AND r.id > ?))"
        f" AND r.reviewed_at <= ? AND c.deck_id IN ({_in(decks)})"
        " ORDER BY r.reviewed_at, r.id LIMIT ?",
        (cursor.at_ms, cursor.at_ms, cursor.row_id, until_ms, *decks, limit),
    ).fetchall()
    return [LocalReview(*row) for row in rows]


def exam_answers_after(
    store: Store, cursor: Cursor, decks: Collection[str]
) -> list[LocalExamAnswer]:
    """Exam answers on ``decks`` from exams finished after ``cursor``.

    Whole exams only (no limit): a learner takes few, and the cursor moves
    by exam.
    """
    if not decks or not lazy_tables.exists(store.conn, "exams"):
        return []
    rows = store.execute(
        "SELECT e.id, e.finished_at, a.position, a.deck_id,"
        " coalesce(c.note_id, ''), coalesce(c.ord, 0), a.question_type,"
        " a.source_ref, a.section, a.score"
        " FROM exams e JOIN exam_answers a ON a.exam_id = e.id"
        " LEFT JOIN cards c ON c.id = a.card_id"
        " WHERE (e.finished_at > ? OR (e.finished_at = ? AND e.id > ?))"
        f" AND a.deck_id IN ({_in(decks)})"
        " ORDER BY e.finished_at, e.id, a.position",
        (cursor.at_ms, cursor.at_ms, cursor.row_id, *decks),
    ).fetchall()
    return [LocalExamAnswer(*row) for row in rows]
