"""The card browser's table: matching cards, their rows read a page at a time."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from studyapp.core.clock import from_ms
from studyapp.core.library import Library
from studyapp.core.model import State
from studyapp.core.query import CardRow
from studyapp.words import format_interval

_PAGE = 200
#: (heading, sort key of the search, how a row shows it)
COLUMNS: tuple[tuple[str, str, Callable[[CardRow], str]], ...] = (
    ("Deck", "deck", lambda r: r.deck_id),
    ("Card", "note", lambda r: f"{r.note_id}#{r.ord}" if r.ord else r.note_id),
    ("Text", "card", lambda r: " ".join(r.text.split())[:120]),
    ("Kind", "kind", lambda r: r.kind.replace("_", " ")),
    ("Type", "type", lambda r: r.type),
    ("Section", "section", lambda r: r.section),
    ("Due", "due", lambda r: _due(r)),
    (
        "Interval",
        "interval",
        lambda r: format_interval(r.interval_days * 86400) if r.interval_days else "",
    ),
    ("Stability", "stability", lambda r: _number(r.stability)),
    ("Difficulty", "difficulty", lambda r: _number(r.difficulty)),
    (
        "Recall",
        "retrievability",
        lambda r: f"{r.retrievability:.0%}" if r.state else "",
    ),
    ("Lapses", "lapses", lambda r: str(r.lapses)),
    ("Reviews", "reviews", lambda r: str(r.reps)),
    ("Tags", "tags", lambda r: " ".join(r.tags)),
    ("Marks", "flag", lambda r: marks_text(r)),
)
FLAG_NAMES = ("", "red", "orange", "green", "blue", "pink", "turquoise", "purple")
_FLAG_COLOURS: tuple[str, ...] = ("", "#d32f2f", "#ef6c00", "#2e7d32", "#1565c0")
_FLAG_COLOURS += ("#ad1457", "#00838f", "#6a1b9a")


def _due(row: CardRow) -> str:
    if row.state == State.NEW:
        return "new"
    return from_ms(row.due_ms).astimezone().strftime("%Y-%m-%d")


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def marks_text(row: CardRow) -> str:
    """Suspended, buried and the flag, in words."""
    parts = []
    if row.suspended:
        parts.append("suspended")
    if row.buried:
        parts.append("buried")
    if row.flag:
        parts.append(f"flag {FLAG_NAMES[row.flag]}")
    return ", ".join(parts)


class CardTableModel(QAbstractTableModel):
    """The card ids a search found; each row's data is read when first shown."""

    def __init__(self, library: Library, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self._library = library
        self._clock = clock
        self._ids: list[int] = []
        self._rows: dict[int, CardRow] = {}

    @property
    def card_ids(self) -> list[int]:
        """The ids shown, in order."""
        return list(self._ids)

    def set_ids(self, card_ids: Sequence[int]) -> None:
        """Show these cards (rows are read again as they are shown)."""
        self.beginResetModel()
        self._ids = list(card_ids)
        self._rows = {}
        self.endResetModel()

    def refresh_rows(self) -> None:
        """Re-read the rows shown (after the cards changed)."""
        self._rows = {}
        if self._ids:
            last = self.index(len(self._ids) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def row_at(self, row: int) -> CardRow | None:
        """The card in a table row (read with its page if needed)."""
        if not 0 <= row < len(self._ids):
            return None
        card_id = self._ids[row]
        if card_id not in self._rows:
            start = row - row % _PAGE
            page = self._ids[start : start + _PAGE]
            for found in self._library.cards.rows(page, now=self._clock()):
                self._rows[found.card_id] = found
        return self._rows.get(card_id)

    def rowCount(  # noqa: N802 (Qt's name)
        self, parent: QModelIndex | QPersistentModelIndex | None = None
    ) -> int:
        """Rows: one per card."""
        return 0 if parent is not None and parent.isValid() else len(self._ids)

    def columnCount(  # noqa: N802 (Qt's name)
        self, parent: QModelIndex | QPersistentModelIndex | None = None
    ) -> int:
        """Columns: see COLUMNS."""
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        """A cell's text, and the row's colour for suspended and flagged cards."""
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][2](row)
        if role == Qt.ItemDataRole.ForegroundRole and row.flag:
            return QColor(_FLAG_COLOURS[row.flag])
        if role == Qt.ItemDataRole.BackgroundRole and row.suspended:
            return QColor(255, 235, 150, 90)
        return None

    def headerData(  # noqa: N802 (Qt's name)
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        """Column headings."""
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
        ):
            return COLUMNS[section][0]
        return None
