"""Issue 17: the summary, the start page's overview, shortcuts help, appearance."""

from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from studyapp.core.library import Library
from studyapp.gui.help_dialogs import SHORTCUTS, ShortcutsDialog
from studyapp.gui.main_window import MainWindow
from studyapp.gui.menus import MENUS
from studyapp.gui.settings_dialog import SettingsDialog
from studyapp.gui.theme import apply_theme, is_dark, load_appearance

from .conftest import FakeClock


def test_summary_says_when_cards_come_back_and_returns_by_itself(
    qtbot: QtBot, window: MainWindow, library: Library, clock: FakeClock
) -> None:
    steps = (timedelta(minutes=1), timedelta(minutes=30))
    library.save_settings(replace(library.settings(), learning_steps=steps))
    view = window.start_review(["mini"])
    while view.current_card is not None:
        qtbot.keyClick(view, Qt.Key.Key_Space)
        qtbot.keyClick(view, Qt.Key.Key_3)  # Good: back in 30 minutes
    summary = view.findChild(QLabel, "summary")
    assert summary is not None
    text = summary.text()
    assert "3 learning cards in 10 min" in text  # 30 min less the learn-ahead
    assert "by itself" in text
    assert not window.source_pane.isVisible()  # no empty "No card" pane beside
    assert view.return_timer.isActive()
    clock.advance(minutes=11)
    view.return_timer.timeout.emit()
    assert view.current_card is not None
    assert not summary.isVisible()


def test_start_page_shows_deck_sizes_and_an_overview(
    qtbot: QtBot, window: MainWindow, library: Library
) -> None:
    tree = window.home.decks
    assert tree.headerItem().text(4) == "Cards"
    assert tree.topLevelItem(0).text(4) == "5"
    values = window.home.overview_values
    assert [values[k].text() for k in ("New", "Learning", "Due", "Total")] == [
        "5",
        "0",
        "0",
        "5",
    ]
    assert "Last studied: never" in window.home.overview_text.text()
    view = window.start_review(["mini"])
    for _ in range(2):  # myokines, then cathepsin-b (which has a reverse)
        qtbot.keyClick(view, Qt.Key.Key_Space)
        qtbot.keyClick(view, Qt.Key.Key_4)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert "Last studied: today" in window.home.overview_text.text()
    # Five new, two answered, cathepsin-b's reverse buried until tomorrow.
    assert values["New"].text() == "2"
    session = window.start_review(["mini"])  # one new card on screen, one left
    assert session._queue.remaining.new == 1


def test_shortcuts_help_lists_every_menu_key_and_fits(qtbot: QtBot) -> None:
    listed = {key for _, rows in SHORTCUTS for key, _ in rows}
    for _title, entries in MENUS:
        for entry in entries:
            if entry is not None and entry[2]:
                assert entry[2] in listed, entry
    titles = {title for title, _ in SHORTCUTS}
    assert {"Practice exam (Ctrl+E)", "Exam planner (Ctrl+P)"} <= titles
    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    hint = dialog.sizeHint()
    assert hint.height() <= 720 - 60
    assert hint.width() <= 1100


def test_theme_and_font_sizes_apply_live_and_are_kept(
    qtbot: QtBot, window: MainWindow, qsettings: QSettings
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    dialog = window.open_settings()
    assert isinstance(dialog, SettingsDialog)
    try:
        dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
        assert is_dark(app.palette())
        dialog.card_size.setValue(24)
        assert "font-size: 24pt" in app.styleSheet()
        dialog.ui_size.setValue(12)
        assert app.font().pointSize() == 12
        dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
        assert not is_dark(app.palette())
        kept = load_appearance(qsettings)
        assert (kept.theme, kept.card_pt, kept.ui_pt) == ("light", 24, 12)
    finally:
        dialog.close()
        apply_theme(app)  # leave the application as the other tests expect
