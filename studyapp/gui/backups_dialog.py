"""File → Backups…: the collection's backups; back up now or restore one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.errors import StudyAppError
from studyapp.core.safety.backup import BackupInfo, Backups
from studyapp.gui.plain import PlainLabel, plain_tip

COLUMNS = ("Taken", "Why", "Cards", "Reviews", "Size")
_REASONS = {
    "": "on close",
    "study": "while studying",
    "manual": "by hand",
    "before-import": "before an import",
    "before-check": "before a check",
    "before-restore": "before a restore",
}


def local_time(moment: datetime) -> str:
    """A backup's time as the learner reads it: local time, to the second."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def format_size(size: int) -> str:
    """A file size in bytes as ``830 B``, ``48 KB`` or ``1.4 MB``."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def reason_text(reason: str) -> str:
    """Why a backup was taken, in words."""
    return _REASONS.get(reason, reason.replace("-", " "))


def _count(value: int | None) -> str:
    return "unreadable" if value is None else str(value)


class BackupsDialog(QDialog):
    """Lists the backups, newest first; takes one now or restores the selected one.

    A restore is confirmed first and backs up the current state before the
    collection is replaced, so it can itself be undone.

    Signals:
        backup_created(str): a backup was written; carries its path.
        collection_restored(str): the collection was replaced by the backup
            whose path it carries; whatever was read from it before is stale.
    """

    backup_created = Signal(str)
    collection_restored = Signal(str)

    def __init__(
        self,
        backups: Backups,
        clock: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._backups = backups
        self._clock = clock
        self._shown: list[BackupInfo] = []
        self.confirmation: QMessageBox | None = None
        self.setWindowTitle("Backups")
        self.setAccessibleName("Backups")

        intro = PlainLabel(
            "Backups are taken on close, before imports and checks, and every "
            f"30 minutes while studying. They are kept in {backups.folder}."
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTreeWidget()
        self.table.setHeaderLabels(list(COLUMNS))
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAccessibleName("Backups, newest first")
        header = self.table.header()
        header.setStretchLastSection(False)  # keeps the sizes beside their counts
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.status = PlainLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Backup status")

        self.backup_button = QPushButton("&Back up now")
        self.backup_button.setAccessibleName("Back up now")
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.setAccessibleName("Restore the selected backup")
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        row.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self.resize(640, 380)
        self.reload()

    def reload(self) -> None:
        """Re-read the backups folder."""
        self._shown = self._backups.list()
        self.table.clear()
        for info in self._shown:
            item = QTreeWidgetItem(
                [
                    local_time(info.taken_at),
                    reason_text(info.reason),
                    _count(info.cards),
                    _count(info.reviews),
                    format_size(info.size),
                ]
            )
            for column in (2, 3, 4):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            item.setToolTip(0, plain_tip(info.path.name))
            self.table.addTopLevelItem(item)
        for column in (0, 2, 3, 4):
            self.table.resizeColumnToContents(column)
        if not self._shown:
            self.status.setText("There are no backups yet.")
        self._update_buttons()

    @property
    def backups(self) -> list[BackupInfo]:
        """The backups listed, newest first, as the rows show them."""
        return list(self._shown)

    def selected_backup(self) -> BackupInfo | None:
        """The backup of the selected row, if one is selected."""
        item = self.table.currentItem()
        if item is None or not item.isSelected():
            return None
        return self._shown[self.table.indexOfTopLevelItem(item)]

    def select(self, path: Path) -> None:
        """Select the row of the backup in ``path``."""
        for index, info in enumerate(self._shown):
            item = self.table.topLevelItem(index)
            if info.path == path and item is not None:
                self.table.setCurrentItem(item)

    def back_up_now(self) -> Path | None:
        """Take a backup now; returns its file (None if it could not be written)."""
        try:
            path = self._backups.create(self._clock(), "manual")
        except StudyAppError as error:
            self.status.setText(f"No backup was written: {error}")
            return None
        self.reload()
        self.select(path)
        self.status.setText(f"Backup written: {path.name}")
        self.backup_created.emit(str(path))
        return path

    def ask_to_restore(self) -> QMessageBox | None:
        """Ask before restoring the selected backup (window-modal; returns at once)."""
        info = self.selected_backup()
        if info is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Restore a backup",
            f"Replace the collection with the backup taken {local_time(info.taken_at)}"
            f" ({_count(info.cards)} cards, {_count(info.reviews)} reviews)?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText(
            "A backup of the current state is taken first, so you can go back "
            "to it by restoring that one. An open study session is ended."
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText("&Restore")
        box.buttonClicked.connect(
            lambda button: self._on_confirmation_button_clicked(info, button)
        )
        self.confirmation = box
        box.open()
        return box

    def restore(self, info: BackupInfo) -> bool:
        """Back up the current state, then replace the collection with ``info``."""
        try:
            safety = self._backups.restore(info.path, self._clock())
        except StudyAppError as error:
            self.status.setText(f"Nothing was restored: {error}")
            return False
        self.reload()
        self.status.setText(
            f"Restored the backup taken {local_time(info.taken_at)}. The state "
            f"before was backed up as {safety.name}."
        )
        self.collection_restored.emit(str(info.path))
        return True

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected_backup() is not None)

    def _on_table_selection_changed(self) -> None:
        self._update_buttons()

    def _on_backup_button_clicked(self) -> None:
        self.back_up_now()

    def _on_restore_button_clicked(self) -> None:
        self.ask_to_restore()

    def _on_confirmation_button_clicked(
        self, info: BackupInfo, button: QAbstractButton
    ) -> None:
        box = self.confirmation
        if box is not None and box.standardButton(button) == (
            QMessageBox.StandardButton.Yes
        ):
            self.restore(info)
