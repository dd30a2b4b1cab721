"""Parts of the review screen: the row of rating buttons, the key hint."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from studyapp.core.model import Rating
from studyapp.gui.plain import PlainLabel

RATING_KEYS = {Rating.AGAIN: "1", Rating.HARD: "2", Rating.GOOD: "3", Rating.EASY: "4"}
_KEY_HINT = (
    "Space: show answer / Good · 1-4: rate · Ctrl+Z: undo · S: source · Esc: {back}"
)


def rating_row(
    clicked: Callable[[Rating], None],
) -> tuple[QWidget, dict[Rating, QPushButton]]:
    """One button per rating, in order, each calling ``clicked`` with its rating."""
    row_widget = QWidget()
    row = QHBoxLayout(row_widget)
    row.setContentsMargins(0, 0, 0, 0)
    buttons: dict[Rating, QPushButton] = {}
    for rating in Rating:
        button = QPushButton(rating.name.title())
        button.setObjectName("ratingButton")
        button.setAccessibleName(rating.name.title())
        button.setToolTip(f"Key {RATING_KEYS[rating]}")
        button.clicked.connect(partial(clicked, rating))
        buttons[rating] = button
        row.addWidget(button)
    return row_widget, buttons


def key_hint(back: str) -> QLabel:
    """The line of keys under the card; Esc goes ``back`` (decks, planner)."""
    hint = PlainLabel(_KEY_HINT.format(back=back))
    hint.setWordWrap(True)  # never sets the window's width
    hint.setMinimumWidth(1)
    hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
    hint.setObjectName("explanation")
    hint.setAccessibleName("Keyboard shortcuts")
    return hint
