"""The Exam screen: set-up, one question at a time from the keyboard, results."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from studyapp.core.exam.questions import LETTERS, Question, QuestionType, parse_response
from studyapp.core.exam.session import (
    ExamResult,
    ExamSession,
    ExamSpec,
    Tally,
)
from studyapp.core.library import Library, utc_now
from studyapp.gui.choice_button import ChoiceButton
from studyapp.gui.deck_list import kind_title
from studyapp.gui.exam_setup import ExamSetupForm
from studyapp.gui.exam_text import choices_text, clock_text, wrong_answers_html
from studyapp.gui.labels import section_title
from studyapp.gui.plain import PlainLabel
from studyapp.gui.scrolling import vertical_scroll

_HINTS = {
    QuestionType.MULTIPLE_CHOICE: "Click a choice or press 1-4 (or A-D) · Esc: end",
    QuestionType.TRUE_FALSE: "Click, or press T for true, F for false · Esc: end",
    QuestionType.TYPED: "Type the answer, then Enter (empty: skip)",
    QuestionType.CLOZE: "Type the missing words, then Enter (empty: skip)",
    QuestionType.MATCHING: "Type a letter per item in order, e.g. CADB, then Enter",
    QuestionType.ORDERING: "Type the numbers in order, e.g. 3 1 2, then Enter",
}


class ExamView(QWidget):
    """Set up an exam, take it one question at a time, read the results.

    The exam never touches the review schedule unless the set-up's "record as
    reviews" box is ticked. Finished exams are saved in the exam history.

    Signals:
        exam_started(): the questions were generated and the first is shown.
        question_answered(float): a question was answered; carries its score.
        exam_finished(object): the exam ended; carries the ExamResult.
        source_requested(int): a results link asked for a card's source
            passage; carries the card id (show it in the source pane).
        closed(): the learner asked to leave the exam screen.
    """

    exam_started = Signal()
    question_answered = Signal(float)
    exam_finished = Signal(object)
    source_requested = Signal(int)
    closed = Signal()

    def __init__(
        self,
        library: Library,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._clock = clock
        self.session: ExamSession | None = None
        self.result: ExamResult | None = None
        self.exam_id: int | None = None
        self._feed = False
        self.setAccessibleName("Exam")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._source_titles = library.source_titles()
        self.setup = ExamSetupForm(library)
        self.setup.start_requested.connect(self._on_setup_start_requested)
        self._pages = QStackedWidget()
        self._pages.addWidget(self.setup)
        self._pages.addWidget(self._build_question_page())
        self._pages.addWidget(self._build_results_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self._pages)

    # Building -------------------------------------------------------------

    def _build_question_page(self) -> QWidget:
        page = QWidget()
        self._progress = PlainLabel()
        self._progress.setAccessibleName("Question number")
        self._clock_label = PlainLabel()
        self._clock_label.setObjectName("examClock")
        self._clock_label.setAccessibleName("Time left")
        top = QHBoxLayout()
        top.addWidget(self._progress, 1)
        top.addWidget(self._clock_label)
        self._prompt = PlainLabel()
        self._prompt.setObjectName("examPrompt")
        self._prompt.setWordWrap(True)
        self._prompt.setTextFormat(Qt.TextFormat.PlainText)
        self._prompt.setAccessibleName("Question")
        self._prompt.setMinimumWidth(1)
        self._choices = PlainLabel()
        self._choices.setObjectName("examChoices")
        self._choices.setWordWrap(True)
        self._choices.setTextFormat(Qt.TextFormat.PlainText)
        self._choices.setAccessibleName("Choices")
        self._choices.setMinimumWidth(1)
        self.choice_buttons: list[ChoiceButton] = []
        self._choice_box = QVBoxLayout()
        self._choice_box.setSpacing(8)
        self.entry = QLineEdit()
        self.entry.setAccessibleName("Your answer")
        self.entry.returnPressed.connect(self._on_entry_return_pressed)
        self._hint = PlainLabel()
        self._hint.setObjectName("explanation")
        self._hint.setAccessibleName("How to answer")
        # A long question or long options scroll: the page never grows
        # past the window, whatever the deck holds.
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self._prompt)
        body_layout.addLayout(self._choice_box)
        body_layout.addWidget(self._choices, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(vertical_scroll(body), 1)
        layout.addWidget(self.entry)
        layout.addWidget(self._hint)
        return page

    def _build_results_page(self) -> QWidget:
        page = QWidget()
        self.score_label = PlainLabel()
        self.score_label.setObjectName("heading")
        self.score_label.setAccessibleName("Score")
        self._bars = QVBoxLayout()
        bars = QWidget()
        bars.setLayout(self._bars)
        scores = QScrollArea()
        scores.setWidgetResizable(True)
        scores.setFrameShape(QFrame.Shape.NoFrame)
        scores.setWidget(bars)
        scores.setAccessibleName("Scores by section and kind")
        self.review_text = QTextBrowser()
        self.review_text.setOpenLinks(False)
        self.review_text.setAccessibleName("Wrong answers and their sources")
        self.review_text.anchorClicked.connect(self._on_review_text_anchor_clicked)
        export = QPushButton("Export CSV…")
        export.clicked.connect(self._on_export_button_clicked)
        again = QPushButton("New exam")
        again.clicked.connect(self._on_again_button_clicked)
        close = QPushButton("Close (Esc)")
        close.clicked.connect(self.closed)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (export, again, close):
            buttons.addWidget(button)
        body = QHBoxLayout()
        body.addWidget(scores, 2)
        body.addWidget(self.review_text, 3)
        layout = QVBoxLayout(page)
        layout.addWidget(self.score_label)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        return page

    # Public ---------------------------------------------------------------

    @property
    def current_question(self) -> Question | None:
        """The question on screen, if an exam is running."""
        return None if self.session is None else self.session.current

    def start_exam(self, spec: ExamSpec, *, feed_reviews: bool = False) -> None:
        """Generate the exam described by ``spec`` and show its first question."""
        questions = self._library.build_exam(spec)
        if not questions:
            self.setup.show_message("These decks and settings give no questions.")
            return
        self.session = ExamSession(spec, questions, started_at=self._clock())
        self.result, self.exam_id, self._feed = None, None, feed_reviews
        self._pages.setCurrentIndex(1)
        if spec.time_limit is not None:
            self._timer.start()
        self._show_question()
        self.exam_started.emit()

    def answer(self, text: str) -> None:
        """Answer the current question with keyboard notation (see the hints)."""
        if self.session is None or self.session.current is None:
            return
        if self.check_time():
            return
        question = self.session.current
        record = self.session.answer(parse_response(question, text), now=self._clock())
        self.question_answered.emit(record.score)
        if self.session.current is None:
            self.finish()
        else:
            self._show_question()

    def check_time(self) -> bool:
        """End the exam if its time is up; returns whether it ended."""
        if self.session is None or not self.session.is_over(self._clock()):
            return False
        self.finish()
        return True

    def finish(self) -> None:
        """End the exam, save it in the history and show the results."""
        if self.session is None:
            return
        self._timer.stop()
        result = self.session.finish(now=self._clock())
        self.session = None
        self.exam_id, _fed = self._library.finish_exam(
            result, record_reviews=self._feed, now=self._clock()
        )
        self.result = result
        self._show_results(result)
        self._pages.setCurrentIndex(2)
        self.exam_finished.emit(result)

    def export_csv(self, path: Path) -> None:
        """Write the last finished exam to ``path`` as CSV."""
        if self.exam_id is not None:
            csv_text = self._library.exam_csv(self.exam_id)
            path.write_text(csv_text, encoding="utf-8")

    def section_scores(self) -> dict[str, str]:
        """The results screen's section bars as text, by section."""
        bars = self.findChildren(QProgressBar, "sectionBar")
        return {bar.accessibleName(): bar.format() for bar in bars}

    # Rendering ------------------------------------------------------------

    def _show_question(self) -> None:
        session = self.session
        question = None if session is None else session.current
        if session is None or question is None:
            return
        self._progress.setText(
            f"Question {session.position + 1} of {len(session.questions)}"
            f" · {question.type.name.replace('_', ' ').lower()}"
        )
        self._prompt.setText(question.prompt)
        self._show_choice_buttons(question)
        clickable = question.type in (
            QuestionType.MULTIPLE_CHOICE,
            QuestionType.TRUE_FALSE,
        )
        self._choices.setText("" if clickable else choices_text(question))
        self._hint.setText(_HINTS[question.type])
        self.entry.clear()
        typed = question.type not in (
            QuestionType.MULTIPLE_CHOICE,
            QuestionType.TRUE_FALSE,
        )
        self.entry.setVisible(typed)
        if typed:
            self.entry.setFocus()
        else:
            self.setFocus()
        self._update_clock()

    def _show_choice_buttons(self, question: Question) -> None:
        """Large numbered buttons for multiple-choice and true/false answers."""
        for button in self.choice_buttons:
            self._choice_box.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.choice_buttons = []
        if question.type is QuestionType.MULTIPLE_CHOICE:
            choices = [
                (f"{i}.  {text}", LETTERS[i - 1])
                for i, text in enumerate(question.options, 1)
            ]
        elif question.type is QuestionType.TRUE_FALSE:
            choices = [("1.  True  (T)", "T"), ("2.  False  (F)", "F")]
        else:
            return
        for label, response in choices:
            button = ChoiceButton(label)
            button.setObjectName("choiceButton")
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(partial(self.answer, response))
            self._choice_box.addWidget(button)
            button.show()
            self.choice_buttons.append(button)

    def _update_clock(self) -> None:
        left = None if self.session is None else self.session.time_left(self._clock())
        if left is None:
            self._clock_label.setText("")
            return
        seconds = int(left.total_seconds())
        self._clock_label.setText(f"{seconds // 60}:{seconds % 60:02d} left")

    def _show_results(self, result: ExamResult) -> None:
        total = result.overall
        minutes = clock_text(result.duration)
        ran_out = " (time ran out)" if result.timed_out else ""
        self.score_label.setText(
            f"Score: {total.score:g} / {total.total} ({total.fraction:.0%})"
            f" · time {minutes}{ran_out}"
        )
        while self._bars.count():
            item = self._bars.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        # Each name above its bar: section names stay whole at any width.
        for title, groups, name in (
            ("By section", result.by_section, "sectionBar"),
            ("By kind", result.by_kind, "kindBar"),
        ):
            heading = PlainLabel(title)
            heading.setObjectName("subheading")
            self._bars.addWidget(heading)
            for label, tally in groups.items():
                if name == "sectionBar":
                    text = section_title(label, self._source_titles)
                else:
                    text = kind_title(label)
                caption = PlainLabel(text)
                caption.setWordWrap(True)
                caption.setMinimumWidth(1)
                self._bars.addWidget(caption)
                self._bars.addWidget(_bar(tally, name, label))
            self._bars.addSpacing(10)
        self._bars.addStretch(1)
        self.review_text.setHtml(wrong_answers_html(result, self._source_titles))

    # Events ---------------------------------------------------------------

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        question = self.current_question
        key = event.key()
        if key == Qt.Key.Key_Escape:
            if question is not None:
                self.finish()
            else:
                self.closed.emit()
            return
        if (
            question is None
            and self._pages.currentIndex() == 0
            and key
            in (
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
            )
        ):
            self.setup.start()  # Enter starts, wherever focus is (bug 2)
            return
        is_tf = question is not None and question.type is QuestionType.TRUE_FALSE
        if is_tf and key in (Qt.Key.Key_T, Qt.Key.Key_F):
            self.answer(event.text())
            return
        if is_tf and key in (Qt.Key.Key_1, Qt.Key.Key_2):
            self.answer("T" if key == Qt.Key.Key_1 else "F")
            return
        if question is not None and question.type is QuestionType.MULTIPLE_CHOICE:
            text = event.text().upper()
            if text.isdigit() and 1 <= int(text) <= len(question.options):
                text = LETTERS[int(text) - 1]
            if text and text in LETTERS[: len(question.options)]:
                self.answer(text)
                return
        super().keyPressEvent(event)

    def _on_entry_return_pressed(self) -> None:
        self.answer(self.entry.text())

    def _on_timer_timeout(self) -> None:
        if not self.check_time():
            self._update_clock()

    def _on_setup_start_requested(self, spec: ExamSpec, feed: bool) -> None:
        if spec.seed < 0:
            spec = replace(spec, seed=random.randrange(1_000_000))
        self.setup.remember_seed(spec.seed)
        self.start_exam(spec, feed_reviews=feed)

    def _on_review_text_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == "card" and url.path().isdigit():
            self.source_requested.emit(int(url.path()))

    def _on_export_button_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export exam as CSV", f"exam-{self.exam_id}.csv", "CSV (*.csv)"
        )
        if name:
            self.export_csv(Path(name))

    def _on_again_button_clicked(self) -> None:
        self._pages.setCurrentIndex(0)


def _bar(tally: Tally, name: str, label: str) -> QProgressBar:
    bar = QProgressBar()
    bar.setObjectName(name)
    bar.setAccessibleName(label)
    bar.setRange(0, 1000)
    bar.setValue(round(tally.fraction * 1000))
    bar.setFormat(f"{tally.score:g} / {tally.total}")
    return bar
