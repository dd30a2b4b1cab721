"""The exam set-up form: decks, kinds, sections, question types, size, clock."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from studyapp.core.exam.questions import QuestionType
from studyapp.core.exam.session import (
    DEFAULT_TYPES,
    ExamSpec,
    section_label,
)
from studyapp.core.library import Library
from studyapp.core.model import CardKind
from studyapp.gui.plain import PlainLabel


class ExamSetupForm(QWidget):
    """The exam's set-up: decks, kinds, sections, types, size, clock, seed.

    Signals:
        start_requested(object, bool): Start was pressed (or Enter); carries
            the ExamSpec (seed -1: pick one) and whether to record reviews.
    """

    start_requested = Signal(object, bool)

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        decks = library.deck_counts()
        self.decks = checklist("Decks", [(f"{d.title} ({d.id})", d.id) for d in decks])
        cards = library.exam_cards([d.id for d in decks])
        labels = sorted({section_label(c.source) for c in cards})
        self.sections = checklist("Sections", [(label, label) for label in labels])
        self.kinds = {
            kind: QCheckBox(kind.value.replace("_", " ")) for kind in CardKind
        }
        self.types = {
            kind: QCheckBox(kind.name.replace("_", " ").lower())
            for kind in QuestionType
        }
        for kind, box in self.types.items():
            box.setChecked(kind in DEFAULT_TYPES)
        for box in self.kinds.values():
            box.setChecked(True)
        self.count = _spin(1, 200, 10, "")
        self.minutes = _spin(0, 600, 0, " min", "no limit")
        self.seed = _spin(-1, 999_999, -1, "", "random")
        self.feed = QCheckBox("Record the answers as reviews (changes the schedule)")
        self.message = PlainLabel()
        self.message.setObjectName("explanation")
        start = QPushButton("Start exam (Enter)")
        start.setObjectName("startExam")
        start.clicked.connect(self._on_start_button_clicked)
        form = QFormLayout()
        for title, boxes in (("Kinds", self.kinds), ("Question types", self.types)):
            row = QHBoxLayout()
            for box in boxes.values():
                row.addWidget(box)
            form.addRow(title, row)
        form.addRow("Questions", self.count)
        form.addRow("Time limit", self.minutes)
        form.addRow("Seed", self.seed)
        form.addRow("", self.feed)
        lists = QHBoxLayout()
        lists.addWidget(self.decks)
        lists.addWidget(self.sections)
        layout = QVBoxLayout(self)
        layout.addLayout(lists, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(start)

    def spec(self) -> ExamSpec:
        """The exam the form describes; all sections checked means all."""
        sections = checked_values(self.sections)
        minutes = self.minutes.value()
        return ExamSpec(
            deck_ids=tuple(checked_values(self.decks)),
            count=self.count.value(),
            types=tuple(k for k, box in self.types.items() if box.isChecked()),
            kinds=tuple(k for k, box in self.kinds.items() if box.isChecked()),
            sections=() if len(sections) == self.sections.count() else tuple(sections),
            seed=self.seed.value(),
            time_limit=timedelta(minutes=minutes) if minutes else None,
        )

    def show_message(self, text: str) -> None:
        """Explain why the exam could not start."""
        self.message.setText(text)

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_start_button_clicked()
            return
        super().keyPressEvent(event)

    def _on_start_button_clicked(self) -> None:
        spec = self.spec()
        if not spec.deck_ids or not spec.types:
            self.show_message("Choose at least one deck and one question type.")
            return
        self.show_message("")
        self.start_requested.emit(spec, self.feed.isChecked())


def checklist(name: str, entries: list[tuple[str, str]]) -> QListWidget:
    """A list of checkable entries (text, value), all checked."""
    widget = QListWidget()
    widget.setAccessibleName(name)
    for text, value in entries:
        item = QListWidgetItem(text, widget)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setCheckState(Qt.CheckState.Checked)
    return widget


def checked_values(widget: QListWidget) -> list[str]:
    """The values of a checklist's checked entries."""
    items = (widget.item(i) for i in range(widget.count()))
    return [
        str(item.data(Qt.ItemDataRole.UserRole))
        for item in items
        if item.checkState() == Qt.CheckState.Checked
    ]


def _spin(low: int, high: int, value: int, suffix: str, special: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setSuffix(suffix)
    box.setSpecialValueText(special)
    return box
