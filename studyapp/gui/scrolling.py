"""A body that scrolls up and down, so what a deck holds never sets a window's size."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


def vertical_scroll(body: QWidget) -> QScrollArea:
    """``body`` in a frameless scroll area that scrolls vertically only.

    The body keeps the area's width (its labels wrap); however tall it grows,
    the area asks only for its own small minimum height.
    """
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    scroll.setWidget(body)
    return scroll
