"""Consistent snapshots of the database in <data_dir>/backups, thinned over time."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studyapp.core.errors import StoreError
from studyapp.core.safety import schema_check
from studyapp.core.store import connection
from studyapp.core.store.database import Store

BACKUP_DIR = "backups"
STUDY_INTERVAL = timedelta(minutes=30)
_STAMP = "%Y%m%dT%H%M%S"
_NAME = re.compile(r"^backup-(\d{8}T\d{6})\.(\d{3})Z(?:-([a-z0-9-]+))?\.sqlite3$")
_REASON = re.compile(r"^[a-z0-9-]*$")
_REQUIRED_TABLES = {"decks", "notes", "cards", "card_state", "reviews"}


@dataclass(frozen=True, slots=True)
class Retention:
    """How many backups to keep: the newest, then one per day, week, month.

    At most ``recent + daily + weekly + monthly`` backups are kept.
    """

    recent: int = 10
    daily: int = 14
    weekly: int = 8
    monthly: int = 12


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One backup file, with what it holds (None when it cannot be read)."""

    path: Path
    taken_at: datetime
    reason: str
    size: int
    cards: int | None
    reviews: int | None


def backup_name(taken_at: datetime, reason: str = "") -> str:
    """The file name of a backup taken at ``taken_at`` (UTC, to the millisecond)."""
    if not _REASON.match(reason):
        raise ValueError(f"backup reason must be lower-case words with '-': {reason}")
    moment = taken_at.astimezone(UTC)
    suffix = f"-{reason}" if reason else ""
    return (
        f"backup-{moment.strftime(_STAMP)}.{moment.microsecond // 1000:03d}Z"
        f"{suffix}.sqlite3"
    )


def parse_backup_name(name: str) -> tuple[datetime, str] | None:
    """When a backup was taken and why, from its file name; None if not one."""
    match = _NAME.match(name)
    if match is None:
        return None
    try:
        moment = datetime.strptime(match[1], _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None
    return moment + timedelta(milliseconds=int(match[2])), match[3] or ""


def backups_to_keep(
    times: Iterable[datetime], retention: Retention = Retention()
) -> set[datetime]:
    """Which backups thinning keeps; a pure function of their timestamps.

    The ``recent`` newest are kept; then the newest backup of each of the
    last ``daily`` days that have backups, likewise for ISO weeks and months
    (UTC calendar). Old backups thus survive a long pause in studying.
    """
    ordered = sorted(set(times), reverse=True)
    keep = set(ordered[: retention.recent])
    tiers = (
        (retention.daily, lambda t: t.date().isoformat()),
        (retention.weekly, lambda t: "{}-W{}".format(*t.isocalendar()[:2])),
        (retention.monthly, lambda t: f"{t.year}-{t.month}"),
    )
    for count, bucket_of in tiers:
        seen: set[str] = set()
        for moment in ordered:
            if len(seen) >= count:
                break
            bucket = bucket_of(moment.astimezone(UTC))
            if bucket not in seen:
                seen.add(bucket)
                keep.add(moment)
    return keep


def snapshot(conn: sqlite3.Connection, target: Path) -> None:
    """Write a consistent copy of the database behind ``conn`` to ``target``.

    Uses SQLite's online backup API (a file copy of a live WAL database can
    miss committed pages). The copy is written beside ``target`` and renamed
    into place, so a crash never leaves a half-written backup under a
    backup's name. It is switched to rollback-journal mode so that it is one
    self-contained file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    dest = sqlite3.connect(partial)
    try:
        conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    partial.replace(target)


def check_backup(path: Path) -> None:
    """Make sure ``path`` is an intact StudyApp database before restoring it.

    Raises:
        StoreError: If it is missing, damaged or not a StudyApp collection.
    """
    if not path.is_file():
        raise StoreError(f"{path}: no such backup file")
    try:
        conn = _open_read_only(path)
        try:
            kinds = dict(conn.execute("SELECT name, type FROM sqlite_master"))
            newer = schema_check.newer_migrations(conn)
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
        raise StoreError(f"{path}: not a readable database: {error}") from None
    tables = {name for name, kind in kinds.items() if kind == "table"}
    if not tables >= _REQUIRED_TABLES:
        missing = ", ".join(sorted(_REQUIRED_TABLES - tables))
        raise StoreError(f"{path}: not a StudyApp collection (no {missing} table)")
    foreign = sorted(n for n, kind in kinds.items() if kind in ("trigger", "view"))
    if foreign:
        raise StoreError(
            f"{path}: not restored: it holds triggers or views StudyApp never "
            f"creates ({', '.join(n[:40] for n in foreign[:3])}). "
            "Choose another backup."
        )
    if newer:
        raise StoreError(
            f"{path}: written by a newer StudyApp (schema {newer[-1][:40]}); "
            "update StudyApp to restore it, or choose an older backup"
        )
    if result != ["ok"]:
        raise StoreError(f"{path}: the backup is damaged: {'; '.join(result[:3])}")


def backup_info(path: Path) -> BackupInfo:
    """A backup's time, reason, size and card/review counts."""
    parsed = parse_backup_name(path.name)
    if parsed is None:
        raise ValueError(f"{path.name} is not a backup file name")
    cards = reviews = None
    try:
        conn = _open_read_only(path)
        try:
            cards = conn.execute(
                "SELECT count(*) FROM cards WHERE retired = 0"
            ).fetchone()[0]
            reviews = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
        finally:
            conn.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError):
        pass  # shown as unreadable; list_backups must not fail on one bad file
    return BackupInfo(path, parsed[0], parsed[1], path.stat().st_size, cards, reviews)


