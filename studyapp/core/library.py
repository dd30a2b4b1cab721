"""The facade the GUI and CLI call: open, import, decks, review, settings."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from studyapp.core.clock import day_start
from studyapp.core.decks.reader import find_deck_files, load_deck
from studyapp.core.decks.sources import find_text_file
from studyapp.core.errors import DeckError, Problem, StoreError
from studyapp.core.model import Deck, ImportSummary, SchedulerSettings
from studyapp.core.safety.backup import BACKUP_DIR, Backups
from studyapp.core.safety.lock import InstanceLock
from studyapp.core.store import anki_rows, deck_rows
from studyapp.core.store.database import DeckCounts, Store
from studyapp.core.store.gcpause import gc_paused
from studyapp.core.study.review import ReviewQueue, left_today
from studyapp.core.study.scheduling import Scheduler

if TYPE_CHECKING:  # loaded on first import of a package: a faster start
    from studyapp.core.interop.anki_package import PackageSummary

DB_NAME = "studyapp.sqlite3"
DATA_DIR_ENV = "STUDYAPP_DATA_DIR"
#: From this many notes an import writes through a rollback journal, not the
#: WAL (deck_rows.bulk_transaction); below, the switch's fsyncs cost more.
BULK_IMPORT_NOTES = 5_000
_PACKAGE_ROOT = Path(__file__).resolve().parents[1]
_STEP_KEYS = ("learning_steps", "relearning_steps")


def default_data_dir() -> Path:
    """Where the database lives: $STUDYAPP_DATA_DIR, else the user's data folder."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir("StudyApp", appauthor=False))


