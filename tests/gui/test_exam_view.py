from typing import Any

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from studyapp.core.exam.questions import Question, QuestionType
from studyapp.core.exam.session import ExamResult
from studyapp.core.library import Library
from studyapp.core.store.exams import exam_history
from studyapp.gui.exam_view import ExamView

from .conftest import FakeClock

LETTERS = "ABCDEFGHIJ"


def snapshot(library: Library) -> tuple[list[Any], list[Any]]:
    states = library.store.execute("SELECT * FROM card_state ORDER BY card_id")
    reviews = library.store.execute("SELECT * FROM reviews ORDER BY id")
    return list(states), list(reviews)


def open_view(qtbot: QtBot, library: Library, clock: FakeClock) -> ExamView:
    view = ExamView(library, clock=clock)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    return view


def start(qtbot: QtBot, view: ExamView, count: int, seed: int) -> None:
    view.setup.count.setValue(count)
    view.setup.remember_seed(seed)  # as if the last exam had this seed
    view.setup.same_questions.setChecked(True)
    for kind, box in view.setup.types.items():
        box.setChecked(kind is not QuestionType.CLOZE)
    with qtbot.waitSignal(view.exam_started):
        qtbot.keyClick(view.setup.count, Qt.Key.Key_Return)


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type ``text``; QTest maps only ASCII keys, so send the rest as text."""
    for char in text:
        if char.isascii():
            qtbot.keyClick(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
                QApplication.sendEvent(widget, event)


def answer_with_keys(qtbot: QtBot, view: ExamView, q: Question, right: bool) -> None:
    kind = q.type
    with qtbot.waitSignal(view.question_answered) as answered:
        if kind is QuestionType.MULTIPLE_CHOICE:
            pick = q.key[0] if right else (q.key[0] + 1) % len(q.options)
            qtbot.keyClick(view, LETTERS[pick])
        elif kind is QuestionType.TRUE_FALSE:
            is_true = (q.key == (0,)) is right
            qtbot.keyClick(view, Qt.Key.Key_T if is_true else Qt.Key.Key_F)
        else:
            if kind in (QuestionType.TYPED, QuestionType.CLOZE):
                text = q.answer.lower() if right else "no idea"
            elif kind is QuestionType.ORDERING:
                order = q.key if right else tuple(reversed(q.key))
                text = " ".join(str(i + 1) for i in order)
            else:
                key = q.key if right else tuple(reversed(q.key))
                text = "".join(LETTERS[i] for i in key)
            assert view.entry.isVisible()
            type_text(qtbot, view.entry, text)
            qtbot.keyClick(view.entry, Qt.Key.Key_Return)
    assert answered.args == [1.0 if right else answered.args[0]]


def test_take_a_short_exam_with_the_keyboard(
    qtbot: QtBot, bundled: Library, clock: FakeClock
) -> None:
    before = snapshot(bundled)
    view = open_view(qtbot, bundled, clock)
    start(qtbot, view, count=5, seed=4)
    asked = []
    with qtbot.waitSignal(view.exam_finished) as finished:
        while (question := view.current_question) is not None:
            asked.append(question)
            clock.advance(seconds=30)
            answer_with_keys(qtbot, view, question, right=len(asked) != 1)
    assert {q.type for q in asked} == {
        QuestionType.MULTIPLE_CHOICE,
        QuestionType.TRUE_FALSE,
        QuestionType.TYPED,
        QuestionType.MATCHING,
        QuestionType.ORDERING,
    }
    result: ExamResult = finished.args[0]
    assert result.overall.total == 5
    assert result.overall.score == 4
    assert view.score_label.text() == "Score: 4 / 5 (80%) · time 2:30"
    sections = view.section_scores()
    assert sections
    scores = [float(text.split(" / ")[0]) for text in sections.values()]
    totals = [int(text.split(" / ")[1]) for text in sections.values()]
    assert (sum(scores), sum(totals)) == (4, 5)
    first = asked[0]
    assert first.anchor is not None
    page = view.review_text.toPlainText()
    assert f"Right answer: {first.answer}" in page
    assert first.anchor.quote[:40] in page
    assert f'href="card:{first.card_id}"' in view.review_text.toHtml()
    with qtbot.waitSignal(view.source_requested) as requested:
        view.review_text.anchorClicked.emit(QUrl(f"card:{first.card_id}"))
    assert requested.args == [first.card_id]
    assert snapshot(bundled) == before
    [past] = exam_history(bundled.store)
    assert past.score == 4


def test_time_limit_ends_the_exam_on_screen(
    qtbot: QtBot, bundled: Library, clock: FakeClock
) -> None:
    view = open_view(qtbot, bundled, clock)
    view.setup.minutes.setValue(1)
    start(qtbot, view, count=4, seed=2)
    assert view.findChild(type(view.score_label), "examClock").text() == "1:00 left"
    clock.advance(minutes=2)
    with qtbot.waitSignal(view.exam_finished, timeout=3000) as finished:
        pass  # the view's one-second timer notices the time is up
    result: ExamResult = finished.args[0]
    assert result.timed_out
    assert "time ran out" in view.score_label.text()


def test_escape_ends_the_exam_then_closes(
    qtbot: QtBot, bundled: Library, clock: FakeClock
) -> None:
    view = open_view(qtbot, bundled, clock)
    start(qtbot, view, count=3, seed=1)
    with qtbot.waitSignal(view.exam_finished):
        qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.score_label.text().startswith("Score: 0 / 3")
    with qtbot.waitSignal(view.closed):
        qtbot.keyClick(view, Qt.Key.Key_Escape)


def test_recording_reviews_is_opt_in(
    qtbot: QtBot, bundled: Library, clock: FakeClock
) -> None:
    view = open_view(qtbot, bundled, clock)
    view.setup.feed.setChecked(True)
    start(qtbot, view, count=2, seed=3)
    with qtbot.waitSignal(view.exam_finished):
        while (question := view.current_question) is not None:
            answer_with_keys(qtbot, view, question, right=True)
    rows = bundled.store.execute("SELECT rating FROM reviews").fetchall()
    assert rows
    assert {r[0] for r in rows} == {3}
