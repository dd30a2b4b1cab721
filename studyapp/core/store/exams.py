"""Exam history in SQLite (tables ``exams`` and ``exam_answers``) and CSV export."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import datetime

from studyapp.core.clock import from_ms, to_ms
from studyapp.core.csv_safe import SafeWriter
from studyapp.core.errors import StoreError
from studyapp.core.exam.session import ExamResult
from studyapp.core.store import lazy_tables
from studyapp.core.store.database import Store

CSV_COLUMNS = (
    "position",
    "type",
    "deck",
    "kind",
    "source",
    "section",
    "prompt",
    "correct_answer",
    "response",
    "score",
    "seconds",
    "quote",
)


@dataclass(frozen=True, slots=True)
class ExamSummary:
    """One past exam, as listed in the history."""

    id: int
    started_at: datetime
    finished_at: datetime
    deck_ids: tuple[str, ...]
    score: float
    questions: int
    timed_out: bool

    @property
    def fraction(self) -> float:
        """Score over questions, 0 for an empty exam."""
        return self.score / self.questions if self.questions else 0.0


def save_exam(store: Store, result: ExamResult) -> int:
    """Store a finished exam and every answer in one transaction.

    Returns:
        The exam's id in the history.
    """
    spec = result.spec
    limit = spec.time_limit.total_seconds() if spec.time_limit else None
    with store.transaction():
        lazy_tables.ensure(store.conn, "exams")
        cursor = store.execute(
            "INSERT INTO exams (started_at, finished_at, deck_ids, types, kinds, "
            "sections, seed, time_limit_s, timed_out, score, questions) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                to_ms(result.started_at),
                to_ms(result.finished_at),
                json.dumps(list(spec.deck_ids)),
                json.dumps([t.value for t in spec.types]),
                json.dumps([k.value for k in spec.kinds]),
                json.dumps(list(spec.sections)),
                spec.seed,
                None if limit is None else round(limit),
                int(result.timed_out),
                result.overall.score,
                len(result.answers),
            ),
        )
        exam_id = cursor.lastrowid
        assert exam_id is not None  # an INSERT always sets it
        store.conn.executemany(
            "INSERT INTO exam_answers (exam_id, position, question_type, card_id, "
            "card_ids, deck_id, kind, source_ref, section, quote, prompt, "
            "correct_answer, response, score, seconds) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    exam_id,
                    position,
                    a.question.type.value,
                    a.question.card_id,
                    json.dumps(list(a.question.card_ids)),
                    a.question.deck_id,
                    a.question.kind.value,
                    a.question.anchor.ref if a.question.anchor else "",
                    a.question.anchor.section if a.question.anchor else "",
                    a.question.anchor.quote if a.question.anchor else "",
                    a.question.prompt,
                    a.question.answer,
                    None if a.response is None else a.response_text,
                    a.score,
                    a.seconds,
                )
                for position, a in enumerate(result.answers, start=1)
            ],
        )
    return exam_id


def exam_history(store: Store, limit: int = 50) -> list[ExamSummary]:
    """Past exams, newest first."""
    if not lazy_tables.exists(store.conn, "exams"):
        return []
    rows = store.execute(
        "SELECT id, started_at, finished_at, deck_ids, score, questions, timed_out "
        "FROM exams ORDER BY started_at DESC, id DESC LIMIT ?",
        (limit,),
    )
    return [
        ExamSummary(
            id=row[0],
            started_at=from_ms(row[1]),
            finished_at=from_ms(row[2]),
            deck_ids=tuple(json.loads(row[3])),
            score=row[4],
            questions=row[5],
            timed_out=bool(row[6]),
        )
        for row in rows
    ]


def exam_csv(store: Store, exam_id: int) -> str:
    """A stored exam as CSV, one row per question (columns: ``CSV_COLUMNS``).

    Raises:
        StoreError: If there is no exam with that id.
    """
    if (
        not lazy_tables.exists(store.conn, "exams")
        or store.execute("SELECT 1 FROM exams WHERE id = ?", (exam_id,)).fetchone()
        is None
    ):
        raise StoreError(f"no exam with id {exam_id}")
    rows = store.execute(
        "SELECT position, question_type, deck_id, kind, source_ref, section, prompt, "
        "correct_answer, coalesce(response, ''), score, seconds, quote "
        "FROM exam_answers WHERE exam_id = ? ORDER BY position",
        (exam_id,),
    )
    out = io.StringIO()
    writer = SafeWriter(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([*row[:9], f"{row[9]:g}", f"{row[10]:.1f}", row[11]])
    return out.getvalue()
