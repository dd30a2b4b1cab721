"""Help: the keyboard shortcuts table and the About box."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from studyapp import __version__
from studyapp.gui.plain import MarkupLabel

ShortcutGroup = tuple[str, tuple[tuple[str, str], ...]]

SHORTCUTS: tuple[ShortcutGroup, ...] = (
    (
        "Deck list",
        (
            ("Ctrl+R", "Study now (the selected decks, or all)"),
            ("Enter", "Study the deck or group under the cursor"),
            ("↑ ↓ ← →", "Move in the deck tree, open and close groups"),
        ),
    ),
    (
        "Reviewing",
        (
            ("Space or Enter", "Show the answer; once shown, rate Good"),
            ("1 / 2 / 3 / 4", "Rate Again / Hard / Good / Easy"),
            ("R", "I was right (a typed answer graded wrong)"),
            (
                "Ctrl+Z",
                "Edit → Undo: the last answer, edit, suspend, deletion… (repeat)",
            ),
            ("@ / -", "Suspend the card / bury it until tomorrow"),
            ("Ctrl+1…4", "Flag the card red / orange / green / blue (Ctrl+0: no flag)"),
            ("E / I", "Edit the card / its info in the browser"),
            ("S", "Show or hide the source pane"),
            ("Esc", "Back to the deck list (or the planner)"),
        ),
    ),
    (
        "Practice exam (Ctrl+E)",
        (
            ("Enter", "Start the exam as set up"),
            ("1-9 or A-J", "Pick a multiple-choice answer"),
            ("T / F or 1 / 2", "True or false"),
            ("Enter", "Send a typed, cloze, matching or ordering answer"),
            ("Esc", "End the exam early; on the results, leave"),
        ),
    ),
    (
        "Exam planner (Ctrl+P)",
        (
            ("Enter", "Study the weakest cards on the exam day"),
            ("Esc", "Leave the planner; in its study session, back to it"),
        ),
    ),
    (
        "Everywhere",
        (
            ("Ctrl+E", "Practice exam (leaves the review schedule alone)"),
            ("Ctrl+P", "Exam planner: recall on the exam date"),
            ("Ctrl+T", "Statistics"),
            ("Ctrl+B", "Browse and search cards (in review: on the current card)"),
            ("N", "New card from the text selected in the source pane"),
            ("Ctrl+I", "Import decks"),
            ("Ctrl+,", "Settings (theme and font sizes too)"),
            ("Tab / Shift+Tab", "Move between buttons, lists and panes"),
            ("F1", "This list"),
            ("Ctrl+Q", "Quit"),
        ),
    ),
)


def _group_html(group: ShortcutGroup) -> str:
    title, rows = group
    cells = "".join(
        f"<tr><td style='padding-right:14px'><b>{html.escape(key)}</b></td>"
        f"<td>{html.escape(action)}</td></tr>"
        for key, action in rows
    )
    return f"<h4>{html.escape(title)}</h4><table cellspacing='2'>{cells}</table>"


class ShortcutsDialog(QDialog):
    """Lists every keyboard shortcut of the app, by screen, in two columns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        columns = QHBoxLayout()
        half = 2  # deck list and reviewing left; the rest right
        for groups in (SHORTCUTS[:half], SHORTCUTS[half:]):
            label = MarkupLabel()  # fixed words, every key and text escaped
            label.setText("".join(_group_html(g) for g in groups))
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignTop)
            label.setAccessibleName("Shortcuts")
            columns.addWidget(label, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(buttons)
        self.resize(820, 480)


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
