"""Small charts drawn with QPainter: stacked bars and a line, palette-aware.

Colours are resolved from the widget's palette at paint time, so a chart
follows the system's switch between light and dark without new data. The
values shown are kept as attributes (``labels``, ``series``) for tests and
are also read out in the accessible description.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget
from typing_extensions import override

from studyapp.core.model import Rating
from studyapp.gui.theme import count_colours, is_dark

Colour = Callable[[QPalette], QColor]
Format = Callable[[float], str]
_PAD = 8.0

_RATING_LIGHT = ("#c62828", "#b86e00", "#2e7d32", "#1565c0")
_RATING_DARK = ("#ff8a80", "#ffc266", "#81d98c", "#82b8ff")


def rating_colour(rating: Rating) -> Colour:
    """Again red, Hard amber, Good green, Easy blue; lighter on dark palettes."""
    index = int(rating) - 1
    return lambda p: QColor((_RATING_DARK if is_dark(p) else _RATING_LIGHT)[index])


def learning_colour(palette: QPalette) -> QColor:
    """Learning cards, as in the deck list's counts."""
    return count_colours(palette)[1]


def review_colour(palette: QPalette) -> QColor:
    """Review cards, as in the deck list's counts."""
    return count_colours(palette)[2]


def line_colour(palette: QPalette) -> QColor:
    """A violet that stands apart from the count colours."""
    return QColor("#c3a6ff" if is_dark(palette) else "#6a3fb5")


def whole(value: float) -> str:
    """A count: 12."""
    return f"{value:.0f}"


def percent(value: float) -> str:
    """A share: 86%."""
    return f"{value:.0%}"


@dataclass(frozen=True, slots=True)
class Series:
    """One named row of values; None marks a gap (nothing to show)."""

    name: str
    values: tuple[float | None, ...]
    colour: Colour


