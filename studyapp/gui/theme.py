"""Palettes and highlight colours that follow the system's light or dark scheme."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from studyapp.gui.paths import style_path


@dataclass(frozen=True, slots=True)
class Highlight:
    """Colours for a marked span: the cloze answer or the quoted passage."""

    background: QColor
    foreground: QColor


def is_dark(palette: QPalette) -> bool:
    """Whether the palette draws light text on a dark window."""
    text = palette.color(QPalette.ColorRole.WindowText).lightness()
    return text > palette.color(QPalette.ColorRole.Window).lightness()


def passage_highlight(palette: QPalette) -> Highlight:
    """The quoted passage and the cloze answer: amber that keeps text readable."""
    if is_dark(palette):
        return Highlight(QColor("#6b5200"), QColor("#fff8e1"))
    return Highlight(QColor("#ffe08a"), QColor("#1a1a1a"))


def reference_highlight(palette: QPalette) -> Highlight:
    """A finding's entry in the reference list: a calmer blue."""
    if is_dark(palette):
        return Highlight(QColor("#1f4a73"), QColor("#eaf4ff"))
    return Highlight(QColor("#cfe5ff"), QColor("#1a1a1a"))


def count_colours(palette: QPalette) -> tuple[QColor, QColor, QColor]:
    """Colours of the new, learning and due counts, readable on the palette."""
    if is_dark(palette):
        return QColor("#7fb6ff"), QColor("#ff9a8a"), QColor("#7ddc8a")
    return QColor("#1f5fbf"), QColor("#b3261e"), QColor("#1b7a2e")


def apply_theme(app: QApplication) -> None:
    """Use Fusion (it follows the system colour scheme) and the app stylesheet."""
    # Fusion picks its light or dark palette from the platform's colour
    # scheme and switches when the system does.
    app.setStyle("Fusion")
    sheet = style_path("app.qss")
    if sheet.is_file():
        app.setStyleSheet(sheet.read_text(encoding="utf-8"))
