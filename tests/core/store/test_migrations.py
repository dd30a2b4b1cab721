"""A collection made by an older schema opens, keeps its data and re-imports."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from studyapp.core.library import DB_NAME, Library
from studyapp.core.store.migrations import MIGRATIONS
from studyapp.core.store.schema_names import MIGRATION_NAMES

from ...conftest import MINI_DECK
from .old_schema import old_schema

TABLES = ("decks", "sources", "notes", "cards", "card_state", "reviews")


def _collection_at_0002(tmp_path: Path, now: datetime) -> tuple[Path, int]:
    """A studied collection as schema 0002 stored it (notes with a hash)."""
    db = old_schema(tmp_path, now, "0003_notes_without_hash")
    old_dir = tmp_path / "old"
    for table in TABLES:
        columns = ", ".join(db[table].columns_dict.keys() - {"content_hash"})
        extra, value = (
            (", content_hash", ", randomblob(8)") if table == "notes" else ("", "")
        )
        db.execute(
            f"INSERT INTO {table} ({columns}{extra}) "
            f"SELECT {columns}{value} FROM made.{table}"
        )
    db.conn.commit()
    db.close()
    return old_dir, 3


def test_0003_drops_the_note_hash_and_keeps_everything(
    tmp_path: Path, now: datetime
) -> None:
    old_dir, answers = _collection_at_0002(tmp_path, now)
    library = Library.open(old_dir)
    columns = {row[1] for row in library.store.execute("PRAGMA table_info(notes)")}
    assert "content_hash" not in columns
    counts = {
        t: library.store.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in TABLES
    }
    assert counts == {
        "decks": 1,
        "sources": 1,
        "notes": 3,
        "cards": 5,
        "card_state": 5,
        "reviews": answers,
    }
    [summary] = library.import_paths([MINI_DECK], now=now, force=True)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 3)
    assert library.store.execute("SELECT count(*) FROM reviews").fetchone()[0] == 3
    library.close()


def test_the_store_knows_every_migration() -> None:
    """``connection.MIGRATION_NAMES`` decides whether sqlite-utils is loaded."""
    assert [m.name for m in MIGRATIONS._migrations] == list(MIGRATION_NAMES)


def test_0005_adds_unmarked_cards_that_stay_in_the_queue(
    tmp_path: Path, now: datetime
) -> None:
    made = Library.open(tmp_path / "made")
    made.import_paths([MINI_DECK], now=now)
    made.close()
    old_dir = tmp_path / "old"
    old_dir.mkdir()
    db = Database(old_dir / DB_NAME)
    MIGRATIONS.apply(db, stop_before="0005_card_flags_and_queue_states")
    assert "suspended" not in db["cards"].columns_dict
    db.execute("ATTACH ? AS made", [str(tmp_path / "made" / DB_NAME)])
    for table in TABLES:
        columns = ", ".join(db[table].columns_dict)
        db.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM made.{table}"
        )
    db.conn.commit()
    db.close()
    library = Library.open(old_dir)
    marks = library.store.execute(
        "SELECT suspended, buried_until, flag FROM cards"
    ).fetchall()
    assert marks == [(0, None, 0)] * 5
    assert library.review_queue(now=now).remaining.new == 5
    library.close()
