"""The exam planner: predicted recall per section on an exam date, and study."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from studyapp.core.clock import exam_time
from studyapp.core.decks.richtext import to_plain_text
from studyapp.core.library import Library, utc_now
from studyapp.core.model import Card, Rating
from studyapp.core.study.planner import Forecast, StudySession
from studyapp.gui.exam_setup import checked_values, checklist
from studyapp.gui.plain import PlainLabel

WEAKEST_SHOWN = 20
_RATING_KEYS = {
    Qt.Key.Key_1: Rating.AGAIN,
    Qt.Key.Key_2: Rating.HARD,
    Qt.Key.Key_3: Rating.GOOD,
    Qt.Key.Key_4: Rating.EASY,
}


class PlannerView(QWidget):
    """Forecast recall on an exam date per section; study the weakest cards.

    Studying here reviews cards ahead of their due date, weakest on the exam
    day first; the forecast is recomputed after each session.

    Signals:
        forecast_updated(object): a new Forecast is shown.
        card_studied(int): a card was rated in the study session (Rating).
        closed(): the learner asked to leave the planner.
    """

    forecast_updated = Signal(object)
    card_studied = Signal(int)
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
        self.forecast: Forecast | None = None
        self.session: StudySession | None = None
        self._revealed = False
        self.setAccessibleName("Exam planner")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._pages = QStackedWidget()
        self._pages.addWidget(self._build_forecast_page())
        self._pages.addWidget(self._build_study_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self._pages)
        self.refresh()

    def _build_forecast_page(self) -> QWidget:
        page = QWidget()
        decks = self._library.deck_counts(now=self._clock())
        self.decks = checklist("Decks", [(f"{d.title} ({d.id})", d.id) for d in decks])
        self.decks.itemChanged.connect(self._on_decks_item_changed)
        today = self._clock().astimezone().date()
        self.exam_date = QDateEdit(_qdate(today + timedelta(days=14)))
        self.exam_date.setCalendarPopup(True)
        self.exam_date.setMinimumDate(_qdate(today))
        self.exam_date.setAccessibleName("Exam date")
        self.exam_date.dateChanged.connect(self._on_exam_date_date_changed)
        self.study_size = QSpinBox()
        self.study_size.setRange(1, 500)
        self.study_size.setValue(20)
        self.study_size.setPrefix("Study the weakest ")
        study = QPushButton("Start (Enter)")
        study.clicked.connect(self.start_study)
        controls = QHBoxLayout()
        controls.addWidget(PlainLabel("Exam on"))
        controls.addWidget(self.exam_date)
        controls.addStretch(1)
        controls.addWidget(self.study_size)
        controls.addWidget(study)
        self.summary = PlainLabel()
        self.summary.setObjectName("plannerSummary")
        self.summary.setAccessibleName("Predicted recall overall")
        self._bars = QGridLayout()
        self.weakest = QListWidget()
        self.weakest.setAccessibleName("Weakest cards on the exam day")
        right = QVBoxLayout()
        right.addWidget(self.summary)
        right.addLayout(self._bars)
        right.addWidget(PlainLabel("Weakest on the exam day"))
        right.addWidget(self.weakest, 1)
        body = QHBoxLayout()
        body.addWidget(self.decks, 1)
        body.addLayout(right, 2)
        layout = QVBoxLayout(page)
        layout.addLayout(controls)
        layout.addLayout(body, 1)
        return page

    def _build_study_page(self) -> QWidget:
        page = QWidget()
        self.study_progress = PlainLabel()
        self.front = PlainLabel()
        self.front.setWordWrap(True)
        self.front.setTextFormat(Qt.TextFormat.PlainText)
        self.front.setAccessibleName("Question")
        self.back = PlainLabel()
        self.back.setWordWrap(True)
        self.back.setTextFormat(Qt.TextFormat.PlainText)
        self.back.setAccessibleName("Answer")
        hint = PlainLabel("Space: show answer · 1-4: rate · Esc: back to the forecast")
        hint.setObjectName("explanation")
        layout = QVBoxLayout(page)
        layout.addWidget(self.study_progress)
        layout.addWidget(self.front, 1)
        layout.addWidget(self.back, 1)
        layout.addWidget(hint)
        return page

    # Public ---------------------------------------------------------------

    def exam_at(self) -> datetime:
        """The chosen exam date at the planner's exam hour, in UTC."""
        day = self.exam_date.date().toPython()
        assert isinstance(day, date)  # a QDate converts to a date
        return exam_time(day)

    def refresh(self) -> None:
        """Recompute the forecast for the checked decks and the exam date."""
        result = self._library.forecast(checked_values(self.decks), self.exam_at())
        self.forecast = result
        day = self.exam_date.date().toString(Qt.DateFormat.ISODate)
        self.summary.setText(
            f"Predicted recall on {day}: {result.recall:.0%} "
            f"over {len(result.cards)} cards"
        )
        while self._bars.count():
            item = self._bars.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        for row, section in enumerate(result.sections):
            bar = QProgressBar()
            bar.setObjectName("recallBar")
            bar.setAccessibleName(section.section)
            bar.setRange(0, 1000)
            bar.setValue(round(section.recall * 1000))
            bar.setFormat(f"{section.recall:.0%} · {section.cards} cards")
            self._bars.addWidget(PlainLabel(section.section), row, 0)
            self._bars.addWidget(bar, row, 1)
        recall = {c.card_id: c.recall for c in result.cards}
        self.weakest.clear()
        for card_id in result.study_order()[:WEAKEST_SHOWN]:
            front = to_plain_text(self._library.card(card_id).front)
            self.weakest.addItem(f"{recall[card_id]:4.0%}  {front[:90]}")
        self.forecast_updated.emit(result)

    def section_recall(self) -> dict[str, float]:
        """The section bars' values, as fractions, by section."""
        bars = self.findChildren(QProgressBar, "recallBar")
        return {bar.accessibleName(): bar.value() / 1000 for bar in bars}

    @property
    def current_card(self) -> Card | None:
        """The card being studied, if a study session is on."""
        return None if self.session is None else self.session.current

    def start_study(self) -> None:
        """Study the weakest cards on the exam day, weakest first."""
        if self.forecast is None:
            return
        order = self.forecast.study_order()[: self.study_size.value()]
        if not order:
            return
        self.session = self._library.study_session(order)
        self._pages.setCurrentIndex(1)
        self.setFocus()
        self._show_card()

    def end_study(self) -> None:
        """Leave the study session and show the updated forecast."""
        self.session = None
        self._pages.setCurrentIndex(0)
        self.refresh()

    # Events ---------------------------------------------------------------

    def _show_card(self) -> None:
        card = self.current_card
        if self.session is None or card is None:
            self.end_study()
            return
        self._revealed = False
        self._shown_at = self._clock()
        self.study_progress.setText(f"{self.session.remaining} left")
        self.front.setText(to_plain_text(card.front))
        self.back.setText("")

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self.session is None:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.start_study()
            elif key == Qt.Key.Key_Escape:
                self.closed.emit()
            else:
                super().keyPressEvent(event)
            return
        card = self.current_card
        if event.matches(QKeySequence.StandardKey.Undo):
            if self.session.can_undo:
                self.session.undo()
                self._show_card()
        elif key == Qt.Key.Key_Escape:
            self.end_study()
        elif key in (Qt.Key.Key_Space, Qt.Key.Key_Return) and card is not None:
            self._revealed = True
            self.back.setText(to_plain_text(card.back))
        elif key in _RATING_KEYS and self._revealed:
            rating = _RATING_KEYS[Qt.Key(key)]
            now = self._clock()
            took = now - self._shown_at
            self.session.answer(rating, now=now, duration_ms=_millis(took))
            self.card_studied.emit(int(rating))
            self._show_card()
        else:
            super().keyPressEvent(event)

    def _on_decks_item_changed(self) -> None:
        self.refresh()

    def _on_exam_date_date_changed(self) -> None:
        self.refresh()


def _millis(took: timedelta) -> int:
    """A duration in whole milliseconds, never negative."""
    return max(0, round(took.total_seconds() * 1000))


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
