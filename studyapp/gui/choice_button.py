"""A large push button whose text wraps: exam choices can be whole sentences."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QWidget
from typing_extensions import override

from studyapp.gui.plain import PlainLabel

_MARGIN = 12


class ChoiceButton(QPushButton):
    """A push button showing wrapped plain text; it never widens the window.

    The text is drawn by a label inside; the button grows in height as the
    text wraps (height for width), so a long option stays readable at 800 px.
    """

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = PlainLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.label.setObjectName("choiceText")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(_MARGIN + 4, _MARGIN, _MARGIN, _MARGIN)
        layout.addWidget(self.label)
        self.setAccessibleName(text)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def choice_text(self) -> str:
        """The text of the choice."""
        return self.label.text()

    @override
    def hasHeightForWidth(self) -> bool:
        return True

    @override
    def heightForWidth(self, width: int) -> int:
        inner = max(1, width - 2 * _MARGIN - 4)
        return self.label.heightForWidth(inner) + 2 * _MARGIN

    @override
    def sizeHint(self) -> QSize:
        hint = self.label.sizeHint()
        width = min(hint.width(), 700) + 2 * _MARGIN + 4
        return QSize(width, self.heightForWidth(width))

    @override
    def minimumSizeHint(self) -> QSize:
        # One line: the layout asks heightForWidth for the real height.
        line = self.label.fontMetrics().lineSpacing()
        return QSize(120, line + 2 * _MARGIN)
