"""The start page: today's progress, the deck tree and the Study now button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from studyapp.core.model import DeckCounts
from studyapp.core.study.stats import Summary
from studyapp.gui.deck_list import DeckListView
from studyapp.gui.plain import MarkupLabel, PlainLabel, plain_tip
from studyapp.gui.theme import count_colours


class HomeView(QWidget):
    """Today's numbers above the deck tree; studies the selected node or all.

    Signals:
        study_requested(list): Study now was pressed, or a deck node was
            activated; carries deck ids (empty for every deck).
    """

    study_requested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        self.scope = PlainLabel()
        self.scope.setAccessibleName("What Study now will study")
        numbers = QVBoxLayout()
        numbers.addWidget(heading)
        numbers.addWidget(self.today)
        numbers.addWidget(self.due)
        action = QVBoxLayout()
        action.addWidget(self.study_button)
        action.addWidget(self.scope, 0, Qt.AlignmentFlag.AlignHCenter)
        top = QHBoxLayout()
        top.addLayout(numbers, 1)
        top.addLayout(action)
        self.decks = DeckListView()
        self.decks.decks_activated.connect(self._on_decks_decks_activated)
        self.decks.selection_changed.connect(self._on_decks_selection_changed)
        hint = PlainLabel(
            "Select a document, kind or deck and press Enter (or Study now) to "
            "study it. While reviewing, S opens the source passage of each card."
        )
        hint.setObjectName("explanation")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.decks, 1)
        layout.addWidget(hint)
        self._counts: list[DeckCounts] = []

    def set_state(
        self, counts: list[DeckCounts], titles: dict[str, str], today: Summary
    ) -> None:
        """Show fresh numbers: deck counts, document titles, today's summary."""
        self._counts = counts
        self.today.setText(
            f"{today.reviews_today} answers today in {today.minutes_today:.0f} min"
        )
        self.decks.set_counts(counts, titles)
        self._update_due(self.decks.selected_deck_ids())

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
        if not deck_ids:
            scope = "all decks"
        elif len(deck_ids) == 1:
            scope = next((c.title for c in chosen), deck_ids[0])
        else:
            scope = f"{len(deck_ids)} decks"
        self.scope.setText(f"Studies: {scope}")
        self.study_button.setToolTip(plain_tip(f"Study {scope} (Ctrl+R)"))

    def _on_study_button_clicked(self) -> None:
        self.study_requested.emit(self.decks.selected_deck_ids())

    def _on_decks_decks_activated(self, deck_ids: list[str]) -> None:
        self.study_requested.emit(deck_ids)

    def _on_decks_selection_changed(self, deck_ids: list[str]) -> None:
        self._update_due(deck_ids)
