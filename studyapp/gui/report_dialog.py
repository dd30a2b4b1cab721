"""A dialog that shows a headline over a read-only, copyable list of lines."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from studyapp.gui.plain import PlainLabel


class ReportDialog(QDialog):
    """Headline, the lines (selectable, so they can be copied) and one button."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        name: str,
        headline: str,
        lines: Iterable[str],
        lines_name: str,
        button: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Ok,
        size: tuple[int, int] = (620, 300),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(name)
        heading = PlainLabel(headline)
        heading.setWordWrap(True)
        self.text = QPlainTextEdit("\n".join(lines))
        self.text.setReadOnly(True)
        # Lines wrap, a long path too: the message after it is never out of sight.
        self.text.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.text.setAccessibleName(lines_name)
        buttons = QDialogButtonBox(button)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(*size)
