"""The start page: today's progress, the deck tree, the selected decks' overview."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.library import utc_now
from studyapp.core.model import DeckCounts
from studyapp.core.study.overview import FORECAST_DAYS, RETENTION_DAYS, Overview
from studyapp.gui.charts import BarChart, Series
from studyapp.gui.deck_list import DeckListView
from studyapp.gui.elided import ElidedLabel
from studyapp.gui.plain import MarkupLabel, PlainLabel, plain_tip
from studyapp.gui.session_summary import wait_text
from studyapp.gui.theme import count_colours


def ago_text(then: datetime | None, now: datetime) -> str:
    """When something last happened, in words: "today", "3 days ago", "never"."""
    if then is None:
        return "never"
    days = (now.astimezone().date() - then.astimezone().date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def _due_colour(palette: QPalette) -> QColor:
    return count_colours(palette)[2]


class HomeView(QWidget):
    """Today's numbers, the deck tree and an overview of the selected decks.

    Signals:
        study_requested(list): Study now was pressed, or a deck node was
            activated; carries deck ids (empty for every deck).
    """

    study_requested = Signal(list)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        overview: Callable[[list[str], list[DeckCounts]], Overview] | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(parent)
        self._overview = overview
        self._clock = clock
        self.setAccessibleName("Decks and today's progress")
        heading = PlainLabel("Today")
        heading.setObjectName("heading")
        self.today = PlainLabel()
        self.today.setAccessibleName("Today's progress")
        self.due = MarkupLabel()
        self.due.setAccessibleName("Cards to study")
        self.study_button = QPushButton("Study now")
        self.study_button.setObjectName("studyNow")
        self.study_button.setAccessibleName("Study now")
        self.study_button.setDefault(True)
        self.study_button.clicked.connect(self._on_study_button_clicked)
        self.scope = ElidedLabel()
        self.scope.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scope.setAccessibleName("What Study now will study")
        numbers = QVBoxLayout()
        numbers.addWidget(heading)
        numbers.addWidget(self.today)
        numbers.addWidget(self.due)
        action = QVBoxLayout()
        action.addWidget(self.study_button)
        action.addWidget(self.scope)
        top = QHBoxLayout()
        top.addLayout(numbers, 3)
        top.addLayout(action, 1)
        self.decks = DeckListView()
        self.decks.decks_activated.connect(self._on_decks_decks_activated)
        self.decks.selection_changed.connect(self._on_decks_selection_changed)
        body = QHBoxLayout()
        body.addWidget(self.decks, 3)
        body.addWidget(self._build_overview(), 2)
        hint = PlainLabel(
            "Select a document, kind or deck and press Enter (or Study now) to "
            "study it. While reviewing, S opens the source passage of each card."
        )
        hint.setObjectName("explanation")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addWidget(hint)
        self._counts: list[DeckCounts] = []

    def _build_overview(self) -> QFrame:
        frame = QFrame()
        frame.setObjectName("overview")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame.setAccessibleName("Overview of the selected decks")
        self.overview_title = PlainLabel()
        self.overview_title.setObjectName("subheading")
        self.overview_title.setWordWrap(True)
        self.overview_title.setMinimumWidth(1)
        grid = QGridLayout()
        self.overview_values: dict[str, QLabel] = {}
        for index, caption in enumerate(("New", "Learning", "Due", "Total")):
            value = PlainLabel("0")
            value.setObjectName("overviewValue")
            value.setAccessibleName(caption)
            label = PlainLabel(caption.lower())
            label.setObjectName("explanation")
            grid.addWidget(value, 0, index, Qt.AlignmentFlag.AlignHCenter)
            grid.addWidget(label, 1, index, Qt.AlignmentFlag.AlignHCenter)
            self.overview_values[caption] = value
        self.overview_text = PlainLabel()
        self.overview_text.setWordWrap(True)
        self.overview_text.setMinimumWidth(1)
        self.overview_text.setAccessibleName("Last studied, retention and what is next")
        self.due_chart = BarChart(
            f"Due in the next {FORECAST_DAYS} days", x_label="day", y_label="cards"
        )
        self.due_chart.setMinimumHeight(140)
        column = QVBoxLayout(frame)
        column.addWidget(self.overview_title)
        column.addLayout(grid)
        column.addWidget(self.overview_text)
        column.addWidget(self.due_chart, 1)
        return frame

    def set_state(
        self, counts: list[DeckCounts], titles: dict[str, str], today: tuple[int, float]
    ) -> None:
        """Show fresh numbers: deck counts, document titles, today's answers.

        Args:
            counts: The deck list's counts.
            titles: Document titles by id.
            today: Answers given today and the minutes spent on them.
        """
        self._counts = counts
        answers, minutes = today
        self.today.setText(f"{answers} answers today in {minutes:.0f} min")
        self.decks.set_counts(counts, titles)  # its selection_changed updates the rest

    def show_overview(self, title: str, overview: Overview, now: datetime) -> None:
        """Show the overview of the selected decks (or all)."""
        self.overview_title.setText(title)
        new, learning, due = count_colours(self.palette())
        for caption, number, colour in (
            ("New", overview.new, new.name()),
            ("Learning", overview.learning, learning.name()),
            ("Due", overview.due, due.name()),
            ("Total", overview.total, ""),
        ):
            label = self.overview_values[caption]
            label.setText(str(number))
            label.setStyleSheet(f"color: {colour};" if colour else "")
        lines = [f"Last studied: {ago_text(overview.last_studied, now)}"]
        if overview.retention is not None:
            lines.append(
                f"Retention, {RETENTION_DAYS} days: {overview.retention:.0%} "
                f"of {overview.reviews_counted} reviews"
            )
        else:
            lines.append(f"Retention, {RETENTION_DAYS} days: no reviews yet")
        if overview.next_learning_at is not None:
            wait = (overview.next_learning_at - now).total_seconds()
            lines.append(
                f"{overview.learning_later} learning card(s) in {wait_text(wait)}"
            )
        if overview.reviews_tomorrow:
            lines.append(f"{overview.reviews_tomorrow} review(s) tomorrow")
        self.overview_text.setText("\n".join(lines))
        days = ["today", "tmrw", *(f"+{i}" for i in range(2, FORECAST_DAYS))]
        self.due_chart.set_data(
            days[: len(overview.due_by_day)],
            [Series("Due", tuple(map(float, overview.due_by_day)), _due_colour)],
        )

    def _update_due(self, deck_ids: list[str]) -> None:
        chosen = [c for c in self._counts if not deck_ids or c.id in deck_ids]
        new, learning, due = (c.name() for c in count_colours(self.palette()))
        sums = [sum(getattr(c, k) for c in chosen) for k in ("learning", "due", "new")]
        self.due.setText(
            f"Due now: <span style='color:{learning}'>{sums[0]} learning</span>"
            f" · <span style='color:{due}'>{sums[1]} review</span>"
            f" · <span style='color:{new}'>{sums[2]} new</span>"
        )
        self.due.setAccessibleDescription(
            f"{sums[0]} learning, {sums[1]} review and {sums[2]} new cards"
        )
        scope = self.scope_title(deck_ids)
        self.scope.setText(f"Studies: {scope}")
        self.study_button.setToolTip(plain_tip(f"Study {scope} (Ctrl+R)"))
        if self._overview is not None:
            now = self._clock()
            title = scope[:1].upper() + scope[1:]
            self.show_overview(title, self._overview(deck_ids, self._counts), now)

    def scope_title(self, deck_ids: list[str]) -> str:
        """What the selection covers, in words: a deck's title, "all decks"..."""
        if not deck_ids:
            return "all decks"
        if len(deck_ids) == 1:
            return next((c.title for c in self._counts if c.id == deck_ids[0]), "")
        items = self.decks.selectedItems()
        name = items[0].text(0) if items else ""
        return f"{name} ({len(deck_ids)} decks)" if name else f"{len(deck_ids)} decks"

    def _on_study_button_clicked(self) -> None:
        self.study_requested.emit(self.decks.selected_deck_ids())

    def _on_decks_decks_activated(self, deck_ids: list[str]) -> None:
        self.study_requested.emit(deck_ids)

    def _on_decks_selection_changed(self, deck_ids: list[str]) -> None:
        self._update_due(deck_ids)
