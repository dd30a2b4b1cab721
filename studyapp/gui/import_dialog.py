"""Importing deck files off the UI thread: progress, summary, and every problem."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QProgressDialog,
    QWidget,
)
from typing_extensions import override

from studyapp.core.errors import DeckError, Problem
from studyapp.core.library import Library
from studyapp.core.model import ImportSummary
from studyapp.gui.report_dialog import ReportDialog

if TYPE_CHECKING:  # loaded when a package is imported: a faster start
    from studyapp.core.interop.anki_package import PackageSummary

#: File → Import accepts every type the library imports.
IMPORT_FILTER = (
    "Decks and packages (*.yaml *.yml *.apkg *.colpkg *.txt *.tsv *.csv);;"
    "Deck files (*.yaml *.yml);;Anki packages (*.apkg *.colpkg);;"
    "Text and CSV (*.txt *.tsv *.csv)"
)


class ImportSignals(QObject):
    """What an ImportTask reports, delivered on the UI thread.

    Signals:
        progressed(int, int, str): files done, steps in all, what is going on.
        succeeded(list): the import finished; carries ImportSummary objects.
        failed(list): nothing was imported; carries every Problem found.
    """

    progressed = Signal(int, int, str)
    succeeded = Signal(list)
    failed = Signal(list)


class ImportTask(QRunnable):
    """Imports deck files, Anki packages and text files, all or nothing.

    The task uses the window's library. Only one thread may use it at a
    time: while the task runs on a pool thread the window is blocked by a
    modal progress dialog and touches nothing.
    """

    def __init__(self, library: Library, paths: list[Path], *, now: datetime) -> None:
        super().__init__()
        self.library = library
        self.paths = paths
        self.now = now
        self.signals = ImportSignals()
        self._steps = 1  # files found plus one, once the library reports them
        self._stages = 1  # deck files as one, then one per Anki package
        self._stage = 0  # packages done (deck files go first)

    @override
    def run(self) -> None:
        try:
            summaries = self._import()
        except DeckError as error:
            self.signals.failed.emit(list(error.problems))

        except Exception as error:  # a pool thread would swallow it silently
            where = ", ".join(str(p) for p in self.paths)
            self.signals.failed.emit([Problem(where, 1, 1, str(error))])
        else:
            self.signals.succeeded.emit(summaries)

    def _import(self) -> list[ImportSummary | PackageSummary]:
        # Deck files first (the library reports each as it reads it, so
        # nothing is parsed twice), then text files, then each package, which
        # reports reading, replaying its history and writing.
        from studyapp.core.interop.dispatch import classify

        deck_files, texts, packages = classify(self.paths)
        self._stages = len(packages) + (1 if deck_files or texts else 0)
        results = self.library.import_files(
            self.paths,
            now=self.now,
            progress=self._report_file,
            package_progress=self._report_package,
        )
        self.signals.progressed.emit(self._steps, self._steps, "Done")
        return results

    def _report_file(self, done: int, total: int, name: str) -> None:
        self._steps = total + 1
        if self._stages > 1:  # deck files, then packages: percent of it all
            self._steps = 100 * self._stages
            done, total = done * 100 // max(total, 1), 100
        text = f"Checking {name}" if done < total else "Importing"
        self.signals.progressed.emit(done, self._steps, text)

    def _report_package(self, done: int, total: int, text: str) -> None:
        """A package's progress (percent) as part of all the files."""
        self._steps = 100 * self._stages
        self.signals.progressed.emit(
            100 * self._stage + done * 100 // max(total, 1), self._steps, text
        )
        if done >= total:  # this package is written: the next one starts
            self._stage += 1


class ProblemsDialog(ReportDialog):
    """Lists every problem of an import that was refused."""

    def __init__(self, problems: list[Problem], parent: QWidget | None = None) -> None:
        super().__init__(
            parent,
            title="Import failed",
            name="Import problems",
            headline=f"{len(problems)} problem(s) were found. Nothing was imported; "
            "fix the files and import them again.",
            lines=(str(p) for p in problems),
            lines_name="Problems, one per line as path:line:column",
            button=QDialogButtonBox.StandardButton.Close,
            size=(760, 320),
        )


class SummaryDialog(ReportDialog):
    """Says what an import did: deck by deck, and for each Anki package."""

    def __init__(
        self,
        summaries: Sequence[ImportSummary | PackageSummary],
        parent: QWidget | None = None,
    ) -> None:
        from studyapp.core.interop.anki_package import PackageSummary

        decks = [s for s in summaries if isinstance(s, ImportSummary)]
        packages = [s for s in summaries if isinstance(s, PackageSummary)]
        decks += [d for p in packages for d in p.decks]
        totals = [
            sum(getattr(s, field) for s in decks)
            for field in ("cards_added", "added", "updated", "unchanged", "retired")
        ]
        lines = [line for p in packages for line in package_lines(p)]
        super().__init__(
            parent,
            title="Import finished",
            name="Import summary",
            headline=package_headline(packages)
            + f"{len(decks)} deck(s): {totals[0]} cards added "
            f"(from {totals[1]} new notes); notes: {totals[2]} updated, "
            f"{totals[3]} unchanged, {totals[4]} retired.",
            lines=lines + [str(s) for s in decks],
            lines_name="Import summary per package and deck",
            size=(720, 320),
        )


