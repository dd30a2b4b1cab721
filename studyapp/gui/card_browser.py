"""The card browser (Ctrl+B): search, a sortable table, card info, card actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMenu,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.errors import StudyAppError
from studyapp.core.library import Library
from studyapp.core.study.search import SearchError
from studyapp.gui.card_info import CardInfoPanel, info_html
from studyapp.gui.card_table import COLUMNS, FLAG_NAMES, CardTableModel
from studyapp.gui.plain import PlainLabel

SEARCH_DELAY_MS = 150


class CardBrowser(QWidget):
    """A window over every review card: search as you type, act on a selection.

    Signals:
        edit_requested(int): the learner asked to edit a card (its id).
        cards_changed(): cards were suspended, flagged, reset... (refresh counts).
        undo_requested(): Edit -> Undo from inside the browser.
    """

    edit_requested = Signal(int)
    cards_changed = Signal()
    undo_requested = Signal()

    def __init__(
        self,
        library: Library,
        clock: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._library = library
        self._clock = clock
        self._order = ("card", False)
        self.setWindowTitle("Browse cards")
        self.setAccessibleName("Card browser")
        self.resize(1200, 700)

        self.search = QLineEdit()
        self.search.setPlaceholderText(
            'Search: words, "a phrase", -not, a OR b, deck:, tag:, kind:, is:due, '
            "flag:1, rated:7, prop:r<0.7"
        )
        self.search.setAccessibleName("Search cards")
        self.search.setClearButtonEnabled(True)
        self.status = PlainLabel()
        self.status.setAccessibleName("Search result")
        self.status.setWordWrap(True)  # an error may quote a long query
        self.status.setMinimumWidth(1)
        self.model = CardTableModel(library, clock)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Cards")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().sortIndicatorChanged.connect(
            self._on_header_sort_indicator_changed
        )
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.info = CardInfoPanel()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.info)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([780, 420])
        # Fixed widths: sizing to contents would read every row of 100k cards.
        for column, width in enumerate((170, 150, 260, 90, 80, 120, 90, 70)):
            self.table.setColumnWidth(column, width)

        self.actions_menu = QMenu("Cards", self)
        self._build_actions()
        menu_button = QToolButton()
        menu_button.setText("Cards")
        menu_button.setMenu(self.actions_menu)
        menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(menu_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.table.selectionModel().selectionChanged.connect(
            self._on_table_selection_changed
        )
        self.run_search()

    # Building -------------------------------------------------------------

    def _build_actions(self) -> None:
        def action(
            text: str, keys: str, slot: Callable[[], None], *, table_only: bool
        ) -> QAction:
            item = QAction(text, self)
            if keys:
                item.setShortcut(QKeySequence(keys))
            # Plain keys (@, -) act only in the table, so they can be typed
            # into the search box.
            item.setShortcutContext(
                Qt.ShortcutContext.WidgetWithChildrenShortcut
                if table_only
                else Qt.ShortcutContext.WindowShortcut
            )
            item.triggered.connect(slot)
            (self.table if table_only else self).addAction(item)
            self.actions_menu.addAction(item)
            return item

        self.edit_action = action(
            "&Edit card…", "Ctrl+E", self._on_edit_triggered, table_only=False
        )
        self.suspend_action = action(
            "&Suspend / unsuspend", "@", self.toggle_suspend, table_only=True
        )
        self.bury_action = action(
            "&Bury until tomorrow", "-", self.bury, table_only=True
        )
        self.flag_actions = [
            action(
                f"Flag {FLAG_NAMES[n]}",
                f"Ctrl+{n}",
                partial(self.flag, n),
                table_only=False,
            )
            for n in range(1, 5)
        ]
        action("Remove flag", "Ctrl+0", partial(self.flag, 0), table_only=False)
        self.reset_action = action(
            "&Reset to new", "Ctrl+Alt+N", self.reset, table_only=False
        )
        self.set_due_action = action(
            "Set &due date…",
            "Ctrl+Shift+D",
            self._on_set_due_triggered,
            table_only=False,
        )
        self.move_action = action(
            "&Move to deck…", "Ctrl+D", self._on_move_triggered, table_only=False
        )
        self.undo_action = action(
            "&Undo", "Ctrl+Z", self.undo_requested.emit, table_only=False
        )
        focus = QAction("Search", self)
        focus.setShortcut(QKeySequence("Ctrl+F"))
        focus.triggered.connect(self.search.setFocus)
        self.addAction(focus)

    # Public ---------------------------------------------------------------

    def set_query(self, query: str) -> None:
        """Search for ``query`` now (also shows it in the search box)."""
        self.search.blockSignals(True)
        self.search.setText(query)
        self.search.blockSignals(False)
        self.run_search()

    def run_search(self) -> None:
        """Search with the box's text; keeps the old results on a bad query."""
        self._timer.stop()
        order, descending = self._order
        try:
            ids = self._library.cards.find(
                self.search.text(),
                now=self._clock(),
                order=order,
                descending=descending,
            )
        except SearchError as error:
            self._show_error(error.reason)
            return
        self.model.set_ids(ids)
        self.status.setStyleSheet("")
        self.status.setText(f"{len(ids)} card(s)")
        if ids:
            self.table.selectRow(0)
        else:
            self.info.show_info("<p>No card matches.</p>")

    def selected_ids(self) -> list[int]:
        """The ids of the selected cards, in table order."""
        rows = sorted(
            {index.row() for index in self.table.selectionModel().selectedRows()}
        )
        ids = self.model.card_ids
        return [ids[row] for row in rows if row < len(ids)]

    def select_rows(self, rows: list[int]) -> None:
        """Select these table rows (for tests and for keeping a selection)."""
        selection = QItemSelection()
        last = len(COLUMNS) - 1
        for row in rows:
            selection.select(self.model.index(row, 0), self.model.index(row, last))
        self.table.selectionModel().select(
            selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def refresh(self) -> None:
        """Re-read the shown rows and the card info (after a change or undo)."""
        self.model.refresh_rows()
        self._show_info()

    # Card actions ------------------------------------------------------------

    def _act(self, change: Callable[[list[int]], int]) -> None:
        ids = self.selected_ids()
        if ids and change(ids):
            self.refresh()
            self.cards_changed.emit()

    def toggle_suspend(self) -> None:
        """Suspend the selected cards, or unsuspend them if all are suspended."""
        self._act(self._library.cards.toggle_suspend)

    def bury(self) -> None:
        """Bury the selected cards until the next study day."""
        self._act(lambda ids: self._library.cards.bury(ids, now=self._clock()))

    def flag(self, number: int) -> None:
        """Flag the selected cards (0 removes the flag)."""
        self._act(lambda ids: self._library.cards.flag(ids, number))

    def reset(self) -> None:
        """Make the selected cards new again."""
        self._act(lambda ids: self._library.cards.reset(ids, now=self._clock()))

    def set_due_in(self, days: int) -> None:
        """Make the selected cards due in ``days`` days (0: today)."""
        due = self._library.day_start(self._clock()) + timedelta(days=days, hours=1)
        self._act(lambda ids: self._library.cards.set_due(ids, due))

    def move_to(self, deck_id: str) -> None:
        """Move the selected cards' notes, with their history, to another deck."""
        try:
            self._act(lambda ids: self._library.decks.move_cards(ids, deck_id))
        except StudyAppError as error:
            self._show_error(str(error))

    # Internals --------------------------------------------------------------

    def _show_error(self, text: str) -> None:
        """An error in the status line: plain text (it may quote the query), red."""
        self.status.setStyleSheet("color: #c62828")
        self.status.setText(text)

    def _show_info(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            self.info.show_info(f"<p>{len(ids)} cards selected.</p>" if ids else "")
            return
        cards = self._library.cards
        card_id = ids[0]
        rows = cards.rows([card_id], now=self._clock())
        self.info.show_info(
            info_html(
                cards.card(card_id),
                rows[0] if rows else None,
                cards.passage(card_id),
                cards.history(card_id),
            )
        )

    # Slots ------------------------------------------------------------------

    def _on_search_text_changed(self, _text: str) -> None:
        self._timer.start()

    def _on_header_sort_indicator_changed(
        self, column: int, order: Qt.SortOrder
    ) -> None:
        key = COLUMNS[column][1] if 0 <= column < len(COLUMNS) else "card"
        self._order = (key, order == Qt.SortOrder.DescendingOrder)
        self.run_search()

    def _on_table_selection_changed(
        self, _selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        self._show_info()

    def _on_table_double_clicked(self, _index: object) -> None:
        self._on_edit_triggered()

    def _on_table_context_menu(self, pos: QPoint) -> None:
        self.actions_menu.popup(self.table.viewport().mapToGlobal(pos))

    def _on_edit_triggered(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.edit_requested.emit(ids[0])

    def _on_move_triggered(self) -> None:
        if not self.selected_ids():
            return
        decks = self._library.decks.ids()
        deck_id, ok = QInputDialog.getItem(
            self, "Move cards", "Move the selected cards to deck:", decks, 0, False
        )
        if ok and deck_id:
            self.move_to(deck_id)

    def _on_set_due_triggered(self) -> None:
        if not self.selected_ids():
            return
        days, ok = QInputDialog.getInt(
            self, "Set due date", "Due in how many days (0: today)?", 0, 0, 36500
        )
        if ok:
            self.set_due_in(days)
