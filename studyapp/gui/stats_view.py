"""The Statistics screen: today's numbers, charts and mastery per source section."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from studyapp.core.decks.richtext import to_plain_text
from studyapp.core.library import Library, utc_now
from studyapp.core.model import Rating
from studyapp.core.study import stats, stats_days
from studyapp.gui.charts import (
    BarChart,
    LineChart,
    Series,
    learning_colour,
    line_colour,
    percent,
    rating_colour,
    review_colour,
)
from studyapp.gui.labels import section_title
from studyapp.gui.plain import PlainLabel, plain_tip
from studyapp.gui.stats_tables import (
    RECALL_ROLE,
    RecallBarDelegate,
    fit_height,
    new_table,
    number_item,
    titled,
)

PERIODS = ((14, "Last 14 days"), (30, "Last 30 days"), (90, "Last 90 days"))
WEEKLY_AFTER = 30  # longer periods show retention per week: days are too noisy
WEAKEST_SHOWN = 15


class StatsView(QWidget):
    """Answers per day, retention, forecast, intervals and section mastery.

    Every number comes from ``core.stats`` and ``core.study.stats_days``; the
    charts keep the values they show (``labels``, ``series``) for tests.

    Signals:
        closed(): the learner asked to go back to the deck list (Esc).
    """

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
        self.setAccessibleName("Statistics")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        heading = PlainLabel("Statistics")
        heading.setObjectName("heading")
        self.period = QComboBox()
        self.period.setAccessibleName("Period shown")
        for days, text in PERIODS:
            self.period.addItem(text, days)
        self.period.setCurrentIndex(1)
        self.period.currentIndexChanged.connect(self._on_period_current_index_changed)
        hint = PlainLabel("Esc: back to the decks")
        hint.setObjectName("explanation")
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(hint)
        top.addWidget(self.period)
        self.today: dict[str, QLabel] = {}
        tiles = QHBoxLayout()
        for caption in (
            "Answers today",
            "Minutes today",
            "Retention, 30 days",
            "Due today",
            "Cards studied",
        ):
            tiles.addWidget(self._tile(caption), 1)
        self.reviews_chart = BarChart(
            "Answers per day", x_label="study day", y_label="answers"
        )
        self.retention_chart = LineChart(
            "True retention (review cards not Again)",
            x_label="study day",
            y_label="share passed",
            value_format=percent,
        )
        self.forecast_chart = BarChart(
            "Due forecast", x_label="study day", y_label="cards due"
        )
        self.interval_chart = BarChart(
            "Review intervals", x_label="interval", y_label="cards"
        )
        self.sections = new_table(
            "Mastery per source section",
            ["Source section", "Cards", "Studied", "Recall of studied cards"],
            stretch=(0,),
        )
        bar_column = self.sections.horizontalHeader()
        bar_column.setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        bar_column.resizeSection(3, 200)
        self.sections.setItemDelegateForColumn(3, RecallBarDelegate(self.sections))
        self.weakest = new_table(
            "Weakest studied cards",
            ["Recall", "Lapses", "Card", "Section"],
            stretch=(2, 3),
        )
        grid = QGridLayout()
        grid.setSpacing(10)
        grid.addWidget(self.reviews_chart, 0, 0)
        grid.addWidget(self.retention_chart, 0, 1)
        grid.addWidget(self.forecast_chart, 1, 0)
        grid.addWidget(self.interval_chart, 1, 1)
        # The tables take the full width: section names are long.
        grid.addWidget(
            titled("Mastery per source section (weakest first)", self.sections),
            2,
            0,
            1,
            2,
        )
        grid.addWidget(titled("Weakest studied cards", self.weakest), 3, 0, 1, 2)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(tiles)
        body_layout.addLayout(grid, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        #: Whether the two tables hold their rows. They are read after the
        #: charts are first painted (mastery and the weakest cards take a
        #: third of the screen's time at 100k cards, issue 21).
        self.tables_filled = False
        self._refresh_charts()
        self.reviews_chart.installEventFilter(self)

    def _tile(self, caption: str) -> QFrame:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        value = PlainLabel()
        value.setObjectName("statValue")
        value.setAccessibleName(caption)
        font = value.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        value.setFont(font)
        label = PlainLabel(caption)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(value)
        layout.addWidget(label)
        self.today[caption] = value
        return frame

    # Public ---------------------------------------------------------------

    @property
    def days(self) -> int:
        """The chosen period, in days."""
        return int(self.period.currentData())

    def refresh(self) -> None:
        """Recompute every number, chart and table from the library."""
        self._refresh_charts()
        self.fill_tables()

    def fill_tables(self) -> None:
        """Read the mastery per section and the weakest cards into the tables."""
        now = self._clock()
        self._show_sections(self._library.stats.section_mastery(now))
        self._show_weakest(self._library.stats.weakest_cards(now, WEAKEST_SHOWN))
        self.tables_filled = True

    def _refresh_charts(self) -> None:
        library = self._library
        now = self._clock()
        start = library.day_start(now)
        days = self.days
        summary = library.stats.summary(now)
        forecast = library.stats.due_forecast(now, days)
        self._show_today(summary, forecast[0].total)
        self._show_reviews(library.stats.reviews_per_day(now, days))
        weekly = days > WEEKLY_AFTER
        retention = library.stats.retention_by_period(now, days, 7 if weekly else 1)
        self.retention_chart.x_label = "week starting" if weekly else "study day"
        self.retention_chart.target = self._library.settings().desired_retention
        self.retention_chart.set_data(
            [_day_label(p.start, start) for p in retention],
            [Series("Retention", tuple(p.retention for p in retention), line_colour)],
        )
        self.forecast_chart.title = f"Due forecast, next {days} days"
        self.forecast_chart.setAccessibleName(self.forecast_chart.title)
        self.forecast_chart.set_data(
            [_day_label(d.start, start) for d in forecast],
            [
                Series(
                    "Learning", tuple(d.learning for d in forecast), learning_colour
                ),
                Series("Review", tuple(d.review for d in forecast), review_colour),
            ],
        )
        bins = library.stats.interval_histogram()
        self.interval_chart.set_data(
            [b.label for b in bins],
            [Series("Review cards", tuple(b.cards for b in bins), review_colour)],
        )

    def section_rows(self) -> list[tuple[str, int, int, float]]:
        """The mastery table as (section, cards, studied, recall), top down."""

        def cell(row: int, column: int) -> QTableWidgetItem:
            item = self.sections.item(row, column)
            assert item is not None  # refresh fills every cell
            return item

        return [
            (
                str(cell(row, 0).data(Qt.ItemDataRole.UserRole)),
                int(cell(row, 1).text()),
                int(cell(row, 2).data(Qt.ItemDataRole.UserRole)),
                float(cell(row, 3).data(RECALL_ROLE) or 0.0),
            )
            for row in range(self.sections.rowCount())
        ]

    # Showing ----------------------------------------------------------------

    def _show_today(self, summary: stats.Summary, due_today: int) -> None:
        cards = sum(summary.by_state.values())
        retention = summary.retention_30d
        values = {
            "Answers today": str(summary.reviews_today),
            "Minutes today": f"{summary.minutes_today:.0f}",
            "Retention, 30 days": f"{retention:.0%}"
            if retention is not None
            else "n/a",
            "Due today": str(due_today),
            "Cards studied": f"{cards - summary.by_state['new']} of {cards}",
        }
        for caption, text in values.items():
            self.today[caption].setText(text)
            self.today[caption].setAccessibleDescription(f"{caption}: {text}")

    def _show_reviews(self, days: list[stats_days.DayReviews]) -> None:
        today = days[-1].start
        self.reviews_chart.set_data(
            [_day_label(d.start, today) for d in days],
            [
                Series(
                    r.name.title(), tuple(d.count(r) for d in days), rating_colour(r)
                )
                for r in Rating
            ],
        )

    def _show_sections(self, mastery: list[stats.SectionMastery]) -> None:
        table = self.sections
        table.setRowCount(len(mastery))
        titles = self._library.source_titles()
        for row, section in enumerate(mastery):
            # Recall of what was studied and how much was studied are two
            # figures: 20 of 95 cards all at 100 % is not "21 %" (bug 15).
            known = section.studied_recall
            recall = QTableWidgetItem("" if known is None else f"{known:.0%}")
            recall.setData(RECALL_ROLE, known)
            studied = number_item(section.studied)
            studied.setText(f"{section.studied} ({section.coverage:.0%})")
            studied.setData(Qt.ItemDataRole.UserRole, section.studied)
            name = QTableWidgetItem(section_title(section.label, titles))
            name.setData(Qt.ItemDataRole.UserRole, section.label)
            items = [name, number_item(section.cards), studied, recall]
            items[0].setToolTip(name.text())
            for column, item in enumerate(items):
                table.setItem(row, column, item)
        fit_height(table)

    def _show_weakest(self, cards: list[stats.WeakCard]) -> None:
        table = self.weakest
        table.setRowCount(len(cards))
        for row, weak in enumerate(cards):
            front = to_plain_text(self._library.card(weak.card_id).front)
            front = " ".join(front.split())
            section = f"{weak.source}: {weak.section}" if weak.source else "n/a"
            items = [
                QTableWidgetItem(f"{weak.recall:.0%}"),
                number_item(weak.lapses),
                QTableWidgetItem(front),
                QTableWidgetItem(section),
            ]
            items[2].setToolTip(plain_tip(front))
            for column, item in enumerate(items):
                table.setItem(row, column, item)
        fit_height(table)

    # Events ---------------------------------------------------------------

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.reviews_chart and event.type() == QEvent.Type.Paint:
            # The first chart is on screen: fill the tables once it is shown.
            self.reviews_chart.removeEventFilter(self)
            if not self.tables_filled:
                QTimer.singleShot(0, self, self._fill_tables_if_empty)
        return super().eventFilter(watched, event)

    def _fill_tables_if_empty(self) -> None:
        if not self.tables_filled:
            self.fill_tables()

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.closed.emit()
        else:
            super().keyPressEvent(event)

    def _on_period_current_index_changed(self, _index: int) -> None:
        self.refresh()


def _day_label(start: datetime, today: datetime) -> str:
    """'today', or the local date of a study day: '2 Mar'."""
    if start == today:
        return "today"
    day = start.astimezone().date()
    return f"{day.day} {day.strftime('%b')}"