def package_headline(packages: list[PackageSummary]) -> str:
    """Notes, cards, reviews and media the packages added, as one sentence."""
    if not packages:
        return ""
    numbers = [
        sum(p.notes_added for p in packages),
        sum(p.cards_added for p in packages),
        sum(p.history.reviews_added for p in packages),
        sum(p.media_added for p in packages),
    ]
    return (
        f"Anki: {numbers[0]} notes, {numbers[1]} cards, {numbers[2]} reviews "
        f"and {numbers[3]} media files added. "
    )


def package_lines(summary: PackageSummary) -> list[str]:
    """One package's import, line by line: what came, what was left and why."""
    history = summary.history
    lines = [
        f"{summary.path}: {summary.notes_added} notes, {summary.cards_added} "
        f"cards, {history.reviews_added} reviews added "
        f"({history.reviews_known} were already here)",
        f"  {history.cards_replayed} cards scheduled from their history "
        f"({history.memory_checked - history.memory_differs} of "
        f"{history.memory_checked} match the memory state Anki stored); "
        f"{history.suspended} suspended, {history.buried} buried, "
        f"{history.flagged} flagged",
        f"  media: {summary.images} images, {summary.audio} audio files "
        f"(audio is kept and listed, not played yet); {summary.media_unused} "
        "unused files left out",
    ]
    if history.skipped_rows or history.orphaned_rows:
        lines.append(
            f"  review log: {history.skipped_rows} rows that are not answers "
            f"(manual, rescheduled, cram) and {history.orphaned_rows} answers of "
            "notes not imported were left out"
        )
    if history.studied_without_history:
        lines.append(
            f"  {history.studied_without_history} cards Anki had studied came "
            "without answers in its review log: they start as new"
        )
    lines += [f"  not imported: {why}" for why in summary.media_refused]
    lines += [f"  skipped {note}" for note in summary.skipped_notes]
    return lines


class ImportController(QObject):
    """Runs imports with a progress dialog and shows the outcome.

    Signals:
        import_finished(list): decks were imported; carries the summaries.
        import_failed(list): nothing was imported; carries the problems.
    """

    import_finished = Signal(list)
    import_failed = Signal(list)

    def __init__(
        self,
        library: Library,
        clock: Callable[[], datetime],
        parent_widget: QWidget,
    ) -> None:
        super().__init__(parent_widget)
        self._library = library
        self._clock = clock
        self._parent_widget = parent_widget
        self.pool = QThreadPool(self)
        self.progress: QProgressDialog | None = None
        self.dialog: QDialog | None = None
        self.last_progress = (0, 0)
        self._task: ImportTask | None = None

    @property
    def is_running(self) -> bool:
        """Whether an import is under way."""
        return self._task is not None

    def ask_files(self) -> None:
        """Ask for deck files and import them."""
        names, _filter = QFileDialog.getOpenFileNames(
            self._parent_widget, "Import decks", "", IMPORT_FILTER
        )
        if names:
            self.start([Path(n) for n in names])

    def ask_folder(self) -> None:
        """Ask for a folder and import every deck in it."""
        name = QFileDialog.getExistingDirectory(
            self._parent_widget, "Import every deck in a folder"
        )
        if name:
            self.start([Path(name)])

    def start(self, paths: list[Path]) -> None:
        """Import ``paths`` (files or folders); returns at once."""
        if self._task is not None:
            return
        progress = QProgressDialog("Reading decks…", "", 0, 1, self._parent_widget)
        progress.setWindowTitle("Importing decks")
        progress.setCancelButton(None)  # the import is all or nothing
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        # Shown at once: the modal dialog is what keeps the window away from
        # the library while the pool thread uses it.
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAccessibleName("Import progress")
        self.progress = progress
        self.last_progress = (0, 0)
        task = ImportTask(self._library, paths, now=self._clock())
        task.setAutoDelete(False)
        task.signals.progressed.connect(self._on_task_progressed)
        task.signals.succeeded.connect(self._on_task_succeeded)
        task.signals.failed.connect(self._on_task_failed)
        self._task = task
        progress.show()
        if self._library.data_dir is None:
            # An in-memory database can only be used from the thread that
            # opened it (sqlite3's check_same_thread); files are opened
            # without that restriction.
            task.run()
        else:
            self.pool.start(task)

    def _finish(self) -> None:
        if self.progress is not None:
            self.progress.setValue(self.progress.maximum())
            self.progress.close()
        self._task = None

    def _on_task_progressed(self, done: int, steps: int, text: str) -> None:
        self.last_progress = (done, steps)
        if self.progress is not None:
            self.progress.setMaximum(steps)
            self.progress.setValue(done)
            self.progress.setLabelText(text)

    def _on_task_succeeded(
        self, summaries: list[ImportSummary | PackageSummary]
    ) -> None:
        self._finish()
        self.dialog = SummaryDialog(summaries, self._parent_widget)
        self.dialog.open()
        self.import_finished.emit(summaries)

    def _on_task_failed(self, problems: list[Problem]) -> None:
        self._finish()
        self.dialog = ProblemsDialog(problems, self._parent_widget)
        self.dialog.open()
        self.import_failed.emit(problems)
