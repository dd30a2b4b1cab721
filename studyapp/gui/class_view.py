"""The Class screen: a class's mastery per source section and its weakest cards.

Thin: the report comes from core (``classroom.report``); students see their
sharing switch and, in plain words, what is shared. While the app runs, a
timer pushes answers in a worker thread on a connection of its own, so a
review never waits for the network.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QMenu,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.classroom.config import ClassConfig, load_config, what_is_shared
from studyapp.core.classroom.push import push_collection
from studyapp.core.classroom.report import ClassReport
from studyapp.core.classroom.student import set_sharing
from studyapp.core.library import utc_now
from studyapp.gui.elided import ElidedLabel
from studyapp.gui.plain import PlainLabel, plain_tip
from studyapp.gui.stats_tables import (
    RECALL_ROLE,
    RecallBarDelegate,
    new_table,
    number_item,
    titled,
)

PUSH_EVERY_MS = 2 * 60 * 1000
SETTLE = timedelta(minutes=2)  # an answer may still be undone until then


class ClassView(QWidget):
    """A class report (instructors) and the sharing switch (students)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Class")
        # One line: a long class title is elided (the tooltip has it all).
        self.heading = ElidedLabel("No class report")
        self.heading.setObjectName("heading")
        self.sections = new_table(
            "Mastery per source section",
            ["Section", "Cards", "Studied", "Recall now", "Recall at exam", "Exam"],
            stretch=(0,),
        )
        self.weakest = new_table(
            "Weakest cards",
            ["Recall at exam", "Studied by", "Card", "Source passage"],
            stretch=(2, 3),
        )
        for table, columns in ((self.sections, (3, 4)), (self.weakest, (0,))):
            delegate = RecallBarDelegate(table)
            for column in columns:
                table.setItemDelegateForColumn(column, delegate)
        self.sharing = QCheckBox("Share my answers on the class decks")
        self.shared = PlainLabel()
        self.shared.setWordWrap(True)
        self.sharing.hide()
        self.shared.hide()
        self.report_boxes = (
            titled("Mastery per source section", self.sections),
            titled("The 20 weakest cards", self.weakest),
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        # Both tables scroll: many sections never stretch the window.
        for box in self.report_boxes:
            box.hide()  # until there is a report: students have none
            layout.addWidget(box, 1)
        layout.addWidget(self.sharing)
        layout.addWidget(self.shared)
        self._data_dir: Path | None = None
        self.sharing.toggled.connect(self._on_sharing_toggled)

    def show_report(self, report: ClassReport) -> None:
        """Fill the tables from a report."""
        for box in self.report_boxes:
            box.show()
        self.heading.setText(  # the numbers first: a long title is what is cut
            f"{report.students} students · recall on the exam date"
            f" {report.exam_at:%Y-%m-%d} · {report.title} ({report.class_id})"
        )
        self.sections.setRowCount(len(report.sections))
        for row, s in enumerate(report.sections):
            exam = (
                f"{s.exam_score:.0%} of {s.exam_answers}"
                if s.exam_score is not None
                else "-"
            )
            name = QTableWidgetItem(f"{s.section} ({s.source_ref})")
            name.setToolTip(plain_tip(name.text()))  # a long name is elided
            self.sections.setItem(row, 0, name)
            self.sections.setItem(row, 1, number_item(s.cards))
            self.sections.setItem(row, 2, _share(s.studied))
            self.sections.setItem(row, 3, _share(s.class_recall_now))
            self.sections.setItem(row, 4, _share(s.class_recall_exam))
            self.sections.setItem(row, 5, QTableWidgetItem(exam))
        self.weakest.setRowCount(len(report.weakest))
        for row, c in enumerate(report.weakest):
            self.weakest.setItem(row, 0, _share(c.recall_exam or 0.0))
            self.weakest.setItem(row, 1, QTableWidgetItem(f"{c.studied:.0%}"))
            card = QTableWidgetItem(c.prompt)
            card.setToolTip(
                plain_tip(f"{c.deck_id} / {c.note_id} #{c.ord}\n{c.prompt}")
            )
            self.weakest.setItem(row, 2, card)
            passage = QTableWidgetItem(c.quote or "-")
            passage.setToolTip(plain_tip(f"{c.source_ref}, {c.section}\n{c.quote}"))
            self.weakest.setItem(row, 3, passage)

    def show_membership(self, data_dir: Path, config: ClassConfig) -> None:
        """Show the sharing switch of this collection's class."""
        self._data_dir = data_dir
        self.sharing.blockSignals(True)
        self.sharing.setChecked(config.sharing)
        self.sharing.blockSignals(False)
        self.shared.setText(what_is_shared(config))
        self.sharing.show()
        self.shared.show()

    def _on_sharing_toggled(self, on: bool) -> None:
        if self._data_dir is not None:
            self.shared.setText(what_is_shared(set_sharing(self._data_dir, on)))


def _share(value: float) -> QTableWidgetItem:
    item = QTableWidgetItem(f"{value:.0%}")
    item.setData(RECALL_ROLE, value)
    return item


class _PushTask(QRunnable):
    def __init__(self, sync: ClassSync) -> None:
        super().__init__()
        self._sync = sync

    def run(self) -> None:
        try:
            # Few attempts: the timer tries again in two minutes anyway.
            result = push_collection(
                self._sync.data_dir, now=utc_now(), settle=SETTLE, attempts=2
            )
            message = result.error if result.pending else ""
        except Exception as error:  # a push must never stop the app
            message = str(error)
        with contextlib.suppress(RuntimeError):  # the app quit meanwhile
            self._sync.finished.emit(message)


class ClassSync(QObject):
    """Pushes this collection's answers every few minutes, off the GUI thread."""

    finished = Signal(str)  # "" or why the push stopped early

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.busy = False
        self.last_error = ""
        self.timer = QTimer(self)
        self.timer.setInterval(PUSH_EVERY_MS)
        self.timer.timeout.connect(self.push_now)
        self.finished.connect(self._on_finished)

    def push_now(self) -> None:
        """Start a push unless one is running."""
        if not self.busy:
            self.busy = True
            QThreadPool.globalInstance().start(_PushTask(self))

    def _on_finished(self, message: str) -> None:
        self.busy = False
        self.last_error = message


def install_class_screen(
    window: QWidget, menu: QMenu, data_dir: Path | None
) -> ClassSync | None:
    """If this collection belongs to a class: push in the background, add Class….

    With no class nothing is added and psycopg is never loaded.
    """
    config = load_config(data_dir) if data_dir is not None else None
    if data_dir is None or config is None:
        return None
    sync = ClassSync(data_dir, window)
    sync.timer.start()
    sync.push_now()

    def open_view() -> None:
        view = ClassView(window)
        view.setWindowFlag(Qt.WindowType.Window)
        current = load_config(data_dir)
        if current is not None:
            view.heading.setText(f"Class <b>{current.class_id}</b>")
            view.show_membership(data_dir, current)
        view.show()

    menu.addAction("&Class…", open_view)
    return sync