def bundled_decks_dir() -> Path:
    """The decks shipped with the app (repository checkout or installed wheel)."""
    for candidate in (
        _PACKAGE_ROOT.parent / "decks",
        _PACKAGE_ROOT / "_data" / "decks",
    ):
        if candidate.is_dir():
            return candidate
    return _PACKAGE_ROOT.parent / "decks"


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def settings_from_dict(
    values: dict[str, Any], base: SchedulerSettings
) -> SchedulerSettings:
    """Apply stored or deck-file settings (steps in minutes) onto ``base``."""
    known = {f.name for f in fields(SchedulerSettings)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            continue
        if key in _STEP_KEYS:
            value = tuple(timedelta(minutes=float(m)) for m in value)
        changes[key] = value
    return replace(base, **changes)


def settings_to_dict(settings: SchedulerSettings) -> dict[str, Any]:
    """Settings as plain JSON-able values (steps in minutes)."""
    values: dict[str, Any] = {}
    for f in fields(SchedulerSettings):
        value = getattr(settings, f.name)
        if f.name in _STEP_KEYS:
            value = [step.total_seconds() / 60 for step in value]
        values[f.name] = value
    return values


class Library:
    """One learner's collection: the store plus the rules around it."""

    def __init__(
        self,
        store: Store,
        data_dir: Path | None = None,
        lock: InstanceLock | None = None,
    ) -> None:
        self.store = store
        self.data_dir = data_dir
        self.media_dir = data_dir / "media" if data_dir else None  # Anki's media
        self.backups = Backups(store, data_dir / BACKUP_DIR) if data_dir else None
        self._lock = lock
        self._schedulers: dict[str, Scheduler] = {}

    @classmethod
    def open(cls, data_dir: Path | None = None) -> Library:
        """Open the collection in ``data_dir`` (default: the user's data folder)."""
        folder = data_dir or default_data_dir()
        lock = InstanceLock(folder)
        lock.acquire()  # a second instance on the same folder is refused
        try:
            return cls(Store.open(folder / DB_NAME), folder, lock)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def in_memory(cls) -> Library:
        """A throwaway collection, for tests."""
        return cls(Store.open(None))

    def close(self) -> None:
        """Back up if anything changed, close the database, release the lock.

        Closing twice is harmless.
        """
        backups, self.backups = self.backups, None
        try:
            if backups is not None:
                backups.backup_if_changed(utc_now())
        finally:
            self.store.close()
            if self._lock is not None:
                self._lock.release()

    def maybe_backup(self, now: datetime) -> Path | None:
        """While studying: a backup at most every 30 minutes (call after answers)."""
        return self.backups.maybe_backup(now) if self.backups else None

    # Importing -----------------------------------------------------------

    def import_paths(
        self,
        paths: Iterable[Path],
        *,
        now: datetime | None = None,
        force: bool = False,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> list[ImportSummary]:
        """Import deck files (folders are searched), all or nothing.

        Every file is read and validated first; if any has problems, nothing
        is imported and a DeckError lists them all.

        Args:
            paths: Deck files or folders.
            now: When the import happens; the current time when None.
            force: Re-read files even if they are unchanged since last time.
            progress: Called as files are read, with (files done, files in
                all, the name of the file about to be read); then once more
                with (total, total, "") when all are read and checked, just
                before the database is written.
        """
        with gc_paused():  # a seventh of a big import otherwise (issue 6)
            return self._import_paths(paths, now=now, force=force, progress=progress)

    def _import_paths(
        self,
        paths: Iterable[Path],
        *,
        now: datetime | None,
        force: bool,
        progress: Callable[[int, int, str], None] | None,
    ) -> list[ImportSummary]:
        now = now or utc_now()
        files = find_deck_files(list(paths))
        if not files:
            raise DeckError(
                [Problem(str(p), 1, 1, "no deck files (*.yaml) found") for p in paths]
            )
        planned: list[tuple[Deck, str, str, tuple[str, ...]]] = []
        skipped: list[ImportSummary] = []
        problems: list[Problem] = []
        seen: dict[str, str] = {}
        for done, file in enumerate(files):
            if progress is not None:
                progress(done, len(files), file.name)
            resolved = file.resolve()
            if not force and (deck_id := self._unchanged(resolved)):
                skipped.append(ImportSummary(deck_id, skipped=True))
                continue
            try:
                deck = load_deck(resolved)
            except DeckError as error:
                problems.extend(error.problems)
                continue
            if deck.id in seen:
                problems.append(
                    Problem(
                        str(file),
                        1,
                        1,
                        f"deck id '{deck.id}' is also used by {seen[deck.id]}",
                    )
                )
            seen[deck.id] = str(file)
            source_files = _source_files(deck)
            stats = _file_stats(resolved, source_files)  # before hashing: see there
            file_hash = _content_hash(resolved, source_files)
            planned.append((deck, file_hash, stats, source_files))
        if problems:
            raise DeckError(problems)
        if progress is not None:
            progress(len(files), len(files), "")
        if planned and self.backups is not None:
            self.backups.backup_before(now, "before-import")
        summaries = []
        with self._import_transaction([deck for deck, *_ in planned]):
            for deck, file_hash, stats, source_files in planned:
                summaries.append(
                    deck_rows.import_deck(
                        self.store,
                        deck,
                        now=now,
                        file_hash="" if force else file_hash,
                        file_stats="" if force else stats,
                        source_files=source_files,
                    )
                )
        self.forget_cached()
        return summaries + skipped

    def import_decks(
        self, decks: Iterable[Deck], *, now: datetime | None = None
    ) -> list[ImportSummary]:
        """Import decks built in memory (from Anki packages or CSV), all or nothing."""
        now = now or utc_now()
        decks = list(decks)
        if decks and self.backups is not None:
            self.backups.backup_before(now, "before-import")
        with self._import_transaction(decks):
            summaries = [
                deck_rows.import_deck(self.store, deck, now=now) for deck in decks
            ]
        self.forget_cached()
        return summaries

    @contextmanager
    def _import_transaction(self, decks: list[Deck]) -> Iterator[None]:
        """A plain transaction; for many notes, one that writes pages once.

        SQLite's own failures (another program holding the database, a full
        disk) come out as a StoreError that says nothing was imported.
        """
        transaction: AbstractContextManager[None]
        if sum(len(deck.cards) for deck in decks) >= BULK_IMPORT_NOTES:
            transaction = deck_rows.bulk_transaction(self.store)
        else:
            transaction = self.store.transaction()
        try:
            with transaction:
                yield
        except sqlite3.OperationalError as error:
            raise StoreError(
                f"could not write the import ({error}); nothing was imported. "
                "Close any other program using the collection and import again."
            ) from None

    def import_bundled_if_empty(
        self, *, now: datetime | None = None
    ) -> list[ImportSummary]:
        """On first start, import the bundled decks."""
        if self.store.execute("SELECT 1 FROM decks LIMIT 1").fetchone():
            return []
        folder = bundled_decks_dir()
        if not folder.is_dir() or not find_deck_files([folder]):
            return []
        return self.import_paths([folder], now=now)

    def load_deck(self, deck_id: str) -> Deck:
        """A stored deck as a Deck (for export)."""
        return deck_rows.load_deck(self.store, deck_id)

    def _unchanged(self, path: Path) -> str | None:
        stored = deck_rows.stored_files(self.store, str(path))
        if stored is None or not stored.file_hash:
            return None
        files = stored.source_files
        if not all(Path(f).is_file() for f in files):
            return None
        stats = _file_stats(path, files)
        if not (stored.file_stats and stored.file_stats == stats):
            if _content_hash(path, files) != stored.file_hash:
                return None
            # Touched, not changed: hash it this once only.
            deck_rows.remember_files(
                self.store, stored.deck_id, str(path), stats, files
            )
        return stored.deck_id

    # Settings and scheduling ---------------------------------------------

    def settings(self, deck_id: str | None = None) -> SchedulerSettings:
        """Effective settings: defaults < global < deck file < deck overrides."""
        result = settings_from_dict(self.store.settings(""), SchedulerSettings())
        if deck_id:
            row = self.store.execute(
                "SELECT settings FROM decks WHERE id = ?", (deck_id,)
            ).fetchone()
            if row:
                result = settings_from_dict(json.loads(row[0]), result)
            result = settings_from_dict(self.store.settings(deck_id), result)
        return result

    def save_settings(
        self, settings: SchedulerSettings, deck_id: str | None = None
    ) -> None:
        """Store settings globally or as one deck's overrides; applies at once."""
        self.store.save_settings(settings_to_dict(settings), deck_id or "")
        self.forget_cached()

    def forget_cached(self) -> None:
        """Drop cached schedulers; call after the database changed underneath.

        Imports and settings changes call it themselves; a restore from a
        backup replaces everything, so its caller must.
        """
        self._schedulers.clear()

    def scheduler_for(self, deck_id: str) -> Scheduler:
        """The scheduler with a deck's effective settings (cached)."""
        if deck_id not in self._schedulers:
            self._schedulers[deck_id] = Scheduler(self.settings(deck_id))
        return self._schedulers[deck_id]

    def day_start(self, now: datetime) -> datetime:
        """Start of the current study day (rollover hour, local time)."""
        return day_start(now, self.settings().day_rollover_hour)

    # Reviewing -----------------------------------------------------------

    def review_queue(
        self, deck_ids: list[str] | None = None, *, now: datetime | None = None
    ) -> ReviewQueue:
        """A review session over some decks (all when None)."""
        now = now or utc_now()
        deck_ids = anki_rows.queue_decks(self.store, deck_ids, now)  # A has A::B
        return ReviewQueue(
            self.store,
            self.scheduler_for,
            deck_ids,
            now=now,
            day_start=self.day_start(now),
        )

    def deck_counts(self, *, now: datetime | None = None) -> list[DeckCounts]:
        """Every deck with the new / learning / due cards it offers now.

        New and due counts are capped by the deck's daily limits, less what
        was already studied today, so they match what a session will show.
        """
        now = now or utc_now()
        start = self.day_start(now)
        anki_rows.unbury(self.store, now)
        rows = self.store.deck_counts(
            learn_before=now, review_before=start + timedelta(days=1)
        )
        capped = []
        for row in rows:
            settings = self.scheduler_for(row.id).settings
            new_left = left_today(self.store, settings, row.id, start, new_cards=True)
            due_left = left_today(self.store, settings, row.id, start, new_cards=False)
            capped.append(
                replace(
                    row,
                    new=max(0, min(row.new, new_left)),
                    due=max(0, min(row.due, due_left)),
                )
            )
        return capped

    # Anki packages whole: history, card states, media (issue 13) ----------

    def import_package(
        self,
        path: Path,
        *,
        now: datetime | None = None,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> PackageSummary:
        """Import an Anki package whole, all or nothing (anki_package)."""
        from studyapp.core.interop.anki_package import Writer, import_package

        now, backups = now or utc_now(), self.backups
        writer = Writer(
            self.store,
            self.media_dir,
            self.scheduler_for,
            self._import_transaction,
            lambda: backups.backup_before(now, "before-import") if backups else None,
        )
        next_day = self.day_start(now) + timedelta(days=1)
        try:
            return import_package(path, writer, now, next_day, progress)
        finally:
            self.forget_cached()

    def export(self, deck_ids: list[str], path: Path) -> list[Path]:
        """Export decks by the suffix; an .apkg carries history and media."""
        from studyapp.core.interop.dispatch import export_decks  # loads genanki

        decks = [self.load_deck(d) for d in deck_ids]
        return export_decks(decks, path, self.store, self.media_dir)


def _source_files(deck: Deck) -> tuple[str, ...]:
    folder = Path(deck.path).parent
    found = (find_text_file(s.text_path, folder) for s in deck.sources if s.text_path)
    return tuple(sorted(str(path.resolve()) for path in found if path is not None))


def _file_stats(path: Path, source_files: tuple[str, ...]) -> str:
    """Size and modification time of a deck file and its sources, or "".

    Equal stats let a re-import skip hashing (issue 6: 0.15 s at 100k cards).
    Taken before hashing, so a later write changes them. A file written in
    the last two seconds gets none: a rewrite within the same clock tick
    could keep its size and mtime (git's "racy clean" problem).
    """
    stats = [os.stat(name) for name in (str(path), *source_files)]
    recent = time.time_ns() - 2_000_000_000
    if any(stat.st_mtime_ns > recent for stat in stats):
        return ""
    return json.dumps([[stat.st_size, stat.st_mtime_ns] for stat in stats])


def _content_hash(path: Path, source_files: tuple[str, ...]) -> str:
    # SHA-256 runs on the CPU's SHA instructions where it has them: 0.03 s
    # for a 45 MB deck, against 0.1 s for BLAKE2b (issue 6).
    digest = hashlib.sha256()
    digest.update(path.read_bytes())
    for name in source_files:
        digest.update(b"\0")
        digest.update(Path(name).read_bytes())
    return digest.hexdigest()
