"""Migration 0009: typed answers on their review, decks WITHOUT ROWID, and the
exam and optimizer tables made on first use. A migrated collection ends with
the schema a fresh one has."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from studyapp.core.library import Library
from studyapp.core.model import Rating
from studyapp.core.safety import schema_check
from studyapp.core.store import deck_admin, lazy_tables
from studyapp.core.store.exams import exam_history
from studyapp.core.store.study_rows import typed_answer
from studyapp.core.study.session import TypedAnswer

from ...conftest import MINI_DECK
from .old_schema import old_schema

TABLES = ("decks", "sources", "notes", "cards", "card_state", "reviews")
LAZY = ("exams", "exam_answers", "optimization_runs", "reschedule_undo")


def _collection_at_0008(tmp_path: Path, now: datetime, *, exam: bool) -> Path:
    """A studied collection as schema 0008 stored it, two answers typed."""
    db = old_schema(tmp_path, now, "0009_fewer_pages")
    for table in TABLES:
        columns = ", ".join(db[table].columns_dict)
        db.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM made.{table}"
        )
    db.execute(
        "INSERT INTO typed_answers (review_id, typed, graded_right, overridden) "
        "VALUES (1, 'neuron', 0, 1), (3, 'glia', 1, 0)"
    )
    if exam:
        db.execute(
            "INSERT INTO exams (id, started_at, finished_at, score, questions) "
            "VALUES (1, 0, 60000, 1.0, 1)"
        )
        db.execute(
            "INSERT INTO exam_answers (exam_id, position, question_type, card_id, "
            "deck_id, kind, prompt, correct_answer, score) "
            "VALUES (1, 1, 'typed', 1, 'mini', 'glossary', 'q', 'a', 1.0)"
        )
    db.conn.commit()
    db.close()
    return tmp_path / "old"


def _tables(library: Library) -> set[str]:
    rows = library.store.execute("SELECT name FROM sqlite_master WHERE type='table'")
    return {str(name) for (name,) in rows}


def _assert_same_schema(migrated: Library, fresh: Library) -> None:
    conn = migrated.store.conn
    assert schema_check.read_schema(conn) == schema_check.read_schema(fresh.store.conn)
    assert schema_check.schema_differences(conn) == []
    migrated.close()
    fresh.close()


def test_0009_keeps_typed_answers_and_every_row(tmp_path: Path, now: datetime) -> None:
    library = Library.open(_collection_at_0008(tmp_path, now, exam=False))
    store = library.store
    assert typed_answer(store, 1) == ("neuron", False, True)
    assert typed_answer(store, 2) is None
    assert typed_answer(store, 3) == ("glia", True, False)
    counts = [store.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES]
    assert counts == [1, 1, 3, 5, 5, 3]
    assert store.execute("PRAGMA foreign_key_check").fetchall() == []
    decks_sql = store.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'decks'"
    ).fetchone()[0]
    assert decks_sql.endswith("WITHOUT ROWID")
    # Empty exam and optimizer tables went; typed_answers went.
    assert _tables(library).isdisjoint({"typed_answers", *LAZY})
    assert exam_history(store) == []
    [summary] = library.import_paths([MINI_DECK], now=now, force=True)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 3)
    library.close()


def test_a_migrated_collection_has_a_fresh_ones_schema(
    tmp_path: Path, now: datetime
) -> None:
    migrated = Library.open(_collection_at_0008(tmp_path, now, exam=False))
    fresh = Library.open(tmp_path / "fresh")
    fresh.import_paths([MINI_DECK], now=now)
    _assert_same_schema(migrated, fresh)


def test_a_collection_with_exams_keeps_them_and_matches_after_a_first_exam(
    tmp_path: Path, now: datetime
) -> None:
    migrated = Library.open(_collection_at_0008(tmp_path, now, exam=True))
    assert {"exams", "exam_answers"} <= _tables(migrated)
    assert "optimization_runs" not in _tables(migrated)
    assert [e.id for e in exam_history(migrated.store)] == [1]
    fresh = Library.open(tmp_path / "fresh")
    lazy_tables.ensure(fresh.store.conn, "exams")  # as the first saved exam does
    _assert_same_schema(migrated, fresh)


def test_the_schema_check_wants_a_lazy_group_whole_and_as_made(
    tmp_path: Path,
) -> None:
    library = Library.open(tmp_path / "lib")
    conn = library.store.conn
    assert schema_check.schema_differences(conn) == []
    lazy_tables.ensure(conn, "optimization_runs")
    assert schema_check.schema_differences(conn) == []
    conn.execute("DROP TABLE reschedule_undo")
    assert schema_check.schema_differences(conn) == [
        "the table 'reschedule_undo' is missing"
    ]
    conn.execute("CREATE TABLE reschedule_undo (run_id INTEGER)")
    assert schema_check.schema_differences(conn) == [
        "the table 'reschedule_undo' is not defined as StudyApp defines it"
    ]
    library.close()


def test_a_deleted_deck_comes_back_with_its_typed_answers(
    library: Library, now: datetime
) -> None:
    """The typed answer is part of its review row, so deck undo restores it."""
    queue = library.review_queue(now=now)
    assert queue.next_card(now) is not None
    queue.answer(Rating.GOOD, now=now, typed=TypedAnswer("glia", True, False))
    review_id = library.store.execute("SELECT max(id) FROM reviews").fetchone()[0]
    removed = deck_admin.delete(library.store, "mini")
    assert typed_answer(library.store, review_id) is None
    deck_admin.restore(library.store, removed)
    assert typed_answer(library.store, review_id) == ("glia", True, False)
