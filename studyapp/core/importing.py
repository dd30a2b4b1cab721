"""Importing deck files: read and check everything, then write all or nothing.

Unchanged files are skipped unread (their size and modification time, or
their content hash, match what the last import stored).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.core.clock import to_ms
from studyapp.core.decks import reader, stream
from studyapp.core.decks.files import find_deck_files
from studyapp.core.decks.sources import find_text_file
from studyapp.core.errors import DeckError, Problem, StoreError, WriteError
from studyapp.core.model import Deck, ImportSummary
from studyapp.core.ownership import claim
from studyapp.core.safety.backup import Backups
from studyapp.core.safety.scratch import scratch_dir
from studyapp.core.store import deck_rows
from studyapp.core.store.database import Store
from studyapp.core.store.gcpause import gc_paused
from studyapp.core.store.note_rows import NoteWriter
from studyapp.core.study.scheduling import Scheduler

if TYPE_CHECKING:  # loaded on first import of a package: a faster start
    from studyapp.core.interop.anki_package import PackageSummary

#: From this many notes an import writes through a rollback journal, not the
#: WAL (deck_rows.bulk_transaction); below, the switch's fsyncs cost more.
BULK_IMPORT_NOTES = 5_000
#: The same for deck files, read before their cards are counted.
BULK_IMPORT_BYTES = 2 * 1024 * 1024


class _SameContent(Exception):  # noqa: N818 - not an error: a signal
    """A streamed deck file turned out to be one already imported."""

    def __init__(self, deck_id: str, stats: str, source_files: tuple[str, ...]) -> None:
        super().__init__(deck_id)
        self.deck_id = deck_id
        self.stats = stats
        self.source_files = source_files


class Importer:
    """Writes checked decks into a store, taking a backup first."""

    def __init__(
        self, store: Store, backups: Backups | None, data_dir: Path | None = None
    ) -> None:
        self.store = store
        self.backups = backups
        #: Anki media and unpacked packages live in the data folder.
        self.media_dir = data_dir / "media" if data_dir else None
        self.scratch = scratch_dir(data_dir) if data_dir else None

    def import_files(
        self,
        paths: Iterable[Path],
        scheduler_for: Callable[[str], Scheduler],
        now: datetime,
        next_day: datetime,
        *,
        force: bool = False,
        progress: Callable[[int, int, str], None] | None = None,
        package_progress: Callable[[int, int, str], None] | None = None,
    ) -> list[ImportSummary | PackageSummary]:
        """Import any supported files: deck files and folders, text, Anki packages.

        Text files are read first, so a bad one stops everything before
        anything is written; deck files and text go in together, all or
        nothing; then each Anki package whole (history, states, media), each
        all or nothing. ``progress`` follows the deck files (see
        ``import_paths``), ``package_progress`` each package in percent.
        """
        from studyapp.core.interop.dispatch import classify, read_foreign

        deck_files, texts, packages = classify(paths)
        decks = [deck for path in texts for deck in read_foreign(path, self.scratch)]
        results: list[ImportSummary | PackageSummary] = []
        if deck_files:
            results += self.import_paths(
                deck_files, now=now, force=force, progress=progress
            )
        if decks:
            results += self.import_decks(decks, now=now)
        for path in packages:
            results.append(
                self.import_package(
                    path, scheduler_for, now, next_day, package_progress
                )
            )
        return results

    def import_package(
        self,
        path: Path,
        scheduler_for: Callable[[str], Scheduler],
        now: datetime,
        next_day: datetime,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> PackageSummary:
        """Import an Anki package whole: notes, history, states, media."""
        from studyapp.core.interop.anki_package import Writer, import_package

        backups = self.backups
        writer = Writer(
            self.store,
            self.media_dir,
            scheduler_for,
            self.transaction,
            lambda: backups.backup_before(now, "before-import") if backups else None,
        )
        return import_package(path, writer, now, next_day, progress, self.scratch)

    def import_paths(
        self,
        paths: Iterable[Path],
        *,
        now: datetime,
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
        with gc_paused():  # a seventh of a big import otherwise (docs/benchmarks.md)
            return self._import_paths(paths, now=now, force=force, progress=progress)

    def _import_paths(
        self,
        paths: Iterable[Path],
        *,
        now: datetime,
        force: bool,
        progress: Callable[[int, int, str], None] | None,
    ) -> list[ImportSummary]:
        files = find_deck_files(list(paths))
        if not files:
            raise DeckError(
                [Problem(str(p), 1, 1, "no deck files (*.yaml) found") for p in paths]
            )
        problems: list[Problem] = []
        skipped: list[ImportSummary] = []
        to_read: dict[Path, Path] = {}  # as given -> resolved
        for file in files:
            resolved = file.resolve()
            if resolved != file.absolute() and not resolved.is_file():
                why = f"links to {resolved}, which is not a regular file; remove it"
                problems.append(Problem(str(file), 1, 1, why))
            elif not force and (deck_id := self._unchanged(resolved)):
                skipped.append(ImportSummary(deck_id, skipped=True))
            else:
                to_read[file] = resolved
        backup = None
        if to_read and not problems and self.backups is not None:
            backup = self.backups.backup_before(now, "before-import", prune=False)
        try:
            summaries = self._read_and_write(
                files, to_read, problems, now, force, progress
            )
        except BaseException:
            if backup is not None:  # nothing changed: the backup is not needed
                backup.unlink(missing_ok=True)
            raise
        if backup is not None and self.backups is not None:
            self.backups.prune()
        return summaries + skipped

    def _read_and_write(
        self,
        files: list[Path],
        to_read: dict[Path, Path],
        problems: list[Problem],
        now: datetime,
        force: bool,
        progress: Callable[[int, int, str], None] | None,
    ) -> list[ImportSummary]:
        """Each deck file read and written a chunk at a time, all or nothing.

        Every file is read and checked even after a problem, so that the
        DeckError lists them all; then nothing is written.
        """
        summaries: list[ImportSummary] = []
        seen: dict[str, str] = {}
        sizes = [os.stat(resolved).st_size for resolved in to_read.values()]
        with self._transaction(sum(sizes) >= BULK_IMPORT_BYTES):
            for done, file in enumerate(files):
                if progress is not None:
                    progress(done, len(files), file.name)
                if file not in to_read:  # skipped unchanged, or refused above
                    continue
                try:
                    summary = self._import_file(to_read[file], now, force, seen)
                except DeckError as error:
                    problems.extend(error.problems)
                    continue
                summaries.append(summary)
            if problems:
                raise DeckError(problems)  # and the transaction rolls back
            if progress is not None:
                progress(len(files), len(files), "")
        return summaries

    def _import_file(
        self, path: Path, now: datetime, force: bool, seen: dict[str, str]
    ) -> ImportSummary:
        """One deck file, streamed if it can be (``decks.stream``), else whole."""
        try:
            with stream.DeckStream(path) as deck_stream, self.store.transaction():
                deck = deck_stream.checked_deck()
                _check_unique(deck, seen)
                source_files = _source_files(deck)
                stats = _file_stats(path, source_files, deck_stream.opened)
                now_ms = to_ms(now)
                known = deck_rows.stored_hash(self.store, deck.id)  # before writing
                deck_rows.start_deck(self.store, deck, ("", ""), source_files, now_ms)
                notes = NoteWriter(self.store, deck.id, now_ms)
                for chunk in deck_stream.chunks():
                    notes.add(chunk)
                summary = notes.finish()
                file_hash = _content_hash(path, source_files, deck_stream.digest)
                if not force and known == file_hash:
                    raise _SameContent(deck.id, stats, source_files)  # rolled back
                if not force:
                    deck_rows.remember_hash(self.store, deck.id, file_hash, stats)
                return summary
        except _SameContent as same:  # moved or touched: remember where
            deck_rows.remember_files(
                self.store, same.deck_id, str(path), same.stats, same.source_files
            )
            return ImportSummary(same.deck_id, skipped=True)
        except stream.NotStreamableError:
            pass
        deck = reader.load_whole(path)
        _check_unique(deck, seen)
        source_files = _source_files(deck)
        stats = _file_stats(path, source_files)  # before hashing: see there
        file_hash = _content_hash(path, source_files)
        return deck_rows.import_deck(
            self.store,
            deck,
            now=now,
            file_hash="" if force else file_hash,
            file_stats="" if force else stats,
            source_files=source_files,
        )

    def import_decks(
        self, decks: Iterable[Deck], *, now: datetime
    ) -> list[ImportSummary]:
        """Import decks built in memory (from Anki packages or CSV), all or nothing."""
        claimed = claim(self.store, list(decks))  # only their own decks and sources
        decks = [deck for deck, _ in claimed]
        if decks and self.backups is not None:
            self.backups.backup_before(now, "before-import")
        with self.transaction(decks):
            summaries = [
                replace(deck_rows.import_deck(self.store, deck, now=now), note=note)
                for deck, note in claimed
            ]
        return summaries

    def transaction(self, decks: list[Deck]) -> AbstractContextManager[None]:
        """A plain transaction; for many notes, one that writes pages once.

        SQLite's own failures (another program holding the database, a full
        disk) come out as a StoreError that says nothing was imported.
        """
        return self._transaction(sum(len(d.cards) for d in decks) >= BULK_IMPORT_NOTES)

    @contextmanager
    def _transaction(self, bulk: bool) -> Iterator[None]:
        transaction: AbstractContextManager[None]
        if bulk:
            transaction = deck_rows.bulk_transaction(self.store)
        else:
            transaction = deck_rows.small_transaction(self.store)
        try:
            with transaction:
                yield
        except (sqlite3.OperationalError, WriteError) as error:
            raise StoreError(
                f"could not write the import ({error}); nothing was imported. "
                "Close any other program using the collection and import again."
            ) from None

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


def _source_files(deck: Deck) -> tuple[str, ...]:
    folder = Path(deck.path).parent
    found = (find_text_file(s.text_path, folder) for s in deck.sources if s.text_path)
    return tuple(sorted(str(path.resolve()) for path in found if path is not None))


def _check_unique(deck: Deck, seen: dict[str, str]) -> None:
    """Two files of one import must not give the same deck id."""
    if seen.get(deck.id, deck.path) != deck.path:  # (a file read twice: once)
        why = f"deck id '{deck.id}' is also used by {seen[deck.id]}"
        raise DeckError([Problem(deck.path, 1, 1, why)])
    seen[deck.id] = deck.path


def _file_stats(
    path: Path, source_files: tuple[str, ...], opened: os.stat_result | None = None
) -> str:
    """Size and modification time of a deck file and its sources, or "".

    Equal stats let a re-import skip hashing (benchmarks: 0.15 s at 100k cards).
    Taken before hashing, so a later write changes them. A file written in
    the last two seconds gets none: a rewrite within the same clock tick
    could keep its size and mtime (git's "racy clean" problem).
    """
    stats = [opened or os.stat(path), *(os.stat(name) for name in source_files)]
    recent = time.time_ns() - 2_000_000_000
    if any(stat.st_mtime_ns > recent for stat in stats):
        return ""
    return json.dumps([[stat.st_size, stat.st_mtime_ns] for stat in stats])


def _content_hash(
    path: Path, source_files: tuple[str, ...], read: hashlib._Hash | None = None
) -> str:
    """SHA-256 of the deck file (``read``: of its bytes, hashed as read) and sources."""
    # SHA-256 runs on the CPU's SHA instructions where it has them: 0.03 s
    # for a 45 MB deck, against 0.1 s for BLAKE2b (benchmarks).
    digest = hashlib.sha256(path.read_bytes()) if read is None else read.copy()
    for name in source_files:
        digest.update(b"\0")
        digest.update(Path(name).read_bytes())
    return digest.hexdigest()
