"""The main window's menu bar.

The window owns the slots; this module only lays the menus out and wires
each action to its slot (the slots keep the window's ``_on_…`` names).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from studyapp.gui.main_window import MainWindow


@dataclass(frozen=True)
class MenuActions:
    """The actions and menus the window enables, disables or extends later."""

    export_action: QAction
    open_data_action: QAction
    backups_action: QAction
    study_menu: QMenu
    study_action: QAction
    check_action: QAction


def build_menus(window: MainWindow) -> MenuActions:
    """The menu bar: File, Study, Tools, Help; its actions call the window's slots."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    _add(file_menu, "&Import decks…", window._on_import_files_triggered, "Ctrl+I")
    _add(file_menu, "Import a deck &folder…", window._on_import_folder_triggered)
    _add(file_menu, "&Draft deck from a document…", window._on_draft_triggered)
    export_action = _add(file_menu, "&Export…", window._on_export_triggered)
    open_data_action = _add(
        file_menu, "Open &data folder", window._on_open_data_triggered
    )
    open_data_action.setEnabled(window.library.data_dir is not None)
    backups_action = _add(file_menu, "&Backups…", window._on_backups_triggered)
    if window.library.backups is None:
        backups_action.setEnabled(False)
        backups_action.setToolTip(
            "This collection is kept in memory; it has no backups folder"
        )
    file_menu.setToolTipsVisible(True)
    file_menu.addSeparator()
    quit_action = _add(file_menu, "&Quit", window.close)
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)

    study_menu = bar.addMenu("&Study")
    study_action = _add(
        study_menu, "Study &now", window._on_study_now_triggered, "Ctrl+R"
    )
    _add(study_menu, "Practice &exam…", window._on_exam_triggered, "Ctrl+E")
    _add(study_menu, "Exam &planner…", window._on_planner_triggered, "Ctrl+P")
    _add(study_menu, "S&tatistics…", window._on_statistics_triggered, "Ctrl+T")
    study_menu.addSeparator()

    tools = bar.addMenu("&Tools")
    _add(tools, "&Settings…", window._on_settings_triggered, "Ctrl+,")
    check_action = _add(tools, "&Check database…", window._on_check_triggered)

    help_menu = bar.addMenu("&Help")
    _add(help_menu, "&Keyboard shortcuts", window._on_shortcuts_triggered, "F1")
    _add(help_menu, "&About StudyApp", window._on_about_triggered)
    return MenuActions(
        export_action=export_action,
        open_data_action=open_data_action,
        backups_action=backups_action,
        study_menu=study_menu,
        study_action=study_action,
        check_action=check_action,
    )


def _add(menu: QMenu, text: str, slot: Callable[[], object], keys: str = "") -> QAction:
    action = menu.addAction(text)
    action.triggered.connect(slot)
    if keys:
        action.setShortcut(QKeySequence(keys))
    return action