class Chart(QWidget):
    """Axes, title, legend and tooltips; subclasses draw the data.

    Signals:
        None.
    """

    def __init__(
        self,
        title: str,
        *,
        x_label: str,
        y_label: str,
        value_format: Format = whole,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.x_label = x_label
        self.y_label = y_label
        self.value_format = value_format
        self.labels: list[str] = []
        self.series: list[Series] = []
        self._plot = QRectF()
        self.setAccessibleName(title)
        self.setMinimumSize(320, 210)
        self.setMouseTracking(True)

    def set_data(self, labels: Sequence[str], series: Sequence[Series]) -> None:
        """Show new values: one x label per slot, one or more series."""
        self.labels = list(labels)
        self.series = list(series)
        self.setAccessibleDescription(self.describe())
        self.update()

    def values(self, name: str) -> tuple[float | None, ...]:
        """The values of the series called ``name``."""
        return next(s.values for s in self.series if s.name == name)

    def describe(self) -> str:
        """The chart's data as a sentence, for screen readers and tooltips."""
        parts = [self._describe_slot(i) for i in range(len(self.labels))]
        shown = [p for p in parts if p]
        body = "; ".join(shown) if shown else "no data yet"
        return f"{self.title}, {self.y_label} by {self.x_label}: {body}."

    def _describe_slot(self, index: int) -> str:
        values = [(s.name, s.values[index]) for s in self.series]
        known = [(n, v) for n, v in values if v]
        if not known:
            return ""
        if len(self.series) == 1:
            return f"{self.labels[index]} {self.value_format(known[0][1])}"
        inner = ", ".join(f"{n} {self.value_format(v)}" for n, v in known)
        return f"{self.labels[index]}: {inner}"

    # Scale ---------------------------------------------------------------

    def y_range(self) -> tuple[float, float]:
        """The top of the value axis and the step between its ticks."""
        top = max(self.slot_totals(), default=0.0)
        return _nice_scale(top)

    def slot_totals(self) -> list[float]:
        """Per x slot, the height the slot reaches."""
        return [
            sum(s.values[i] or 0.0 for s in self.series)
            for i in range(len(self.labels))
        ]

    # Painting ------------------------------------------------------------

    @override
    def sizeHint(self) -> QSize:
        return QSize(460, 250)

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        frame = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(frame, 6, 6)
        metrics = QFontMetricsF(self.font())
        line = metrics.height()
        title_font = QFont(self.font())
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(text)
        painter.drawText(QPointF(_PAD + 2, _PAD + line * 0.8), self.title)
        painter.setFont(self.font())
        self._paint_legend(painter, metrics, text)
        top, step = self.y_range()
        label_width = max(
            metrics.horizontalAdvance(self.value_format(v)) for v in _ticks(top, step)
        )
        plot = QRectF(
            _PAD + line + label_width + 6,
            _PAD + line * 2.2,
            0,
            0,
        )
        plot.setRight(self.width() - _PAD - 6)
        plot.setBottom(self.height() - _PAD - line * 2.2)
        self._plot = plot
        if plot.width() < 40 or plot.height() < 30:
            return
        self._paint_axes(painter, plot, top, step, metrics, text)
        if not any(self.slot_totals()):
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No data yet")
            return
        self.paint_data(painter, plot, top, metrics)

    def _paint_legend(
        self, painter: QPainter, metrics: QFontMetricsF, text: QColor
    ) -> None:
        if len(self.series) < 2:
            return
        x = self.width() - _PAD - 4
        y = _PAD + metrics.height() * 0.8
        for series in reversed(self.series):
            width = metrics.horizontalAdvance(series.name)
            x -= width
            painter.setPen(text)
            painter.drawText(QPointF(x, y), series.name)
            box = metrics.height() * 0.6
            x -= box + 4
            painter.fillRect(
                QRectF(x, y - box, box, box), series.colour(self.palette())
            )
            x -= 12

    def _paint_axes(
        self,
        painter: QPainter,
        plot: QRectF,
        top: float,
        step: float,
        metrics: QFontMetricsF,
        text: QColor,
    ) -> None:
        grid = QColor(text)
        grid.setAlpha(40)
        line = metrics.height()
        for value in _ticks(top, step):
            y = plot.bottom() - plot.height() * value / top
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            label = self.value_format(value)
            painter.setPen(text)
            painter.drawText(
                QRectF(plot.left() - 200 - 4, y - line / 2, 200, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
        axis = QColor(text)
        axis.setAlpha(140)
        painter.setPen(QPen(axis, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        # x labels: as many as fit without overlapping, always the last one.
        count = len(self.labels)
        if count:
            slot = plot.width() / count
            widest = max(metrics.horizontalAdvance(label) for label in self.labels)
            every = max(1, math.ceil((widest + 8) / slot))
            painter.setPen(text)
            for index, label in enumerate(self.labels):
                if (count - 1 - index) % every:
                    continue
                centre = plot.left() + slot * (index + 0.5)
                painter.drawText(
                    QRectF(centre - 100, plot.bottom() + 2, 200, line),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    label,
                )
        painter.drawText(
            QRectF(plot.left(), plot.bottom() + line + 2, plot.width(), line),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            self.x_label,
        )
        painter.save()
        painter.translate(_PAD + 2, plot.center().y())
        painter.rotate(-90)
        painter.drawText(
            QRectF(-plot.height() / 2, 0, plot.height(), line),
            Qt.AlignmentFlag.AlignCenter,
            self.y_label,
        )
        painter.restore()

    def paint_data(
        self, painter: QPainter, plot: QRectF, top: float, metrics: QFontMetricsF
    ) -> None:
        """Draw the values inside ``plot``, whose height stands for ``top``."""
        raise NotImplementedError

    # Tooltips ------------------------------------------------------------

    @override
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self._slot_at(event.pos().x())
            tip = self._describe_slot(index) if index is not None else ""
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def _slot_at(self, x: float) -> int | None:
        if not self.labels or self._plot.width() <= 0:
            return None
        share = (x - self._plot.left()) / self._plot.width()
        index = math.floor(share * len(self.labels))
        return index if 0 <= index < len(self.labels) else None


class BarChart(Chart):
    """Stacked bars, one slot per label; totals are written above the bars."""

    def paint_data(
        self, painter: QPainter, plot: QRectF, top: float, metrics: QFontMetricsF
    ) -> None:
        """Draw each slot's series stacked bottom-up, then its total."""
        count = len(self.labels)
        slot = plot.width() / count
        width = max(1.0, slot * 0.72)
        totals = self.slot_totals()
        fits = (
            max(
                (metrics.horizontalAdvance(self.value_format(t)) for t in totals),
                default=0.0,
            )
            <= slot + 2
        )
        text = self.palette().color(QPalette.ColorRole.Text)
        painter.setPen(Qt.PenStyle.NoPen)
        for index in range(count):
            left = plot.left() + slot * index + (slot - width) / 2
            base = plot.bottom()
            for series in self.series:
                value = series.values[index] or 0.0
                height = plot.height() * value / top
                if height > 0:
                    painter.fillRect(
                        QRectF(left, base - height, width, height),
                        series.colour(self.palette()),
                    )
                    base -= height
            if totals[index] and fits:
                painter.setPen(text)
                painter.drawText(
                    QRectF(left - 30, base - metrics.height() - 1, width + 60, 100),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    self.value_format(totals[index]),
                )
                painter.setPen(Qt.PenStyle.NoPen)


class LineChart(Chart):
    """One series as points joined by a line; gaps (None) are skipped.

    The value axis runs from 0 to 1 (shares), with an optional dashed
    target line; pass ``value_format=percent``.
    """

    target: float | None = None

    @override
    def y_range(self) -> tuple[float, float]:
        return 1.0, 0.25

    def paint_data(
        self, painter: QPainter, plot: QRectF, top: float, metrics: QFontMetricsF
    ) -> None:
        """Draw the target line, then the series with a value at each point."""
        palette = self.palette()
        slot = plot.width() / len(self.labels)
        if self.target is not None:
            y = plot.bottom() - plot.height() * self.target / top
            pen = QPen(palette.color(QPalette.ColorRole.Text), 1, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.drawText(
                QRectF(plot.left() + 4, y - metrics.height() - 1, 200, 100),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                f"target {self.value_format(self.target)}",
            )
        for series in self.series:
            colour = series.colour(palette)
            points = [
                (index, QPointF(plot.left() + slot * (index + 0.5), 0))
                for index, value in enumerate(series.values)
                if value is not None
            ]
            path = QPainterPath()
            for order, (index, point) in enumerate(points):
                value = series.values[index] or 0.0
                point.setY(plot.bottom() - plot.height() * value / top)
                if order == 0:
                    path.moveTo(point)
                else:
                    path.lineTo(point)
            painter.setPen(QPen(colour, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            painter.setBrush(colour)
            labels = len(points) * 40 <= plot.width()
            for index, point in points:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawEllipse(point, 3.5, 3.5)
                if labels:
                    painter.setPen(palette.color(QPalette.ColorRole.Text))
                    painter.drawText(
                        QRectF(
                            point.x() - 40, point.y() - metrics.height() - 4, 80, 100
                        ),
                        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                        self.value_format(series.values[index] or 0.0),
                    )


def _nice_scale(top: float) -> tuple[float, float]:
    """A round axis top at or above ``top`` (a count) and a whole step."""
    if top <= 4:
        return 4.0, 1.0  # counts: whole steps, at least up to 4
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(top / step), step


def _ticks(top: float, step: float) -> list[float]:
    count = round(top / step)
    return [step * i for i in range(count + 1)]
