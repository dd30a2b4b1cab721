from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from studyapp.core.library import Library
from studyapp.gui.check_dialog import CheckDialog
from studyapp.gui.deck_list import DeckListView
from studyapp.gui.main_window import MainWindow

from .conftest import FakeClock, show_window


def labels(tree: DeckListView) -> list[list[str]]:
    rows = []
    stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        item = stack.pop(0)
        rows.append([item.text(c) for c in range(4)])
        stack[:0] = [item.child(i) for i in range(item.childCount())]
    return rows


def test_deck_tree_groups_by_document_and_kind_with_counts(window: MainWindow) -> None:
    rows = labels(window.home.decks)
    assert rows[0][0].startswith("Physical activity and muscle")
    assert rows[0][1:] == ["5", "0", "0"]
    assert rows[1] == ["Glossary", "5", "0", "0"]
    assert rows[2] == ["Mini deck for tests", "5", "0", "0"]
    assert "5 new" in window.home.due.text()


def test_counts_and_today_update_after_studying(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    view = window.start_review([])
    qtbot.keyClick(view, Qt.Key.Key_Space)
    qtbot.keyClick(view, Qt.Key.Key_1)
    clock.advance(minutes=2)  # the card's first learning step is one minute
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    rows = labels(window.home.decks)
    assert rows[0][1:] == ["4", "1", "0"]
    assert window.home.today.text().startswith("1 answers today")


def test_window_remembers_size_and_source_pane(
    qtbot: QtBot, library: Library, qsettings: QSettings, clock: FakeClock
) -> None:
    first = show_window(qtbot, MainWindow(library, qsettings, clock))
    first.resize(700, 500)  # inside the offscreen 800x600 screen
    first.start_review(["mini"])
    first.toggle_source()
    first.close()
    second = show_window(qtbot, MainWindow(library, qsettings, clock))
    assert (second.width(), second.height()) == (700, 500)
    second.start_review(["mini"])
    assert second.source_pane.isVisible()


def test_selecting_a_deck_scopes_study_now(window: MainWindow) -> None:
    tree = window.home.decks
    deck = tree.topLevelItem(0).child(0).child(0)
    assert deck is not None
    tree.setCurrentItem(deck)
    assert tree.selected_deck_ids() == ["mini"]
    assert window.home.scope.text() == "Studies: Mini deck for tests"


def test_check_database_reports_a_healthy_collection(
    qtbot: QtBot, window: MainWindow
) -> None:
    report = window.check_database()
    assert report.is_ok
    assert isinstance(window.check_dialog, CheckDialog)
    qtbot.addWidget(window.check_dialog)
    assert "no problems found" in window.check_dialog.text.toPlainText()


def test_source_pane_stays_open_from_one_session_to_the_next(
    window: MainWindow,
) -> None:
    window.start_review(["mini"])
    window.toggle_source()
    window.close_review()
    view = window.start_review(["mini"])
    assert window.source_pane.isVisible()
    source_button = next(b for b in view.findChildren(QPushButton) if b.isCheckable())
    assert source_button.isChecked()


def test_deck_list_refreshes_as_learning_cards_fall_due(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    settings = window.library.settings()
    steps = (timedelta(minutes=1), timedelta(hours=1))
    window.library.save_settings(replace(settings, learning_steps=steps))
    view = window.start_review(["mini"])
    qtbot.keyClick(view, Qt.Key.Key_Space)
    qtbot.keyClick(view, Qt.Key.Key_3)  # back in an hour
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert labels(window.home.decks)[0][2] == "0"
    clock.advance(minutes=41)  # within the 20-minute learn-ahead
    window.refresh_timer.setInterval(1)
    qtbot.waitUntil(lambda: labels(window.home.decks)[0][2] == "1")
    window.close()  # stops the timer before the library is closed
    assert not window.refresh_timer.isActive()


def test_exam_hides_the_source_pane_until_a_result_asks_for_it(
    window: MainWindow, library: Library
) -> None:
    window.start_review(["mini"])
    window.toggle_source()
    exam = window.open_exam()
    assert window.review is None
    assert window.pages.currentWidget() is window.review_splitter
    assert not window.source_pane.isVisible()
    card_id = library.store.card_ids("mini")[0]
    exam.source_requested.emit(card_id)
    assert window.source_pane.isVisible()
    assert window.source_pane.section_text == "Section: Glossary"
    exam.closed.emit()
    assert window.pages.currentWidget() is window.home
    window.start_review(["mini"])
    assert window.source_pane.isVisible()  # the learner's choice for reviews


def test_planner_opens_from_the_study_menu_and_closes(window: MainWindow) -> None:
    action = next(
        a for a in window.study_menu.actions() if a.text() == "Exam &planner…"
    )
    action.trigger()
    assert window.pages.currentWidget() is window.review_splitter
    assert not window.source_pane.isVisible()
    window.close_review()
    assert window.pages.currentWidget() is window.home
