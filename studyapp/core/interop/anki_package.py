"""An Anki package in whole: notes, nested decks, media, history, card states.

All or nothing: the package is read and checked before anything is
written, and the decks, review rows and card states are written in one
transaction. Media files are written into the media folder
just before the commit and removed again if it fails.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from studyapp.core.errors import PackageError
from studyapp.core.interop.anki_history import HistoryCounts, import_history
from studyapp.core.interop.anki_import import (
    MAX_TOTAL_BYTES,
    AnkiPackageReport,
    OpenedPackage,
    open_collection,
    opened_package,
)
from studyapp.core.interop.anki_media import (
    MediaSet,
    collect_media,
    referenced,
    save_media,
)
from studyapp.core.interop.anki_notetypes import deck_id_for_name
from studyapp.core.interop.anki_revlog import CollectionError
from studyapp.core.model import Deck, ImportSummary
from studyapp.core.ownership import claim
from studyapp.core.safety.files import UnsafeFileError, check_regular
from studyapp.core.store import anki_rows, deck_rows
from studyapp.core.store.database import Store
from studyapp.core.store.gcpause import gc_paused
from studyapp.core.study.scheduling import Scheduler

#: (steps done, steps in all, what is going on); steps are percent.
Progress = Callable[[int, int, str], None]
DECK_SEPARATOR = "::"


@dataclass(frozen=True, slots=True)
class PackageSummary:
    """What importing one Anki package did."""

    path: str
    decks: tuple[ImportSummary, ...]
    notes_in_package: int
    notes_added: int
    cards_added: int
    history: HistoryCounts
    images: int  # image files the notes use, kept
    audio: int  # audio files the notes use, kept (listed; not played yet)
    media_added: int  # files new to the media folder
    media_refused: tuple[str, ...] = ()  # "name: why", each shown in its note
    media_unused: int = 0  # files in the package no note refers to
    skipped_notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Writer:
    """What the import needs from the library to write."""

    store: Store
    media_dir: Path | None
    scheduler_for: Callable[[str], Scheduler]
    transaction: Callable[[list[Deck]], AbstractContextManager[None]]
    before_write: Callable[[], object]  # e.g. a backup; its result is unused


def import_package(
    path: Path,
    writer: Writer,
    now: datetime,
    next_day: datetime,
    progress: Progress | None = None,
    scratch: Path | None = None,
) -> PackageSummary:
    """Import an ``.apkg`` / ``.colpkg`` with its history, states and media.

    Buried cards stay buried until ``next_day``, the next study day.

    Raises:
        PackageError: If the package is unreadable or unsafe; nothing is
            imported then.
        StoreError: If the database cannot be written; nothing is imported.
    """
    report = _Reporter(progress)
    report(0, f"Reading {path.name}")
    try:  # a FIFO or device would hang or never end: regular files only
        check_regular(path, MAX_TOTAL_BYTES, what="Anki package")
    except UnsafeFileError as error:
        raise PackageError(f"{path}: {error}") from None
    with opened_package(path, scratch) as package:
        report(10, "Checking media")
        media = _media(package, writer.media_dir)
        decks = _with_parents(
            [_rewritten(deck, media) for deck in package.report.decks],
            set(writer.store.deck_ids()),
        )
        # A package may only update decks it owns: a deck named like another
        # file's deck gets an id of its own (ownership.claim).
        claimed = claim(writer.store, decks)
        decks = [deck for deck, _ in claimed]
        notes = {deck.id: note for deck, note in claimed}
        report(20, "Writing notes and cards")
        writer.before_write()
        with gc_paused():
            summary = _write(package, writer, decks, media, now, next_day, report)
        return replace(
            summary,
            decks=tuple(
                replace(s, note=notes.get(s.deck_id, "")) for s in summary.decks
            ),
        )


def _write(
    package: OpenedPackage,
    writer: Writer,
    decks: list[Deck],
    media: MediaSet,
    now: datetime,
    buried_until: datetime,
    report: _Reporter,
) -> PackageSummary:
    store = writer.store
    written: list[Path] = []
    collection = open_collection(package.database, package.path)
    try:
        with writer.transaction(decks), anki_rows.limited_cache(store):
            cards_before = anki_rows.count_cards(store)
            summaries = [deck_rows.import_deck(store, deck, now=now) for deck in decks]
            cards_added = anki_rows.count_cards(store) - cards_before
            report(30, "Replaying the review history")
            history = import_history(
                store,
                collection,
                decks,
                scheduler_for=writer.scheduler_for,
                buried_until=buried_until,
                progress=lambda done, total: report(
                    30 + 60 * done // max(total, 1),
                    f"Replaying the review history ({done:,} of {total:,} rows)",
                ),
            )
            report(92, "Writing media")
            files = list({f.name: f for f in media.files.values()}.values())
            if files and writer.media_dir is not None:
                written = save_media(files, writer.media_dir)
    except BaseException as error:
        for file in written:
            file.unlink(missing_ok=True)
        if isinstance(error, CollectionError):
            raise PackageError(
                f"{package.path}: damaged Anki collection, {error}; nothing was "
                "imported"
            ) from error
        raise
    finally:
        collection.close()
    report(100, "Done")
    return _summary(
        package.report, summaries, cards_added, history, media, len(written)
    )


def _summary(
    read: AnkiPackageReport,
    summaries: list[ImportSummary],
    cards_added: int,
    history: HistoryCounts,
    media: MediaSet,
    media_added: int,
) -> PackageSummary:
    kinds = [f.kind for f in media.files.values()]
    return PackageSummary(
        path=str(read.decks[0].path) if read.decks else "",
        decks=tuple(summaries),
        notes_in_package=read.notes,
        notes_added=sum(s.added for s in summaries),
        cards_added=cards_added,
        history=history,
        images=kinds.count("image"),
        audio=kinds.count("audio"),
        media_added=media_added,
        media_refused=tuple(f"{name}: {why}" for name, why in media.refused.items()),
        media_unused=media.unused,
        skipped_notes=read.skipped,
    )


def _media(package: OpenedPackage, media_dir: Path | None) -> MediaSet:
    images: set[str] = set()
    sounds: set[str] = set()
    for deck in package.report.decks:
        for spec in deck.cards:
            for text in (spec.front, spec.back, spec.cloze):
                if "<img" in text or "[sound:" in text:
                    found = referenced(text)
                    images |= found[0]
                    sounds |= found[1]
    return collect_media(
        package.archive,
        package.members,
        package.path,
        (images, sounds),
        accept=media_dir is not None,
    )


def _rewritten(deck: Deck, media: MediaSet) -> Deck:
    if not media.files and not media.refused:
        return deck
    cards = tuple(
        dataclasses.replace(
            spec,
            front=media.rewrite(spec.front),
            back=media.rewrite(spec.back),
            cloze=media.rewrite(spec.cloze),
        )
        for spec in deck.cards
    )
    return dataclasses.replace(deck, cards=cards)


def _with_parents(decks: list[Deck], stored: set[str]) -> list[Deck]:
    """Add an empty deck for each missing parent of a nested ``A::B::C`` deck.

    A parent is only made when no deck (stored or in the package) has its
    id: importing an empty deck over an existing one would retire its cards.
    """
    taken = stored | {deck.id for deck in decks}
    titles = {deck.title for deck in decks}
    parents: list[Deck] = []
    for deck in decks:
        parts = deck.title.split(DECK_SEPARATOR)
        for depth in range(1, len(parts)):
            title = DECK_SEPARATOR.join(parts[:depth])
            deck_id = deck_id_for_name(title)
            if title in titles or deck_id in taken:
                continue
            titles.add(title)
            taken.add(deck_id)
            parents.append(Deck(id=deck_id, title=title, path=deck.path))
    return parents + decks


class _Reporter:
    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress

    def __call__(self, percent: int, text: str) -> None:
        if self.progress is not None:
            self.progress(min(percent, 100), 100, text)


def is_package(path: Path) -> bool:
    """Whether ``path`` names an Anki package."""
    return path.suffix.lower() in (".apkg", ".colpkg")


def require_package(path: Path) -> None:
    """Raise a PackageError unless ``path`` is an existing Anki package."""
    if not is_package(path) or not path.is_file():
        raise PackageError(f"{path}: not an Anki package (.apkg or .colpkg)")
