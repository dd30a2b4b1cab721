from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from studyapp.core.library import Library
from studyapp.core.model import CardType, Rating, State
from studyapp.gui.card_text import CardTextView
from studyapp.gui.main_window import MainWindow
from studyapp.gui.session_summary import summary_html

from .conftest import FakeClock


def review_count(library: Library) -> int:
    return int(library.store.execute("SELECT count(*) FROM reviews").fetchone()[0])


def test_study_the_mini_deck_end_to_end_with_the_keyboard(
    qtbot: QtBot, window: MainWindow, library: Library, clock: FakeClock
) -> None:
    qtbot.keyClick(window.home.decks, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    view = window.review
    assert view is not None
    seen = []
    while (card := view.current_card) is not None:
        seen.append(card.id)
        qtbot.keyClick(view, Qt.Key.Key_Space)
        assert view.findChild(QPushButton, "showAnswer").isHidden()
        with qtbot.waitSignal(view.card_answered) as answered:
            qtbot.keyClick(view, Qt.Key.Key_4)
        assert answered.args == [4]
        assert library.store.card_state(card.id).state is State.REVIEW
        clock.advance(seconds=5)
    # One card per note: the others are buried until tomorrow, as in Anki.
    assert len(seen) == 3
    assert {library.store.card(i).note_id for i in seen} == {
        "myokines",
        "cathepsin-b",
        "il6-cloze",
    }
    assert review_count(library) == 3
    assert window.source_pane.highlighted() == []

    for undone, card_id in enumerate(reversed(seen), start=1):
        with qtbot.waitSignal(view.answer_undone):
            qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert view.current_card is not None
        assert view.current_card.id == card_id
        assert library.store.card_state(card_id).state is State.NEW
        assert review_count(library) == 3 - undone
    assert not view.undo_action.isEnabled()


def test_ratings_show_intervals_and_again_keeps_the_card_in_learning(
    qtbot: QtBot, window: MainWindow, library: Library
) -> None:
    view = window.start_review(["mini"])
    first = view.current_card
    assert first is not None
    qtbot.keyClick(view, Qt.Key.Key_Return)
    labels = [b.text() for b in view.rating_buttons.values()]
    # A new card under the default steps (1m, 10m): the intervals fsrs gives.
    assert labels == ["Again · 1m", "Hard · 6m", "Good · 10m", "Easy · 10d"]
    with qtbot.waitSignal(view.card_answered):
        qtbot.keyClick(view, Qt.Key.Key_1)
    assert library.store.card_state(first.id).state is State.LEARNING
    rows = library.store.execute("SELECT card_id, rating FROM reviews").fetchall()
    assert rows == [(first.id, 1)]


def test_space_on_a_focused_rating_button_presses_that_button(
    qtbot: QtBot, window: MainWindow, library: Library
) -> None:
    view = window.start_review(["mini"])
    card = view.current_card
    assert card is not None
    qtbot.keyClick(view, Qt.Key.Key_Space)
    again = next(iter(view.rating_buttons.values()))
    again.setFocus()
    with qtbot.waitSignal(view.card_answered) as answered:
        qtbot.keyClick(again, Qt.Key.Key_Space)
    assert answered.args == [1]


def test_cloze_blank_is_shown_and_the_answer_highlighted(
    qtbot: QtBot, window: MainWindow, library: Library
) -> None:
    view = window.start_review(["mini"])
    while (card := view.current_card) is not None and card.type is not CardType.CLOZE:
        qtbot.keyClick(view, Qt.Key.Key_Space)
        qtbot.keyClick(view, Qt.Key.Key_4)
    assert card is not None
    assert "[...]" in view.shown_text
    qtbot.keyClick(view, Qt.Key.Key_Space)
    answer = "IL-6" if card.ord == 0 else "exercise"
    shown = view.shown_text
    assert "[...]" not in shown
    assert answer in shown
    assert "<b>" in card.back
    marked = view.findChild(CardTextView, "cardText")
    assert marked is not None
    assert "b { background-color" in marked.document().defaultStyleSheet()


def test_escape_goes_back_to_the_deck_list(qtbot: QtBot, window: MainWindow) -> None:
    view = window.start_review(["mini"])
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert window.review is None
    assert window.pages.currentWidget() is window.home


def test_empty_session_says_there_is_nothing_to_study(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = window.start_review(["no-such-deck"])
    assert view.current_card is None
    assert "Nothing to study" in view.findChild(QLabel, "summary").text()
    assert not view.reveal_action.isEnabled()


def test_summary_counts_answers_by_rating() -> None:
    text = summary_html([Rating.GOOD, Rating.AGAIN, Rating.GOOD], 120_000, 1)
    assert "3 card(s) in 2 min: 1 Again · 0 Hard · 2 Good · 0 Easy" in text
    assert "1 card(s) in learning come back later today" in text


def test_enter_on_a_deck_studies_that_deck(qtbot: QtBot, window: MainWindow) -> None:
    tree = window.home.decks
    tree.setFocus()
    deck = tree.topLevelItem(0).child(0).child(0)
    assert deck is not None
    tree.setCurrentItem(deck)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.review is not None
    assert window.review.current_card is not None
    assert window.review.current_card.deck_id == "mini"


def test_card_text_never_loads_resources(qtbot: QtBot) -> None:
    view = CardTextView("Question")
    qtbot.addWidget(view)
    view.show_html('<img src="http://example.com/x.png"><b>kept</b>')
    assert view.loadResource(2, "http://example.com/x.png") is None
    assert view.toPlainText().strip().endswith("kept")


def test_review_buttons_are_named_for_screen_readers(window: MainWindow) -> None:
    view = window.start_review(["mini"])
    view.reveal_action.trigger()
    for button in view.findChildren(QPushButton):
        assert button.accessibleName(), button.text()
