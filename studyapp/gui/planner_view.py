"""The exam planner: predicted recall per section on an exam date, and study."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from studyapp.core.clock import exam_time
from studyapp.core.library import Library, utc_now
from studyapp.core.model import Card
from studyapp.core.study.planner import Forecast
from studyapp.gui.elided import ElidedLabel
from studyapp.gui.exam_setup import checked_values, checklist, heading
from studyapp.gui.labels import card_line, section_title
from studyapp.gui.plain import PlainLabel, plain_tip
from studyapp.gui.review_view import ReviewView
from studyapp.gui.scrolling import vertical_scroll

WEAKEST_SHOWN = 20


class PlannerView(QWidget):
    """Forecast recall on an exam date per section; study the weakest cards.

    Studying here reviews cards ahead of their due date, weakest on the exam
    day first, in the normal review screen (ratings with intervals, the
    source pane, undo); the forecast is recomputed when the session ends.

    Signals:
        forecast_updated(object): a new Forecast is shown.
        study_started(object): the study session's ReviewView is on screen
            (the main window wires its source pane and menu to it).
        card_studied(int): a card was rated in the study session (Rating).
        closed(): the learner asked to leave the planner.
    """

    forecast_updated = Signal(object)
    study_started = Signal(object)
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
        self.review: ReviewView | None = None
        self._source_titles = library.source_titles()
        decks = library.deck_counts(now=clock())
        self._deck_titles = {d.id: d.title for d in decks}
        self.setAccessibleName("Exam planner")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._pages = QStackedWidget()
        self._pages.addWidget(self._build_forecast_page())
        self._study_page = QWidget()
        self._study_layout = QVBoxLayout(self._study_page)
        self._study_layout.setContentsMargins(0, 0, 0, 0)
        self._pages.addWidget(self._study_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)
        self.refresh()

    def _build_forecast_page(self) -> QWidget:
        page = QWidget()
        self.decks = checklist(
            "Decks", [(title, deck_id) for deck_id, title in self._deck_titles.items()]
        )
        self.decks.setWordWrap(True)  # deck names wrap rather than being cut
        self.decks.itemChanged.connect(self._on_decks_item_changed)
        today = self._clock().astimezone().date()
        self.exam_date = QDateEdit(_qdate(today + timedelta(days=14)))
        self.exam_date.setCalendarPopup(True)
        self.exam_date.setDisplayFormat("d MMM yyyy")
        self.exam_date.setMinimumDate(_qdate(today))
        self.exam_date.setAccessibleName("Exam date")
        self.exam_date.dateChanged.connect(self._on_exam_date_date_changed)
        self.study_size = QSpinBox()
        self.study_size.setRange(1, 500)
        self.study_size.setValue(20)
        self.study_size.setAccessibleName("How many of the weakest cards to study")
        self.study_size.setSuffix(" cards")
        self.study_button = QPushButton("Study them (Enter)")
        self.study_button.setObjectName("startExam")
        self.study_button.clicked.connect(self.start_study)
        controls = QHBoxLayout()
        controls.addWidget(PlainLabel("Exam on"))
        controls.addWidget(self.exam_date)
        controls.addStretch(1)
        controls.addWidget(PlainLabel("Weakest"))
        controls.addWidget(self.study_size)
        controls.addWidget(self.study_button)
        self.summary = PlainLabel()
        self.summary.setObjectName("heading")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Predicted recall overall")
        # One bar per section: many sections scroll rather than stretch the
        # window past the screen.
        self._bars = QGridLayout()
        self._bars.setColumnStretch(0, 3)
        self._bars.setColumnStretch(1, 2)
        bars = QWidget()
        bars_layout = QVBoxLayout(bars)
        bars_layout.setContentsMargins(0, 0, 0, 0)
        bars_layout.addLayout(self._bars)
        bars_layout.addStretch(1)  # a few sections stay at the top
        self.weakest = QListWidget()
        self.weakest.setAccessibleName("Weakest cards on the exam day")
        self.weakest.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.weakest.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.weakest.setUniformItemSizes(True)
        left = QVBoxLayout()
        left.addWidget(heading("Decks in the exam"))
        left.addWidget(self.decks, 1)
        right = QVBoxLayout()
        right.addWidget(self.summary)
        right.addWidget(heading("Predicted recall per section"))
        right.addWidget(vertical_scroll(bars), 1)
        right.addWidget(heading("Weakest on the exam day"))
        right.addWidget(self.weakest, 1)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 5)
        layout = QVBoxLayout(page)
        layout.addLayout(controls)
        layout.addLayout(body, 1)
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
        day = self.exam_date.date().toString("ddd d MMM yyyy")
        self.summary.setText(
            f"Predicted recall on {day}: {result.recall:.0%} "
            f"over {len(result.cards)} cards"
        )
        while self._bars.count():
            item = self._bars.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        for row, section in enumerate(result.sections):
            name = ElidedLabel(section_title(section.section, self._source_titles))
            bar = QProgressBar()
            bar.setObjectName("recallBar")
            bar.setAccessibleName(section.section)
            bar.setRange(0, 1000)
            bar.setValue(round(section.recall * 1000))
            bar.setFormat(f"{section.recall:.0%} of {section.cards} cards")
            bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
            bar.setMinimumWidth(140)
            self._bars.addWidget(name, row, 0)
            self._bars.addWidget(bar, row, 1)
        recall = {c.card_id: c.recall for c in result.cards}
        self.weakest.clear()
        for card_id in result.study_order()[:WEAKEST_SHOWN]:
            front = card_line(self._library.card(card_id).front)
            entry = QListWidgetItem(f"{recall[card_id]:4.0%}   {front}", self.weakest)
            entry.setToolTip(plain_tip(front))
        self.study_button.setEnabled(bool(result.cards))
        self.forecast_updated.emit(result)

    def section_recall(self) -> dict[str, float]:
        """The section bars' values, as fractions, by section."""
        bars = self.findChildren(QProgressBar, "recallBar")
        return {bar.accessibleName(): bar.value() / 1000 for bar in bars}

    @property
    def current_card(self) -> Card | None:
        """The card being studied, if a study session is on."""
        return None if self.review is None else self.review.current_card

    def start_study(self) -> ReviewView | None:
        """Study the weakest cards on the exam day, weakest first."""
        if self.forecast is None or self.review is not None:
            return None
        order = self.forecast.study_order()[: self.study_size.value()]
        if not order:
            return None
        session = self._library.study_session(order)
        view = ReviewView(
            session,
            self._clock,
            dict(self._deck_titles),
            back_text="Forecast (Esc)",
        )
        view.card_answered.connect(self.card_studied)
        view.closed.connect(self._on_review_closed)
        self.review = view
        self._study_layout.addWidget(view)
        self._pages.setCurrentIndex(1)
        self.study_started.emit(view)
        view.start()
        view.setFocus()
        return view

    def end_study(self) -> None:
        """Leave the study session and show the updated forecast."""
        if self.review is not None:
            for action in self.review.actions():  # its keys go with it at once
                action.setEnabled(False)
            self._study_layout.removeWidget(self.review)
            self.review.hide()
            self.review.deleteLater()
            self.review = None
        self._pages.setCurrentIndex(0)
        self.refresh()
        self.setFocus()

    # Events ---------------------------------------------------------------

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self.review is None and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.start_study()
        elif self.review is None and key == Qt.Key.Key_Escape:
            self.closed.emit()
        else:
            super().keyPressEvent(event)

    def _on_review_closed(self) -> None:
        self.end_study()

    def _on_decks_item_changed(self) -> None:
        self.refresh()

    def _on_exam_date_date_changed(self) -> None:
        self.refresh()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