def list_backups(folder: Path) -> list[BackupInfo]:
    """The backups in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = [
        backup_info(path)
        for path in folder.iterdir()
        if parse_backup_name(path.name) is not None
    ]
    return sorted(found, key=lambda info: info.taken_at, reverse=True)


def prune_backups(folder: Path, retention: Retention = Retention()) -> list[Path]:
    """Delete the backups thinning does not keep; returns the deleted files."""
    if not folder.is_dir():
        return []
    dated: dict[Path, datetime] = {}
    for path in folder.iterdir():
        parsed = parse_backup_name(path.name)
        if parsed is not None:
            dated[path] = parsed[0]
    keep = backups_to_keep(dated.values(), retention)
    removed = [path for path, moment in dated.items() if moment not in keep]
    # Left by a backup cut short by a crash; only one process writes here.
    removed += folder.glob(".backup-*.partial*")
    for path in removed:
        path.unlink(missing_ok=True)
    return sorted(removed)


def replace_database(db_path: Path, source: Path, now: datetime) -> Path | None:
    """Put a backup in place of a database file that cannot even be opened.

    For a damaged collection, where :meth:`Backups.restore` cannot run. The
    caller must hold the instance lock, so no connection is open. The
    damaged file (and its -wal and -shm files) are kept beside it with a
    ``.damaged-<time>`` suffix; the backup is copied to a temporary file
    and renamed over the database in one step.

    Returns:
        Where the damaged file was kept, if there was one.

    Raises:
        StoreError: If ``source`` is not an intact StudyApp backup.
    """
    check_backup(source)
    partial = db_path.with_name(f".{db_path.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with schema_check.prepared_copy(source, db_path.parent, 8192) as copy:
            src = _open_read_only(copy)
            dest = sqlite3.connect(partial)
            try:
                src.backup(dest)
            finally:
                dest.close()
                src.close()
    except sqlite3.Error as error:
        raise StoreError(f"cannot restore {source}: {error}") from None
    stamp = now.astimezone(UTC).strftime(_STAMP)
    # The old -wal must go first: SQLite would replay it into the new file.
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            side.replace(side.with_name(f"{side.name}.damaged-{stamp}"))
    kept = None
    if db_path.exists():
        kept = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
        shutil.copy2(db_path, kept)
    partial.replace(db_path)
    return kept


class Backups:
    """The backups of one open store: when to take them, thinning, restore.

    Backups are taken on close (if anything changed), before imports, checks
    and restores, and while studying at most every ``interval``.
    """

    def __init__(
        self,
        store: Store,
        folder: Path,
        *,
        interval: timedelta = STUDY_INTERVAL,
        retention: Retention = Retention(),
    ) -> None:
        self.store = store
        self.folder = folder
        self.interval = interval
        self.retention = retention
        # sqlite3 counts the rows this connection changed; comparing the
        # count tells whether there is anything new to back up.
        self._changes_seen = store.conn.total_changes

    @property
    def has_changes(self) -> bool:
        """Whether the database changed since it was opened or last backed up."""
        return self.store.conn.total_changes != self._changes_seen

    def latest(self) -> datetime | None:
        """When the newest backup was taken, if there is one."""
        if not self.folder.is_dir():
            return None
        times = [
            parsed[0]
            for path in self.folder.iterdir()
            if (parsed := parse_backup_name(path.name)) is not None
        ]
        return max(times, default=None)

    def create(self, now: datetime, reason: str = "", *, prune: bool = True) -> Path:
        """Take a backup now, then thin the old ones.

        Args:
            now: The time to name it by; timezone-aware.
            reason: A short tag in the file name (``before-import``...).
            prune: False to leave thinning for later.

        Returns:
            The new backup file.
        """
        if self.store.conn.in_transaction:
            raise StoreError("cannot back up in the middle of a transaction")
        moment = now
        # Timestamps identify backups, so two in one millisecond are spread out.
        while any(self.folder.glob(backup_name(moment).removesuffix(".sqlite3") + "*")):
            moment += timedelta(milliseconds=1)
        target = self.folder / backup_name(moment, reason)
        try:
            snapshot(self.store.conn, target)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"cannot write the backup {target}: {error}") from None
        self._changes_seen = self.store.conn.total_changes
        if prune:
            prune_backups(self.folder, self.retention)
        return target

    def backup_before(
        self, now: datetime, reason: str, *, prune: bool = True
    ) -> Path | None:
        """Back up before a risky operation, unless there is nothing to lose.

        With ``prune`` False old backups are kept until ``prune()``: an
        operation that fails removes its backup and leaves the rest as they were.
        """
        if self._is_empty():
            return None
        return self.create(now, reason, prune=prune)

    def prune(self) -> None:
        """Thin the old backups (after ``create`` or ``backup_before`` without)."""
        prune_backups(self.folder, self.retention)

    def backup_if_changed(self, now: datetime, reason: str = "") -> Path | None:
        """Back up if anything changed since opening or the last backup (close)."""
        if not self.has_changes or self._is_empty():
            return None
        return self.create(now, reason)

    def maybe_backup(self, now: datetime) -> Path | None:
        """While studying: back up if there are changes and the last is old.

        Cheap enough to call after every answer; at most one backup per
        ``interval``. A clock set back does not stop backups for long: a
        latest backup in the future counts as old.
        """
        if not self.has_changes:
            return None
        latest = self.latest()
        if latest is not None and timedelta(0) <= now - latest < self.interval:
            return None
        return self.backup_if_changed(now, "study")

    def restore(self, source: Path, now: datetime) -> Path:
        """Replace the database's content with a backup's, atomically.

        The current state is backed up first. The copy goes through SQLite's
        backup API into the open database, so it is one transaction: after a
        crash the database holds either the old or the restored content. No
        other connection may be open (the instance lock sees to that).

        Returns:
            The backup of the state before the restore.

        Raises:
            StoreError: If ``source`` is not an intact StudyApp backup.
        """
        check_backup(source)
        # Thinning waits until the copy is done: it could delete ``source``.
        safety = self.create(now, "before-restore", prune=False)
        conn = self.store.conn
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        try:
            with schema_check.prepared_copy(source, self.folder, page_size) as copy:
                src = _open_read_only(copy)
                try:
                    src.backup(conn)
                finally:
                    src.close()
        except sqlite3.Error as error:
            raise StoreError(f"cannot restore {source}: {error}") from None
        connection.migrate(conn)  # an older backup gets today's schema
        self._changes_seen = conn.total_changes
        prune_backups(self.folder, self.retention)
        return safety

    def list(self) -> list[BackupInfo]:
        """The backups, newest first."""
        return list_backups(self.folder)

    def _is_empty(self) -> bool:
        row = self.store.execute(
            "SELECT EXISTS (SELECT 1 FROM decks) OR EXISTS (SELECT 1 FROM reviews)"
        ).fetchone()
        return not row[0]


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
