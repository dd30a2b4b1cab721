"""An older collection to migrate: today's studied mini deck, at an old schema."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from studyapp.core.library import DB_NAME, Library
from studyapp.core.model import Rating
from studyapp.core.store.migrations import MIGRATIONS

from ...conftest import MINI_DECK


def old_schema(tmp_path: Path, now: datetime, stop_before: str) -> Database:
    """An empty database stopped before a migration, with the mini deck studied
    (three answers) attached as ``made`` for copying rows from."""
    made = Library.open(tmp_path / "made")
    made.import_paths([MINI_DECK], now=now)
    queue = made.review_queue(now=now)
    for rating in (Rating.GOOD, Rating.AGAIN, Rating.EASY):
        assert queue.next_card(now) is not None
        queue.answer(rating, now=now)
    made.close()
    old_dir = tmp_path / "old"
    old_dir.mkdir()
    db = Database(old_dir / DB_NAME)
    MIGRATIONS.apply(db, stop_before=stop_before)
    db.execute("ATTACH ? AS made", [str(tmp_path / "made" / DB_NAME)])
    return db
