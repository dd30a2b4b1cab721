"""Tools → Check database: the report of the integrity check and repairs."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.check import CheckReport


class CheckDialog(QDialog):
    """Shows what the database check found and repaired."""

    def __init__(self, report: CheckReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check database")
        self.setAccessibleName("Database check report")
        if report.is_ok:
            headline = "The database is in good order."
        else:
            headline = "Some problems could not be repaired; see below."
        title = QLabel(headline)
        title.setWordWrap(True)
        self.text = QPlainTextEdit("\n".join(report.lines()))
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Check report")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(620, 300)
