import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studyapp.core.errors import StoreError
from studyapp.core.library import Library
from studyapp.core.model import Rating
from studyapp.core.safety.backup import (
    Backups,
    Retention,
    backup_name,
    backups_to_keep,
    check_backup,
    list_backups,
    parse_backup_name,
    snapshot,
)

from ...conftest import MINI_DECK, ROOT


@pytest.fixture
def disk_library(tmp_path: Path, now: datetime) -> Iterator[Library]:
    library = Library.open(tmp_path / "data")
    library.import_paths([MINI_DECK], now=now)
    yield library
    library.close()


def _backups(library: Library) -> Backups:
    assert library.backups is not None
    return library.backups


def _answer(library: Library, now: datetime, count: int) -> None:
    queue = library.review_queue(now=now)
    for i in range(count):
        assert queue.next_card(now) is not None
        queue.answer(Rating(i % 4 + 1), now=now, duration_ms=1000 + i)


def _history(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    reviews = conn.execute("SELECT * FROM reviews ORDER BY id").fetchall()
    states = conn.execute("SELECT * FROM card_state ORDER BY card_id").fetchall()
    return [*reviews, *states]


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def test_backup_names_round_trip_to_the_millisecond() -> None:
    moment = datetime(2026, 3, 2, 10, 0, 5, 123_456, tzinfo=UTC)
    name = backup_name(moment, "before-import")
    assert name == "backup-20260302T100005.123Z-before-import.sqlite3"
    assert parse_backup_name(name) == (
        moment.replace(microsecond=123_000),
        "before-import",
    )
    assert parse_backup_name("backup-20260302T100005.123Z.sqlite3") is not None
    assert parse_backup_name("notes.sqlite3") is None
    assert parse_backup_name("backup-20261302T100005.123Z.sqlite3") is None
    with pytest.raises(ValueError, match="reason"):
        backup_name(moment, "../evil")


def test_thinning_keeps_recent_then_daily_weekly_monthly(now: datetime) -> None:
    # A backup every 3 hours for two years.
    times = [now - timedelta(hours=3 * i) for i in range(8 * 730)]
    kept = backups_to_keep(times)
    policy = Retention()
    assert len(kept) <= policy.recent + policy.daily + policy.weekly + policy.monthly
    newest_first = sorted(times, reverse=True)
    assert set(newest_first[:10]) <= kept
    days = {t.date() for t in kept}
    for back in range(14):
        assert (now - timedelta(days=back)).date() in days
    months = {(t.year, t.month) for t in kept}
    assert len(months) == 12
    assert min(kept) > now - timedelta(days=366)
    assert backups_to_keep(kept) == kept  # thinning again removes nothing


def test_thinning_keeps_old_backups_after_a_long_pause(now: datetime) -> None:
    old = [now - timedelta(days=400 + i) for i in range(30)]
    kept = backups_to_keep([*old, now])
    assert len(kept) >= 14  # ten recent, then one per day: not wiped out
    assert max(old) in kept


def test_thinning_is_bounded_and_pure() -> None:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    times = [start + timedelta(minutes=37 * i) for i in range(20_000)]
    kept = backups_to_keep(times, Retention(recent=3, daily=2, weekly=2, monthly=2))
    assert len(kept) <= 9
    assert max(times) in kept
    assert backups_to_keep([]) == set()


def test_snapshot_of_a_live_wal_database_is_complete_and_self_contained(
    disk_library: Library, now: datetime, tmp_path: Path
) -> None:
    _answer(disk_library, now, 4)
    target = tmp_path / "copy.sqlite3"
    snapshot(disk_library.store.conn, target)
    assert sorted(p.name for p in tmp_path.iterdir() if "copy" in p.name) == [
        "copy.sqlite3"
    ]
    with closing(_connect(target)) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert _history(copy) == _history(disk_library.store.conn)
    check_backup(target)


def test_create_lists_with_counts_and_restore_gives_back_the_history(
    disk_library: Library, now: datetime
) -> None:
    backups = _backups(disk_library)
    _answer(disk_library, now, 3)
    conn = disk_library.store.conn
    at_backup = _history(conn)
    first = backups.create(now, "manual")
    later = now + timedelta(minutes=5)
    _answer(disk_library, later, 2)
    after = _history(conn)
    assert after != at_backup

    (info,) = backups.list()
    assert (info.path, info.cards, info.reviews, info.reason) == (
        first,
        5,
        3,
        "manual",
    )
    safety = backups.restore(first, later + timedelta(minutes=1))
    assert _history(conn) == at_backup
    assert safety.name.endswith("-before-restore.sqlite3")
    with closing(_connect(safety)) as saved:
        assert _history(saved) == after
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The restored collection keeps working.
    _answer(disk_library, later + timedelta(minutes=2), 1)
    assert len(list_backups(backups.folder)) == 2


def test_restore_survives_reopening(tmp_path: Path, now: datetime) -> None:
    folder = tmp_path / "data"
    library = Library.open(folder)
    library.import_paths([MINI_DECK], now=now)
    _answer(library, now, 2)
    backup = _backups(library).create(now, "manual")
    expected = _history(library.store.conn)
    _answer(library, now + timedelta(minutes=1), 2)
    _backups(library).restore(backup, now + timedelta(minutes=2))
    library.close()
    reopened = Library.open(folder)
    try:
        assert _history(reopened.store.conn) == expected
    finally:
        reopened.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a StudyApp collection"),
        (b"this is not a database at all" * 200, "not a readable database"),
    ],
)
def test_restore_refuses_a_bad_file_and_changes_nothing(
    disk_library: Library, now: datetime, tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(content)
    before = list(disk_library.store.conn.iterdump())
    with pytest.raises(StoreError, match=message):
        _backups(disk_library).restore(bad, now)
    assert list(disk_library.store.conn.iterdump()) == before
    assert _backups(disk_library).list() == []
    with pytest.raises(StoreError, match="no such backup"):
        _backups(disk_library).restore(tmp_path / "missing.sqlite3", now)


def test_maybe_backup_waits_for_changes_and_thirty_minutes(
    disk_library: Library, now: datetime
) -> None:
    backups = _backups(disk_library)
    assert disk_library.maybe_backup(now) is not None  # the import is a change
    assert disk_library.maybe_backup(now + timedelta(hours=2)) is None  # no change
    _answer(disk_library, now + timedelta(minutes=1), 1)
    assert disk_library.maybe_backup(now + timedelta(minutes=29)) is None
    assert disk_library.maybe_backup(now + timedelta(minutes=31)) is not None
    _answer(disk_library, now + timedelta(minutes=32), 1)
    # A latest backup in the future (clock set back) does not block backups.
    assert disk_library.maybe_backup(now - timedelta(days=1)) is not None
    assert len(backups.list()) == 3


def test_close_backs_up_only_when_something_changed(
    tmp_path: Path, now: datetime
) -> None:
    folder = tmp_path / "data"
    Library.open(folder).close()  # empty: nothing to back up
    assert list_backups(folder / "backups") == []
    library = Library.open(folder)
    library.import_paths([MINI_DECK], now=now)  # empty before: no backup
    library.close()
    assert len(list_backups(folder / "backups")) == 1
    Library.open(folder).close()  # opened and closed: nothing new
    assert len(list_backups(folder / "backups")) == 1


def test_every_import_is_preceded_by_a_backup(
    disk_library: Library, now: datetime, tmp_path: Path
) -> None:
    _answer(disk_library, now, 2)
    edited = tmp_path / "mini.yaml"
    text = MINI_DECK.read_text(encoding="utf-8").replace("What are", "What were")
    edited.write_text(text, encoding="utf-8")
    (tmp_path / "resources").symlink_to(ROOT / "resources")
    disk_library.import_paths([edited], now=now + timedelta(minutes=1))
    (info,) = _backups(disk_library).list()
    assert (info.reason, info.reviews) == ("before-import", 2)
    with closing(_connect(info.path)) as conn:
        fronts = [row[0] for row in conn.execute("SELECT front FROM notes")]
    assert "What are myokines?" in fronts


def test_creating_prunes_to_the_retention(disk_library: Library, now: datetime) -> None:
    backups = Backups(
        disk_library.store,
        _backups(disk_library).folder,
        retention=Retention(recent=2, daily=1, weekly=0, monthly=0),
    )
    backups.folder.mkdir(parents=True, exist_ok=True)
    crashed = backups.folder / ".backup-20260101T000000.000Z.sqlite3.partial"
    crashed.write_bytes(b"half a backup")
    made = [backups.create(now + timedelta(hours=i)) for i in range(5)]
    assert not crashed.exists()
    left = [info.path for info in backups.list()]
    assert left == [made[4], made[3]]
    same = [backups.create(now + timedelta(hours=9)) for _ in range(2)]
    assert same[0] != same[1]  # one millisecond apart, both named uniquely


def test_restoring_the_oldest_backup_is_not_spoiled_by_thinning(
    disk_library: Library, now: datetime
) -> None:
    backups = Backups(
        disk_library.store,
        _backups(disk_library).folder,
        retention=Retention(recent=2, daily=0, weekly=0, monthly=0),
    )
    _answer(disk_library, now, 1)
    expected = _history(disk_library.store.conn)
    oldest = backups.create(now)
    _answer(disk_library, now + timedelta(minutes=1), 1)
    backups.create(now + timedelta(minutes=1))
    backups.restore(oldest, now + timedelta(minutes=2))
    assert _history(disk_library.store.conn) == expected
    assert not oldest.exists()  # thinned once the copy was done


def test_closing_twice_is_harmless(tmp_path: Path, now: datetime) -> None:
    library = Library.open(tmp_path)
    library.import_paths([MINI_DECK], now=now)
    library.close()
    library.close()
    assert len(list_backups(tmp_path / "backups")) == 1
