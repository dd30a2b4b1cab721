from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from studyapp.core.library import Library
from studyapp.core.model import Rating, State
from studyapp.gui.planner_view import PlannerView
from studyapp.gui.review_view import ReviewView

from .conftest import FakeClock


def open_view(qtbot: QtBot, library: Library, clock: FakeClock) -> PlannerView:
    view = PlannerView(library, clock=clock)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    view.activateWindow()
    qtbot.waitExposed(view)
    qtbot.waitUntil(view.isActiveWindow)
    return view


def test_forecast_starts_at_zero_for_new_cards(
    qtbot: QtBot, bundled: Library, clock: FakeClock
) -> None:
    view = open_view(qtbot, bundled, clock)
    cards = sum(len(bundled.store.card_ids(d.id)) for d in bundled.deck_counts())
    assert view.summary.text().endswith(f": 0% over {cards} cards")
    recall = view.section_recall()
    assert "pedersen-2019: Glossary" in recall
    assert set(recall.values()) == {0.0}
    assert view.weakest.count() == 20


def test_study_the_weakest_cards_with_the_keyboard(
    qtbot: QtBot, bundled: Library, clock: FakeClock
) -> None:
    view = open_view(qtbot, bundled, clock)
    view.study_size.setValue(3)
    before = view.forecast
    assert before is not None
    order = before.study_order()[:3]
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    review = view.review
    assert isinstance(review, ReviewView)  # the normal review screen
    studied = []
    with qtbot.waitSignal(view.forecast_updated) as updated:
        while (card := view.current_card) is not None:
            studied.append(card.id)
            qtbot.keyClick(review, Qt.Key.Key_Space)
            assert review.revealed
            with qtbot.waitSignal(view.card_studied):
                qtbot.keyClick(review, Qt.Key.Key_3)
        qtbot.keyClick(review, Qt.Key.Key_Escape)  # from the summary
    assert studied == order
    assert all(bundled.store.card_state(i).state is not State.NEW for i in order)
    after = updated.args[0]
    assert after.recall > before.recall
    assert max(view.section_recall().values()) > 0

    near = after.recall
    with qtbot.waitSignal(view.forecast_updated) as later:
        view.exam_date.setDate(view.exam_date.date().addDays(60))
    assert later.args[0].recall < near


def test_planner_study_has_rating_buttons_undo_and_real_durations(
    qtbot: QtBot, bundled: Library, clock: FakeClock
) -> None:
    view = open_view(qtbot, bundled, clock)
    view.study_size.setValue(2)
    qtbot.mouseClick(view.study_button, Qt.MouseButton.LeftButton)
    review = view.review
    assert review is not None
    first = review.current_card
    assert first is not None
    qtbot.mouseClick(
        review.findChild(QPushButton, "showAnswer"), Qt.MouseButton.LeftButton
    )
    good = review.rating_buttons[Rating.GOOD]
    assert good.isVisible()
    assert "·" in good.text()  # labelled with its interval
    qtbot.wait(30)  # the card stays on screen a moment
    with qtbot.waitSignal(view.card_studied):
        qtbot.mouseClick(good, Qt.MouseButton.LeftButton)
    rows = bundled.store.execute("SELECT card_id, duration_ms FROM reviews")
    [(card_id, duration)] = list(rows)
    assert card_id == first.id
    assert duration >= 30
    qtbot.keyClick(review, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert review.current_card is not None
    assert review.current_card.id == first.id
    assert bundled.store.card_state(first.id).state is State.NEW
    assert not bundled.store.execute("SELECT 1 FROM reviews").fetchone()
