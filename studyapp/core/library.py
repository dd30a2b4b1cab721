"""The one door the GUI and CLI use: open, import, study, exams, stats, safety.

Front ends never reach past it to the store: every method here is a thin
delegation to the package that owns the rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.core.appfiles import bundled_decks_dir, default_data_dir
from studyapp.core.clock import day_start, to_ms
from studyapp.core.decks.files import find_deck_files
from studyapp.core.importing import Importer
from studyapp.core.interop.review_csv import export_history
from studyapp.core.model import (
    Card,
    CardState,
    Deck,
    DeckCounts,
    ImportSummary,
    SchedulerSettings,
    Source,
)
from studyapp.core.safety.backup import BACKUP_DIR, Backups
from studyapp.core.safety.check import CheckReport, check_collection
from studyapp.core.safety.lock import InstanceLock
from studyapp.core.safety.scratch import clean_scratch
from studyapp.core.settings import check_settings, settings_from_dict, settings_to_dict
from studyapp.core.store import anki_rows, card_marks, deck_rows, reports, study_rows
from studyapp.core.store.database import Store
from studyapp.core.study import planner
from studyapp.core.study.card_actions import CardActions
from studyapp.core.study.overview import Overview, deck_counts, overview
from studyapp.core.study.planner import Forecast, StudySession
from studyapp.core.study.review import ReviewQueue
from studyapp.core.study.scheduling import Scheduler
from studyapp.core.study.statistics import Statistics
from studyapp.core.study.tuning import Tuning
from studyapp.core.study.undo import UndoHistory

if TYPE_CHECKING:  # loaded on first use: a faster start (issues 13, 21)
    from studyapp.core.authoring.deck_admin import DeckAdmin
    from studyapp.core.authoring.editing import CardEditor
    from studyapp.core.exam import session as exam_session
    from studyapp.core.exam.questions import Question
    from studyapp.core.interop.anki_package import PackageSummary
    from studyapp.core.store import exams

DB_NAME = "studyapp.sqlite3"


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


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
        self._importer = Importer(store, self.backups, data_dir)
        self.undo_history = UndoHistory()  # issue 15: Edit -> Undo, app-wide

    @classmethod
    def open(cls, data_dir: Path | None = None) -> Library:
        """Open the collection in ``data_dir`` (default: the user's data folder)."""
        folder = data_dir or default_data_dir()
        lock = InstanceLock(folder)
        lock.acquire()  # a second instance on the same folder is refused
        try:
            clean_scratch(folder)
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

        See ``Importer.import_paths``.
        """
        try:
            return self._importer.import_paths(
                paths, now=now or utc_now(), force=force, progress=progress
            )
        finally:
            self.forget_cached()

    def import_decks(
        self, decks: Iterable[Deck], *, now: datetime | None = None
    ) -> list[ImportSummary]:
        """Import decks built in memory (from Anki packages or CSV), all or nothing."""
        try:
            return self._importer.import_decks(decks, now=now or utc_now())
        finally:
            self.forget_cached()

    def import_files(
        self,
        paths: Iterable[Path],
        *,
        now: datetime | None = None,
        force: bool = False,
        progress: Callable[[int, int, str], None] | None = None,
        package_progress: Callable[[int, int, str], None] | None = None,
    ) -> list[ImportSummary | PackageSummary]:
        """Import any supported files (see ``Importer.import_files``)."""
        now = now or utc_now()
        next_day = self.day_start(now) + timedelta(days=1)
        try:
            return self._importer.import_files(
                paths,
                self.scheduler_for,
                now,
                next_day,
                force=force,
                progress=progress,
                package_progress=package_progress,
            )
        finally:
            self.forget_cached()

    def import_bundled_if_empty(
        self, *, now: datetime | None = None
    ) -> list[ImportSummary]:
        """On first start, import the bundled decks."""
        if reports.has_decks(self.store):
            return []
        folder = bundled_decks_dir()
        if not folder.is_dir() or not find_deck_files([folder]):
            return []
        return self.import_paths([folder], now=now)

    def stored_deck(self, deck_id: str) -> Deck:
        """A stored deck as a Deck (for export)."""
        return deck_rows.stored_deck(self.store, deck_id)

    # Settings and scheduling ---------------------------------------------

    def settings(self, deck_id: str | None = None) -> SchedulerSettings:
        """Effective settings: defaults < global < deck file < deck overrides."""
        result = settings_from_dict(self.store.settings(""), SchedulerSettings())
        if deck_id:
            result = settings_from_dict(
                deck_rows.file_settings(self.store, deck_id), result
            )
            result = settings_from_dict(self.store.settings(deck_id), result)
        return result

    def save_settings(
        self, settings: SchedulerSettings, deck_id: str | None = None
    ) -> None:
        """Store settings globally or as one deck's overrides; applies at once.

        Raises:
            SettingsError: If a value is outside the allowed ranges.
        """
        check_settings(settings)
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
            self._schedulers[deck_id] = Scheduler(
                self.settings(deck_id), self.tuning().parameters(deck_id)
            )
        return self._schedulers[deck_id]

    def tuning(self) -> Tuning:
        """FSRS parameters: in use, optimised from the log, simulated (issue 18)."""
        return Tuning(self.store, self.settings, self.forget_cached)

    def day_start(self, now: datetime) -> datetime:
        """Start of the current study day (rollover hour, local time)."""
        return day_start(now, self.settings().day_rollover_hour)

    # Reviewing -----------------------------------------------------------

    def review_queue(
        self, deck_ids: list[str] | None = None, *, now: datetime | None = None
    ) -> ReviewQueue:
        """A review session over some decks (all when None)."""
        now = now or utc_now()
        card_marks.unbury(self.store, to_ms(now))
        if deck_ids is not None:  # a deck A studies its nested decks A::B too
            deck_ids = anki_rows.with_subdecks(self.store, deck_ids)
        return ReviewQueue(
            self.store,
            self.scheduler_for,
            deck_ids,
            now=now,
            day_start=self.day_start(now),
            history=self.undo_history,
        )

    def deck_counts(self, *, now: datetime | None = None) -> list[DeckCounts]:
        """Every deck with the new / learning / due cards it offers now.

        New and due counts are capped by the deck's daily limits, less what
        was already studied today, and without siblings buried until the
        next day; learning counts what falls due within the learn-ahead. So
        they match what a session will show.
        """
        now = now or utc_now()
        card_marks.unbury(self.store, to_ms(now))
        return deck_counts(self.store, self.scheduler_for, now, self.day_start(now))

    # Overview and section names --------------------------------------------

    def source_titles(self) -> dict[str, str]:
        """Each source's title by its id, for naming sections."""
        return study_rows.source_titles(self.store)

    def overview(
        self,
        deck_ids: list[str] | None,
        *,
        now: datetime,
        counts: list[DeckCounts] | None = None,
    ) -> Overview:
        """Counts, due next, last study, retention (``counts``: deck_counts')."""
        counts = self.deck_counts(now=now) if counts is None else counts
        return overview(
            self.store, counts, deck_ids, now=now, day_start=self.day_start(now)
        )

    # Browsing, card actions and editing (issue 15) -------------------------

    @property
    def cards(self) -> CardActions:
        """Search cards and suspend / bury / flag / reset them (undoable)."""
        return CardActions(self.store, self.undo_history, self.day_start)

    @property
    def editor(self) -> CardEditor:
        """Edit and add cards, saved into their deck file (undoable)."""
        from studyapp.core.authoring.editing import CardEditor

        return CardEditor(
            self.store,
            self.undo_history,
            lambda path: self.import_paths([path]),
            lambda deck: self.import_decks([deck]),
        )

    @property
    def decks(self) -> DeckAdmin:
        """New, rename, delete and move decks' cards (undoable)."""
        editor = self.editor
        from studyapp.core.authoring.deck_admin import DeckAdmin

        return DeckAdmin(self.store, self.undo_history, editor, self.backups)

    def undo(self) -> str:
        """Take back the newest undoable step; returns its label."""
        return self.undo_history.undo()

    # Cards, sources and documents ----------------------------------------

    def card(self, card_id: int) -> Card:
        """One review card with its note's content."""
        return self.store.card(card_id)

    def card_state(self, card_id: int) -> CardState:
        """A card's scheduling state."""
        return self.store.card_state(card_id)

    def card_ids(self, deck_id: str) -> list[int]:
        """A deck's review cards, in deck order."""
        return self.store.card_ids(deck_id)

    def source(self, source_id: str) -> Source:
        """A stored source document, with its text."""
        return self.store.source(source_id)

    def quote_span(self, card_id: int) -> tuple[int, int] | None:
        """Where a card's quote sits in its source text (start, end)."""
        return self.store.quote_span(card_id)

    def document_titles(self) -> dict[str, str]:
        """A readable title for each deck document (see ``document_titles``)."""
        return reports.document_titles(self.store)

    def totals(self) -> tuple[int, int]:
        """How many review cards and answers the collection holds."""
        return reports.totals(self.store)

    # Statistics ------------------------------------------------------------

    @property
    def stats(self) -> Statistics:
        """Answers, retention, forecast and mastery (``core.study.statistics``)."""
        return Statistics(self.store, self.scheduler_for, self.day_start)

    # Exams and the planner -------------------------------------------------

    def exam_cards(self, deck_ids: Iterable[str]) -> list[Card]:
        """The cards an exam over these decks may ask about."""
        from studyapp.core.exam import session as exam_session

        return exam_session.exam_cards(self.store, deck_ids)

    def build_exam(self, spec: exam_session.ExamSpec) -> list[Question]:
        """The questions of the exam ``spec`` describes."""
        from studyapp.core.exam import session as exam_session

        return exam_session.build_exam(self.store, spec)

    def finish_exam(
        self,
        result: exam_session.ExamResult,
        *,
        record_reviews: bool = False,
        now: datetime | None = None,
    ) -> tuple[int, int]:
        """Save a finished exam; optionally record its answers as reviews.

        Returns:
            The exam's id, and how many reviews were recorded.
        """
        from studyapp.core.exam import session as exam_session
        from studyapp.core.store import exams

        exam_id = exams.save_exam(self.store, result)
        fed = 0
        if record_reviews:
            fed = exam_session.feed_reviews(
                self.store, self.scheduler_for, result, now=now or utc_now()
            )
        return exam_id, fed

    def exam_history(self) -> list[exams.ExamSummary]:
        """Past exams, newest first."""
        from studyapp.core.store import exams

        return exams.exam_history(self.store)

    # Anki packages whole: history, card states, media --------------------

    def import_package(
        self,
        path: Path,
        *,
        now: datetime | None = None,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> PackageSummary:
        """Import an Anki package whole, all or nothing (anki_package)."""
        now = now or utc_now()
        next_day = self.day_start(now) + timedelta(days=1)
        try:
            return self._importer.import_package(
                path, self.scheduler_for, now, next_day, progress
            )
        finally:
            self.forget_cached()

    def export(self, deck_ids: list[str], path: Path) -> list[Path]:
        """Export decks by the suffix; an .apkg carries history and media."""
        from studyapp.core.interop.dispatch import export_decks  # loads genanki

        decks = [self.stored_deck(d) for d in deck_ids]
        return export_decks(decks, path, self.store, self.media_dir)

    def exam_csv(self, exam_id: int) -> str:
        """A stored exam as CSV text, one row per question."""
        from studyapp.core.store import exams

        return exams.exam_csv(self.store, exam_id)

    def forecast(self, deck_ids: Iterable[str], exam_at: datetime) -> Forecast:
        """Predicted recall at ``exam_at`` per card and section."""
        return planner.forecast(
            self.store, self.scheduler_for, deck_ids, exam_at=exam_at
        )

    def study_session(self, card_ids: Iterable[int]) -> StudySession:
        """A session over given cards in a given order (the planner's)."""
        return StudySession(self.store, self.scheduler_for, card_ids)

    # Safety ----------------------------------------------------------------

    def check(self, *, now: datetime, repair: bool = True) -> CheckReport:
        """Check the database (and repair what is safe, after a backup)."""
        return check_collection(self.store, self.backups, now=now, repair=repair)

    def export_history(
        self,
        out: Path,
        *,
        deck_ids: list[str] | None = None,
        since: datetime | None = None,
    ) -> int:
        """Write the review log to a CSV file; returns the rows written."""
        return export_history(self.store, out, deck_ids=deck_ids, since=since)
