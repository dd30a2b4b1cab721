"""Big imports write through a rollback journal and come back to WAL mode."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from studyapp.core import importing as library_module
from studyapp.core.errors import DeckError, StoreError
from studyapp.core.library import DB_NAME, Library
from studyapp.core.store import deck_rows, note_rows

from ...conftest import DATA, MINI_DECK


@pytest.fixture
def bulk(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every import counts as big; records the journal mode each deck saw."""
    monkeypatch.setattr(library_module, "BULK_IMPORT_NOTES", 1)
    monkeypatch.setattr(library_module, "BULK_IMPORT_BYTES", 1)
    modes: list[str] = []
    real = deck_rows.start_deck

    def spy(store: Any, *args: Any) -> Any:
        modes.append(store.execute("PRAGMA journal_mode").fetchone()[0])
        return real(store, *args)

    monkeypatch.setattr(deck_rows, "start_deck", spy)
    return modes


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    library = Library.open(tmp_path / "data")
    yield library
    library.close()


def _pragmas(library: Library) -> tuple[str, int]:
    mode = library.store.execute("PRAGMA journal_mode").fetchone()[0]
    return mode, library.store.execute("PRAGMA synchronous").fetchone()[0]


def test_a_big_import_commits_through_the_journal_and_returns_to_wal(
    bulk: list[str], library: Library, tmp_path: Path, now: datetime
) -> None:
    [summary] = library.import_paths([MINI_DECK], now=now)
    assert bulk == ["delete"]
    assert summary.added == 3
    assert _pragmas(library) == ("wal", 2)  # WAL, synchronous FULL
    assert not (tmp_path / "data" / f"{DB_NAME}-journal").exists()
    with closing(sqlite3.connect(tmp_path / "data" / DB_NAME)) as other:
        assert other.execute("SELECT count(*) FROM cards").fetchone()[0] == 5


def test_a_failed_big_import_changes_nothing(
    bulk: list[str],
    library: Library,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    library.import_paths([MINI_DECK], now=now)
    before = list(library.store.conn.iterdump())

    def fail(*args: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(note_rows, "_sync_cards", fail)
    with pytest.raises(OSError, match="disk full"):
        library.import_paths([MINI_DECK], now=now, force=True)
    assert bulk[-1] == "delete"
    assert list(library.store.conn.iterdump()) == before
    assert _pragmas(library) == ("wal", 2)
    with pytest.raises(DeckError):
        library.import_paths([DATA / "broken" / "duplicate-id.yaml"], now=now)
    assert list(library.store.conn.iterdump()) == before


def test_beside_another_connection_a_big_import_stays_in_wal(
    bulk: list[str], library: Library, tmp_path: Path, now: datetime
) -> None:
    with closing(sqlite3.connect(tmp_path / "data" / DB_NAME)) as reader:
        reader.execute("SELECT count(*) FROM decks").fetchone()
        [summary] = library.import_paths([MINI_DECK], now=now)
        assert bulk == ["wal"]
        assert summary.added == 3
        assert reader.execute("SELECT count(*) FROM notes").fetchone()[0] == 3
    assert _pragmas(library) == ("wal", 2)


def test_a_big_import_stands_when_wal_cannot_be_turned_back_on(
    bulk: list[str], tmp_path: Path, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite refuses "journal_mode = WAL" while another connection is reading;
    # here the refusal is simulated, since the window for it is too short.
    data = tmp_path / "data"
    library = Library.open(data)
    real_conn = library.store.conn

    class RefusingWal:
        """The store's connection, except that WAL cannot be turned back on."""

        def __getattr__(self, name: str) -> Any:
            return getattr(real_conn, name)

        def execute(self, sql: str, *args: Any) -> Any:
            if sql == "PRAGMA journal_mode = WAL":
                raise sqlite3.OperationalError("database is locked")
            return real_conn.execute(sql, *args)

    monkeypatch.setattr(library.store, "conn", RefusingWal())
    [summary] = library.import_paths([MINI_DECK], now=now)
    assert summary.added == 3
    assert _pragmas(library) == ("delete", 2)  # sync stays FULL without WAL
    monkeypatch.undo()
    library.close()
    library = Library.open(data)
    assert _pragmas(library) == ("wal", 2)
    assert library.store.execute("SELECT count(*) FROM cards").fetchone()[0] == 5
    library.close()


def test_a_reader_blocking_the_commit_leaves_nothing_behind(
    bulk: list[str],
    library: Library,
    tmp_path: Path,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With a rollback journal, a reader's open transaction blocks the commit.
    library.store.execute("PRAGMA busy_timeout = 100")
    reader = sqlite3.connect(tmp_path / "data" / DB_NAME, timeout=0.1)
    real = deck_rows.start_deck

    def write_then_start_reading(store: Any, *args: Any) -> Any:
        real(store, *args)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM decks").fetchone()

    monkeypatch.setattr(deck_rows, "start_deck", write_then_start_reading)
    with pytest.raises(StoreError, match=r"locked.*nothing was imported"):
        library.import_paths([MINI_DECK], now=now)
    reader.close()
    assert library.store.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
    monkeypatch.setattr(deck_rows, "start_deck", real)
    [summary] = library.import_paths([MINI_DECK], now=now)
    assert summary.added == 3
    assert _pragmas(library) == ("wal", 2)


def test_a_small_import_skips_the_fsync_and_answers_get_it_back(
    library: Library, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    during: list[int] = []
    real = deck_rows.start_deck

    def spy(store: Any, *args: Any) -> Any:
        during.append(store.execute("PRAGMA synchronous").fetchone()[0])
        return real(store, *args)

    monkeypatch.setattr(deck_rows, "start_deck", spy)
    library.import_paths([MINI_DECK], now=now)
    assert during == [1]  # NORMAL while importing: the file can be read again
    assert _pragmas(library) == ("wal", 2)  # FULL again for the answers
