"""The main window's menus as data: title, then (text, slot name, keys) entries.

A slot name is a method of the window; ``None`` is a separator.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

MenuEntry = tuple[str, str, str] | None

MENUS: tuple[tuple[str, tuple[MenuEntry, ...]], ...] = (
    (
        "&File",
        (
            ("&Import…", "_on_import_files_triggered", "Ctrl+I"),
            ("Import a deck &folder…", "_on_import_folder_triggered", ""),
            ("&Draft deck from a document…", "_on_draft_triggered", ""),
            ("&Export…", "_on_export_triggered", ""),
            ("Open &data folder", "_on_open_data_triggered", ""),
            ("&Backups…", "open_backups", ""),
            None,
            ("&Quit", "close", "Ctrl+Q"),
        ),
    ),
    (
        "&Study",
        (
            ("Study &now", "_on_study_now_triggered", "Ctrl+R"),
            ("Practice &exam…", "open_exam", "Ctrl+E"),
            ("Exam &planner…", "open_planner", "Ctrl+P"),
            ("S&tatistics…", "open_statistics", "Ctrl+T"),
            None,
        ),
    ),
    (
        "&Tools",
        (
            ("&Settings…", "open_settings", "Ctrl+,"),
            ("&Check database…", "check_database", ""),
        ),
    ),
    (
        "&Help",
        (
            ("&Keyboard shortcuts", "_on_shortcuts_triggered", "F1"),
            ("&About StudyApp", "_on_about_triggered", ""),
        ),
    ),
)


def add_action(
    menu: QMenu, text: str, slot: Callable[[], object], keys: str = ""
) -> QAction:
    """A menu entry calling ``slot``, with its shortcut if ``keys`` is given."""
    action = menu.addAction(text)
    action.triggered.connect(slot)
    if keys:
        action.setShortcut(QKeySequence(keys))
    return action
