"""Tables made on first use, so a collection that never uses them keeps no page.

Every table holds an 8 KiB page of its own, empty or not (benchmarks:
database bytes per note). The exam history and the optimizer's runs are
created by the first exam saved or run stored (``ensure``, inside that
write's transaction); readers ask ``exists`` and find nothing without them.
Migrations 0002 and 0007 made them in older collections, and 0009 drops
them there while they are empty, so every collection has them exactly when
it has used them. The statements are the migrations' own, word for word.
"""

from __future__ import annotations

import sqlite3

#: Exams and their answers (migration 0002).
EXAMS = (
    """CREATE TABLE exams (
        id INTEGER PRIMARY KEY,
        started_at INTEGER NOT NULL,
        finished_at INTEGER NOT NULL,
        deck_ids TEXT NOT NULL DEFAULT '[]',
        types TEXT NOT NULL DEFAULT '[]',
        kinds TEXT NOT NULL DEFAULT '[]',
        sections TEXT NOT NULL DEFAULT '[]',
        seed INTEGER NOT NULL DEFAULT 0,
        time_limit_s INTEGER,
        timed_out INTEGER NOT NULL DEFAULT 0,
        score REAL NOT NULL,
        questions INTEGER NOT NULL
    )""",
    """CREATE TABLE exam_answers (
        exam_id INTEGER NOT NULL REFERENCES exams(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        question_type TEXT NOT NULL,
        card_id INTEGER REFERENCES cards(id),
        card_ids TEXT NOT NULL DEFAULT '[]',
        deck_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        source_ref TEXT NOT NULL DEFAULT '',
        section TEXT NOT NULL DEFAULT '',
        quote TEXT NOT NULL DEFAULT '',
        prompt TEXT NOT NULL,
        correct_answer TEXT NOT NULL,
        response TEXT,
        score REAL NOT NULL,
        seconds REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (exam_id, position)
    ) WITHOUT ROWID""",
)

#: FSRS optimisation runs and the states a reschedule replaced (0007).
OPTIMIZATION = (
    """CREATE TABLE optimization_runs (
        id INTEGER PRIMARY KEY,
        ran_at INTEGER NOT NULL,
        scope TEXT NOT NULL DEFAULT '',
        reviews INTEGER NOT NULL,
        train_reviews INTEGER NOT NULL,
        test_reviews INTEGER NOT NULL,
        split_at INTEGER NOT NULL,
        parameters_before TEXT NOT NULL,
        parameters_fitted TEXT NOT NULL,
        log_loss_current REAL NOT NULL,
        log_loss_fitted REAL NOT NULL,
        rmse_bins_current REAL NOT NULL,
        rmse_bins_fitted REAL NOT NULL,
        adopted INTEGER NOT NULL
    )""",
    """CREATE TABLE reschedule_undo (
        run_id INTEGER NOT NULL REFERENCES optimization_runs(id),
        card_id INTEGER NOT NULL REFERENCES cards(id),
        before TEXT NOT NULL,
        PRIMARY KEY (run_id, card_id)
    ) WITHOUT ROWID""",
)

#: Each group by its first table, which ``exists`` asks about.
GROUPS = {"exams": EXAMS, "optimization_runs": OPTIMIZATION}
#: The tables of each group, parents first.
TABLES = {
    "exams": ("exams", "exam_answers"),
    "optimization_runs": ("optimization_runs", "reschedule_undo"),
}


def exists(conn: sqlite3.Connection, table: str) -> bool:
    """Whether ``table`` (one of ``GROUPS``) has been made in this collection."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    return row is not None


def ensure(conn: sqlite3.Connection, table: str) -> None:
    """Make the group of ``table`` if this collection has not got it yet."""
    if not exists(conn, table):
        for statement in GROUPS[table]:
            conn.execute(statement)
