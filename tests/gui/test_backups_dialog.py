from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from studyapp.core.library import Library
from studyapp.gui.backups_dialog import BackupsDialog, local_time
from studyapp.gui.main_window import MainWindow

from ..conftest import MINI_DECK
from .conftest import FakeClock, show_window


@pytest.fixture
def disk_library(data_dir: Path, clock: FakeClock) -> Iterator[Library]:
    """The mini deck in a collection on disk, so it has a backups folder."""
    library = Library.open(data_dir)
    try:
        library.import_paths([MINI_DECK], now=clock.now)
        yield library
    finally:
        library.close()


@pytest.fixture
def disk_window(
    qtbot: QtBot, disk_library: Library, qsettings: QSettings, clock: FakeClock
) -> Iterator[MainWindow]:
    window = show_window(qtbot, MainWindow(disk_library, qsettings, clock))
    yield window
    window.close()  # before the library closes


def study(qtbot: QtBot, window: MainWindow, clock: FakeClock, answers: int) -> None:
    view = window.start_review(["mini"])
    for _ in range(answers):
        qtbot.keyClick(view, Qt.Key.Key_Space)
        qtbot.keyClick(view, Qt.Key.Key_3)
        clock.advance(minutes=1)


def reviews(library: Library) -> list[tuple[object, ...]]:
    return list(library.store.execute("SELECT * FROM reviews ORDER BY id").fetchall())


def rows(dialog: BackupsDialog) -> list[list[str]]:
    table = dialog.table
    return [
        [table.topLevelItem(i).text(c) for c in range(table.columnCount())]
        for i in range(table.topLevelItemCount())
    ]


def open_dialog(qtbot: QtBot, window: MainWindow) -> BackupsDialog:
    window.backups_action.trigger()
    dialog = window.backups_dialog
    assert isinstance(dialog, BackupsDialog)
    qtbot.addWidget(dialog)
    return dialog


def test_dialog_lists_backups_newest_first_and_backs_up_now(
    qtbot: QtBot, disk_window: MainWindow, clock: FakeClock
) -> None:
    studied_at = clock.now
    study(qtbot, disk_window, clock, 2)  # the first answer triggers a backup
    disk_window.close_review()
    dialog = open_dialog(qtbot, disk_window)
    assert rows(dialog) == [
        [local_time(studied_at), "while studying", "5", "1", rows(dialog)[0][4]]
    ]
    assert rows(dialog)[0][4].endswith(" KB")
    assert not dialog.restore_button.isEnabled()

    clock.advance(minutes=5)
    with qtbot.waitSignal(dialog.backup_created) as created:
        qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    path = Path(created.args[0])
    assert path.parent.name == "backups"
    assert path.is_file()
    assert [row[:4] for row in rows(dialog)] == [
        [local_time(clock.now), "by hand", "5", "2"],
        [local_time(studied_at), "while studying", "5", "1"],
    ]
    assert dialog.selected_backup() == dialog.backups[0]
    assert dialog.restore_button.isEnabled()
    assert path.name in dialog.status.text()


def test_restore_brings_the_history_back_and_the_window_keeps_working(
    qtbot: QtBot, disk_window: MainWindow, disk_library: Library, clock: FakeClock
) -> None:
    study(qtbot, disk_window, clock, 2)
    disk_window.close_review()
    dialog = open_dialog(qtbot, disk_window)
    saved_path = dialog.back_up_now()
    assert saved_path is not None
    saved = reviews(disk_library)
    assert len(saved) == 2
    dialog.accept()

    # Settings changed after the backup are restored as well.
    disk_library.save_settings(
        replace(disk_library.settings(), desired_retention=0.8), "mini"
    )
    assert disk_library.scheduler_for("mini").settings.desired_retention == 0.8
    study(qtbot, disk_window, clock, 2)  # the session stays open
    assert len(reviews(disk_library)) == 4
    assert disk_window.review is not None

    dialog = open_dialog(qtbot, disk_window)
    dialog.select(saved_path)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    box = dialog.confirmation
    assert box is not None
    assert "backup of the current state is taken first" in box.informativeText()
    with qtbot.waitSignal(dialog.collection_restored) as restored:
        qtbot.mouseClick(
            box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton
        )
    assert restored.args == [str(saved_path)]

    assert reviews(disk_library) == saved
    assert disk_library.scheduler_for("mini").settings.desired_retention == 0.9
    assert [row[1] for row in rows(dialog)].count("before a restore") == 1
    assert disk_window.review is None  # the stale session was ended
    assert disk_window.pages.currentWidget() is disk_window.home
    dialog.accept()

    view = disk_window.start_review(["mini"])
    qtbot.keyClick(view, Qt.Key.Key_Space)
    with qtbot.waitSignal(view.card_answered):
        qtbot.keyClick(view, Qt.Key.Key_3)
    assert reviews(disk_library)[:2] == saved
    assert len(reviews(disk_library)) == 3


def test_cancelled_restore_changes_nothing(
    qtbot: QtBot, disk_window: MainWindow, disk_library: Library, clock: FakeClock
) -> None:
    dialog = open_dialog(qtbot, disk_window)
    assert dialog.status.text() == "There are no backups yet."
    first = dialog.back_up_now()
    assert first is not None
    study(qtbot, disk_window, clock, 1)
    before = reviews(disk_library)
    dialog.select(first)
    box = dialog.ask_to_restore()
    assert box is not None
    with qtbot.assertNotEmitted(dialog.collection_restored):
        qtbot.mouseClick(
            box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
        )
    assert reviews(disk_library) == before
    assert disk_window.review is not None


def test_backups_entry_is_disabled_for_a_collection_in_memory(
    window: MainWindow,
) -> None:
    assert not window.backups_action.isEnabled()
    assert "no backups folder" in window.backups_action.toolTip()
    assert window.open_backups() is None
