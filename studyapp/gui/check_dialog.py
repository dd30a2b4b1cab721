"""Tools → Check database: the report of the integrity check and repairs."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from studyapp.core.safety.check import CheckReport
from studyapp.gui.report_dialog import ReportDialog
from studyapp.words import check_report_lines


class CheckDialog(ReportDialog):
    """Shows what the database check found and repaired."""

    def __init__(self, report: CheckReport, parent: QWidget | None = None) -> None:
        if report.is_ok:
            headline = "The database is in good order."
        else:
            headline = "Some problems could not be repaired; see below."
        super().__init__(
            parent,
            title="Check database",
            name="Database check report",
            headline=headline,
            lines=check_report_lines(report, restore_hint="File → Backups…"),
            lines_name="Check report",
        )
