"""Tables of the Statistics screen: recall bars and row-fitted tables."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from studyapp.core.model import Rating
from studyapp.gui.charts import rating_colour
from studyapp.gui.plain import PlainLabel
from studyapp.gui.theme import count_colours

RECALL_ROLE = Qt.ItemDataRole.UserRole  # a recall share, 0-1, for the bar


class RecallBarDelegate(QStyledItemDelegate):
    """Draws a recall share (item data at UserRole) as a bar with its percent."""

    @override
    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        option.text = ""  # the percent is drawn beside the bar instead
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(
                QStyle.ControlElement.CE_ItemViewItem, option, painter, widget
            )
        palette = option.palette
        if index.data(RECALL_ROLE) is None:  # nothing studied: no bar at all
            painter.save()
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                QRectF(option.rect).adjusted(6, 0, -6, 0),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                "not studied yet",
            )
            painter.restore()
            return
        recall = float(index.data(RECALL_ROLE))
        rect = QRectF(option.rect).adjusted(6, 5, -6, -5)
        text_width = option.fontMetrics.horizontalAdvance("100%") + 8
        track = QRectF(
            rect.left(), rect.top(), rect.width() - text_width, rect.height()
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        track_colour = palette.color(QPalette.ColorRole.Text)
        track_colour.setAlpha(28)  # a faint groove on light and dark bases
        painter.setBrush(track_colour)
        painter.drawRoundedRect(track, 3, 3)
        if recall > 0:
            painter.setBrush(recall_colour(palette, recall))
            filled = QRectF(track)
            filled.setWidth(max(2.0, track.width() * min(recall, 1.0)))
            painter.drawRoundedRect(filled, 3, 3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = (
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        painter.setPen(palette.color(role))
        painter.drawText(
            QRectF(track.right(), rect.top(), text_width, rect.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            f"{recall:.0%}",
        )
        painter.restore()


def recall_colour(palette: QPalette, recall: float) -> QColor:
    """Red under 50%, amber under 80%, else green: how safe the recall is."""
    _new, learning, due = count_colours(palette)
    if recall < 0.5:
        return learning
    if recall < 0.8:
        return rating_colour(Rating.HARD)(palette)
    return due


def new_table(
    name: str, headers: list[str], *, stretch: tuple[int, ...]
) -> QTableWidget:
    """A read-only table selecting rows; the ``stretch`` columns share the width."""
    table = QTableWidget(0, len(headers))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return table


def titled(title: str, widget: QWidget) -> QWidget:
    """The widget under a bold title."""
    box = QWidget()
    label = PlainLabel(title)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(label)
    layout.addWidget(widget, 1)
    return box


def fit_height(table: QTableWidget) -> None:
    """Make the table tall enough for all its rows; the page scrolls instead."""
    rows = sum(table.rowHeight(row) for row in range(table.rowCount()))
    header = table.horizontalHeader().sizeHint().height()
    table.setFixedHeight(rows + header + 2 * table.frameWidth() + 2)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)


def number_item(value: int) -> QTableWidgetItem:
    """A right-aligned count."""
    item = QTableWidgetItem(str(value))
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item
