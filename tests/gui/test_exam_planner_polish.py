"""Issue 17: exam, planner and import screens (bugs 2, 10, 12, 13)."""

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from studyapp.core.exam.questions import QuestionType
from studyapp.core.exam.session import ExamSpec
from studyapp.core.library import Library
from studyapp.core.model import State
from studyapp.gui.exam_view import ExamView
from studyapp.gui.import_dialog import SummaryDialog
from studyapp.gui.main_window import MainWindow
from studyapp.gui.planner_view import PlannerView

from .conftest import DECKS, FakeClock, show_window

SCRIPT_DECK = """deck:
  id: hostile
  title: Hostile text
  kind: basic
cards:
  - id: q17
    front: Question 17 <b>bold</b><script>alert(1)</script>
    back: "An answer <style>p { color: red }</style>here."
    source:
      ref: doc
      section: Results
      quote: Mice ran.
sources:
  - id: doc
    title: A document
    text: resources/doc.txt
"""


def test_bug2_enter_starts_the_exam_after_ctrl_e(
    qtbot: QtBot, bundled: Library, qsettings: QSettings, clock: FakeClock
) -> None:
    window = show_window(qtbot, MainWindow(bundled, qsettings, clock))
    qtbot.keyClick(window.home.decks, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    view = window.findChild(ExamView)
    assert view is not None
    focused = QApplication.focusWidget()
    assert focused is not None
    with qtbot.waitSignal(view.exam_started):
        qtbot.keyClick(focused, Qt.Key.Key_Return)
    assert view.current_question is not None


def exam_view(qtbot: QtBot, library: Library, clock: FakeClock) -> ExamView:
    view = ExamView(library, clock=clock)
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_bug10_every_choice_is_a_button(
    qtbot: QtBot, bundled: Library, clock: FakeClock
) -> None:
    view = exam_view(qtbot, bundled, clock)
    for kind, box in view.setup.types.items():
        box.setChecked(kind in (QuestionType.MULTIPLE_CHOICE, QuestionType.TRUE_FALSE))
    view.setup.count.setValue(6)
    start = next(
        b for b in view.setup.findChildren(QPushButton) if b.text().startswith("Start")
    )
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    answered = 0
    while (question := view.current_question) is not None:
        buttons = [
            b for b in view.findChildren(QPushButton, "choiceButton") if b.isVisible()
        ]
        expected = (
            2 if question.type is QuestionType.TRUE_FALSE else len(question.options)
        )
        assert len(buttons) == expected
        assert buttons[0].accessibleName().startswith("1.")
        right = question.key[0]
        with qtbot.waitSignal(view.question_answered) as score:
            qtbot.mouseClick(buttons[right], Qt.MouseButton.LeftButton)
        assert score.args == [1.0]
        answered += 1
    assert answered == 6
    assert view.result is not None
    assert view.result.overall.fraction == 1.0


def hostile_library(tmp_path: Path, now: datetime) -> Library:
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "doc.txt").write_text("Mice ran.", encoding="utf-8")
    deck = tmp_path / "hostile.yaml"
    deck.write_text(SCRIPT_DECK, encoding="utf-8")
    library = Library.in_memory()
    library.import_paths([deck], now=now)
    return library


def test_bug12_lists_never_show_script_text(
    qtbot: QtBot, tmp_path: Path, now: datetime, clock: FakeClock
) -> None:
    library = hostile_library(tmp_path, now)
    planner = PlannerView(library, clock=clock)
    qtbot.addWidget(planner)
    [entry] = [planner.weakest.item(i) for i in range(planner.weakest.count())]
    assert entry is not None
    assert "Question 17 bold" in entry.text()
    assert "alert" not in entry.text()
    exam = exam_view(qtbot, library, clock)
    for kind, box in exam.setup.types.items():
        box.setChecked(kind is QuestionType.TYPED)
    exam.setup.start()
    question = exam.current_question
    assert question is not None
    assert "alert" not in question.prompt
    assert "color" not in question.answer
    exam.answer("wrong")
    assert exam.result is not None
    shown = exam.review_text.toPlainText()
    assert "Question 17 bold" in shown
    assert "alert" not in shown
    assert "color: red" not in shown
    library.close()


def test_bug13_import_summary_counts_cards(qtbot: QtBot, now: datetime) -> None:
    library = Library.in_memory()
    summaries = library.import_paths([DECKS / "pedersen-2019"], now=now)
    cards = sum(c.total for c in library.deck_counts(now=now))
    notes = sum(s.added for s in summaries)
    assert cards > notes  # reversed and cloze notes make several cards
    dialog = SummaryDialog(list(summaries))
    qtbot.addWidget(dialog)
    headline = dialog.findChild(QLabel).text()
    assert f"{cards} cards added" in headline
    assert f"{notes} new notes" in headline
    library.close()


def test_planner_study_is_usable_by_mouse_alone(
    qtbot: QtBot, bundled: Library, clock: FakeClock
) -> None:
    planner = PlannerView(bundled, clock=clock)
    qtbot.addWidget(planner)
    planner.show()
    planner.study_size.setValue(2)
    study = next(b for b in planner.findChildren(QPushButton) if "Enter" in b.text())
    qtbot.mouseClick(study, Qt.MouseButton.LeftButton)
    review = getattr(planner, "review", None)
    assert review is not None, "no review screen with buttons to click"
    studied = []
    while (card := review.current_card) is not None:
        studied.append(card.id)
        show = review.findChild(QPushButton, "showAnswer")
        qtbot.mouseClick(show, Qt.MouseButton.LeftButton)
        easy = list(review.rating_buttons.values())[-1]
        qtbot.mouseClick(easy, Qt.MouseButton.LeftButton)
    assert len(studied) == 2
    assert all(bundled.store.card_state(i).state is State.REVIEW for i in studied)


def test_exam_and_planner_fit_in_800_by_600(
    qtbot: QtBot, bundled: Library, qsettings: QSettings, clock: FakeClock
) -> None:
    window = show_window(qtbot, MainWindow(bundled, qsettings, clock))

    def fits() -> bool:
        window.resize(800, 600)
        QApplication.processEvents()
        return window.width() <= 800 and window.height() <= 600

    exam = window.open_exam()
    assert fits()
    decks = tuple(c.id for c in bundled.deck_counts(now=clock()))
    # Every note of the bundled decks as multiple choice (the longest
    # options), then in any type: no question may stretch the window. Seed
    # 76993 asks the FNDC5 chain with four options of 136-205 characters,
    # which made the question page 605 px high before it could scroll.
    for types in ((QuestionType.MULTIPLE_CHOICE,), tuple(QuestionType)):
        spec = ExamSpec(deck_ids=decks, count=1000, types=types, seed=76993)
        exam.start_exam(spec)
        asked = 0
        while exam.current_question is not None:
            assert fits(), exam.current_question.prompt
            exam.answer("A")
            asked += 1
        assert asked > 20
        assert fits()
    planner = window.open_planner()
    assert fits()
    planner.start_study()
    assert fits()
