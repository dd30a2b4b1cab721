"""Text from data is shown as plain text, never as Qt rich text.

Qt guesses whether a label's, tooltip's or message box's text is rich text.
A deck named ``<img src=/dev/zero>`` would then make Qt open that file. Every
label in the GUI is a ``PlainLabel`` (``MarkupLabel`` only for coloured
counts); tooltips and message boxes that carry
data go through ``plain_tip`` and ``show_message``. Card faces are the one
place rich text is shown, sanitised, in card_text.py.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


class PlainLabel(QLabel):
    """A QLabel that always shows its text as plain text."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)


class MarkupLabel(QLabel):
    """A label for markup the app builds from numbers and fixed words only.

    For coloured counts ("3 learning · 5 review"); never give it text that
    comes from a deck, a card or a file.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)


def plain_tip(text: str) -> str:
    """A tooltip showing ``text`` literally (tooltips have no plain mode)."""
    escaped = html.escape(text).replace("\n", "<br>")
    return f"<p style='white-space:pre-wrap'>{escaped}</p>"


def show_message(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    *,
    details: str = "",
) -> None:
    """A modal message box whose text is plain text.

    ``details``, if any, go under "Show Details…", where a long list scrolls.
    """
    box = QMessageBox(icon, title, "", QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if details:
        box.setDetailedText(details)
    box.exec()
