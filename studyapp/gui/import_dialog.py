"""Importing deck files off the UI thread: progress, summary, and every problem."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

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

    def _import(self) -> list[ImportSummary]:
        # The library reports each file as it reads it, so nothing is parsed
        # twice; the last step is writing them all.
        summaries = self.library.import_files(
            self.paths, now=self.now, progress=self._report_file
        )
        self.signals.progressed.emit(self._steps, self._steps, "Done")
        return summaries

    def _report_file(self, done: int, total: int, name: str) -> None:
        self._steps = total + 1
        text = f"Checking {name}" if done < total else "Importing"
        self.signals.progressed.emit(done, self._steps, text)


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
            wrap=False,
            size=(760, 320),
        )


class SummaryDialog(ReportDialog):
    """Says what an import did, deck by deck."""

    def __init__(
        self, summaries: list[ImportSummary], parent: QWidget | None = None
    ) -> None:
        totals = [
            sum(getattr(s, field) for s in summaries)
            for field in ("cards_added", "added", "updated", "unchanged", "retired")
        ]
        super().__init__(
            parent,
            title="Import finished",
            name="Import summary",
            headline=f"{len(summaries)} deck(s): {totals[0]} cards added "
            f"(from {totals[1]} new notes); notes: {totals[2]} updated, "
            f"{totals[3]} unchanged, {totals[4]} retired.",
            lines=(str(s) for s in summaries),
            lines_name="Import summary per deck",
            size=(620, 280),
        )


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

    def _on_task_succeeded(self, summaries: list[ImportSummary]) -> None:
        self._finish()
        self.dialog = SummaryDialog(summaries, self._parent_widget)
        self.dialog.open()
        self.import_finished.emit(summaries)

    def _on_task_failed(self, problems: list[Problem]) -> None:
        self._finish()
        self.dialog = ProblemsDialog(problems, self._parent_widget)
        self.dialog.open()
        self.import_failed.emit(problems)
