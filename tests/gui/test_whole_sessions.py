"""Issue 17: a whole session by mouse only, and one by keyboard only.

The mouse session never presses a key; the keyboard session never clicks,
and sends every key to whatever widget has the focus, as a person would.
"""

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMenu, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from studyapp.core.library import Library
from studyapp.gui.exam_view import ExamView
from studyapp.gui.main_window import MainWindow
from studyapp.gui.planner_view import PlannerView

from .conftest import FakeClock, show_window


def click(qtbot: QtBot, widget: QWidget) -> None:
    assert widget.isVisible(), widget
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def button(parent: QWidget, text: str) -> QPushButton:
    return next(
        b
        for b in parent.findChildren(QPushButton)
        if b.isVisible() and b.text().startswith(text)
    )


def menu_item(qtbot: QtBot, window: MainWindow, menu_title: str, item: str) -> None:
    """Open a menu with the mouse and click one of its entries."""
    bar = window.menuBar()
    [title] = [a for a in bar.actions() if a.text().replace("&", "") == menu_title]
    qtbot.mouseClick(
        bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(title).center()
    )
    menu = title.menu()
    assert isinstance(menu, QMenu)
    qtbot.waitUntil(menu.isVisible)
    [entry] = [a for a in menu.actions() if a.text().replace("&", "").startswith(item)]
    qtbot.mouseClick(
        menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(entry).center()
    )


@pytest.mark.qt_log_ignore(
    # The offscreen platform cannot raise menus or grab the keyboard for them.
    "does not support raise",
    "does not support grabbing the keyboard",
    "does not support propagateSizeHints",
)
def test_a_whole_session_by_mouse_only(
    qtbot: QtBot, bundled: Library, qsettings: QSettings, clock: FakeClock
) -> None:
    window = show_window(qtbot, MainWindow(bundled, qsettings, clock))
    window.resize(800, 600)
    # Study: pick a deck in the tree, Study now, show, rate, source, undo.
    tree = window.home.decks
    item = tree.topLevelItem(1).child(1)  # a kind group of the pedersen document
    assert item is not None
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    click(qtbot, window.home.study_button)
    view = window.review
    assert view is not None
    click(qtbot, button(view, "Source"))
    assert window.source_pane.isVisible()
    answered = 0
    for rating in ("Good", "Again", "Easy", "Hard", "Good"):
        click(qtbot, button(view, "Show answer"))
        click(qtbot, button(view, rating))
        answered += 1
    assert len(view.answers) == answered
    menu_item(qtbot, window, "Study", "Undo last answer")
    assert len(view.answers) == answered - 1
    click(qtbot, button(view, "Decks"))
    assert window.review is None

    # Exam: set up, start, click every answer, read the results.
    menu_item(qtbot, window, "Study", "Practice exam")
    exam = window.findChild(ExamView)
    assert exam is not None
    for kind, box in exam.setup.types.items():
        if box.isChecked() != (kind.value in ("mc", "tf")):
            click(qtbot, box)
    click(qtbot, button(exam, "Start exam"))
    while exam.current_question is not None:
        click(qtbot, exam.choice_buttons[0])
    assert exam.result is not None
    click(qtbot, button(exam, "Close"))

    # Planner: study the weakest three with the buttons, back to the forecast.
    menu_item(qtbot, window, "Study", "Exam planner")
    planner = window.findChild(PlannerView)
    assert planner is not None
    click(qtbot, planner.study_button)
    review = planner.review
    assert review is not None
    for _ in range(3):
        click(qtbot, button(review, "Show answer"))
        click(qtbot, button(review, "Good"))
    click(qtbot, button(review, "Forecast"))
    assert planner.review is None
    qtbot.waitUntil(
        lambda: (
            bundled.store.execute("SELECT count(*) FROM reviews").fetchone()[0]
            >= answered - 1 + 3
        )
    )
    window.close()


def press(
    qtbot: QtBot,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the focus"
    qtbot.keyClick(target, key, modifier)


def typed(qtbot: QtBot, text: str) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClicks(target, text)


def test_a_whole_session_by_keyboard_only(
    qtbot: QtBot, bundled: Library, qsettings: QSettings, clock: FakeClock
) -> None:
    ctrl = Qt.KeyboardModifier.ControlModifier
    window = show_window(qtbot, MainWindow(bundled, qsettings, clock))
    press(qtbot, Qt.Key.Key_Down)  # into the deck tree
    press(qtbot, Qt.Key.Key_R, ctrl)
    view = window.review
    assert view is not None
    press(qtbot, Qt.Key.Key_S)
    assert window.source_pane.isVisible()
    for rating in (Qt.Key.Key_3, Qt.Key.Key_1, Qt.Key.Key_4, Qt.Key.Key_2):
        press(qtbot, Qt.Key.Key_Space)
        assert view.revealed
        press(qtbot, rating)
    press(qtbot, Qt.Key.Key_Z, ctrl)
    assert len(view.answers) == 3
    press(qtbot, Qt.Key.Key_Escape)
    assert window.review is None

    press(qtbot, Qt.Key.Key_E, ctrl)
    exam = window.findChild(ExamView)
    assert exam is not None
    press(qtbot, Qt.Key.Key_Return)  # starts with the default set-up
    while (question := exam.current_question) is not None:
        kind = question.type.value
        if kind == "mc":
            press(qtbot, Qt.Key.Key_1)
        elif kind == "tf":
            press(qtbot, Qt.Key.Key_T)
        else:
            typed(qtbot, "no idea")
            press(qtbot, Qt.Key.Key_Return)
    assert exam.result is not None
    press(qtbot, Qt.Key.Key_Escape)

    press(qtbot, Qt.Key.Key_P, ctrl)
    planner = window.findChild(PlannerView)
    assert planner is not None
    press(qtbot, Qt.Key.Key_Return)
    assert planner.review is not None
    for _ in range(2):
        press(qtbot, Qt.Key.Key_Space)
        press(qtbot, Qt.Key.Key_3)
    press(qtbot, Qt.Key.Key_Escape)  # back to the forecast
    assert planner.review is None
    press(qtbot, Qt.Key.Key_Escape)  # back to the decks
    assert window.pages.currentWidget() is window.home
    window.close()
