"""Help: the keyboard shortcuts table and the About box."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studyapp import __version__

SHORTCUTS = (
    ("Ctrl+R", "Study now (the selected decks, or all)"),
    ("Enter", "Study the deck or group under the cursor in the deck list"),
    ("Space or Enter", "Show the answer; once shown, rate Good"),
    ("1 / 2 / 3 / 4", "Rate Again / Hard / Good / Easy"),
    ("Ctrl+Z", "Edit → Undo: the last answer, edit, suspend, deletion… (repeat)"),
    ("S", "Show or hide the source pane"),
    ("@ / -", "Suspend the card / bury it until tomorrow (review, browser)"),
    ("Ctrl+1…4", "Flag the card red / orange / green / blue (Ctrl+0: no flag)"),
    ("E / I", "Edit the card / its info in the browser (review)"),
    ("N", "New card from the text selected in the source pane"),
    ("Ctrl+B", "Browse and search cards (in review: on the current card)"),
    ("Esc", "Back to the deck list"),
    ("Ctrl+E", "Practice exam (leaves the review schedule alone)"),
    ("Ctrl+P", "Exam planner: recall on the exam date, study the weakest"),
    ("Ctrl+T", "Statistics: answers, retention, forecast, mastery per section"),
    ("Tab / Shift+Tab", "Move between buttons and panes"),
    ("Ctrl+I", "Import decks"),
    ("Ctrl+,", "Settings"),
    ("F1", "This list"),
    ("Ctrl+Q", "Quit"),
)


class ShortcutsDialog(QDialog):
    """Lists every keyboard shortcut of the app."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        table = QTableWidget(len(SHORTCUTS), 2)
        table.setHorizontalHeaderLabels(["Key", "Action"])
        table.setAccessibleName("Shortcuts")
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        table.horizontalHeader().setStretchLastSection(True)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (key, action) in enumerate(SHORTCUTS):
            table.setItem(row, 0, QTableWidgetItem(key))
            table.setItem(row, 1, QTableWidgetItem(action))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(560, 420)


def show_about(parent: QWidget, data_dir: Path | None) -> None:
    """The About box: what the app is, its version and where the collection is."""
    folder = html.escape(str(data_dir)) if data_dir else "in memory (not saved)"
    QMessageBox.about(
        parent,
        "About StudyApp",
        f"<h3>StudyApp {__version__}</h3>"
        "<p>Flashcards and quizzes from source documents, scheduled with FSRS. "
        "Every card links back to the passage it came from.</p>"
        f"<p>Your collection is one SQLite file in <b>{folder}</b> "
        "(File → Open data folder).</p>",
    )
