"""The exam set-up form: decks, sections, kinds, question types, size, clock."""

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
    QSizePolicy,
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
from studyapp.core.model import CardKind, SourceAnchor
from studyapp.gui.deck_list import kind_title
from studyapp.gui.plain import PlainLabel, plain_tip

_TYPE_NAMES = {
    QuestionType.MULTIPLE_CHOICE: "Multiple choice",
    QuestionType.TRUE_FALSE: "True / false",
    QuestionType.TYPED: "Typed",
    QuestionType.MATCHING: "Matching",
    QuestionType.ORDERING: "Ordering",
    QuestionType.CLOZE: "Cloze",
}
RANDOM_SEED = -1  # ExamSpec.seed meaning "pick one"


class ExamSetupForm(QWidget):
    """The exam's set-up: decks, sections, kinds, types, size, clock.

    Signals:
        start_requested(object, bool): Start was pressed (or Enter); carries
            the ExamSpec (seed -1: pick one) and whether to record reviews.
    """

    start_requested = Signal(object, bool)

    def __init__(
        self,
        library: Library,
        parent: QWidget | None = None,
        *,
        last_seed: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._last_seed = last_seed
        decks = library.deck_counts()
        self.decks = checklist("Decks", [(d.title, d.id) for d in decks])
        cards = library.exam_cards([d.id for d in decks])
        self.sections = section_list(
            {section_label(c.source): c.source for c in cards},
            library.source_titles(),
        )
        for widget in (self.decks, self.sections):
            widget.setWordWrap(True)
            widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.kinds = {kind: QCheckBox(kind_title(kind.value)) for kind in CardKind}
        self.types = {kind: QCheckBox(_TYPE_NAMES[kind]) for kind in QuestionType}
        for kind, box in self.types.items():
            box.setChecked(kind in DEFAULT_TYPES)
        for box in self.kinds.values():
            box.setChecked(True)
        self.count = _spin(1, 200, 10, " questions")
        self.minutes = _spin(0, 600, 0, " min", "No time limit")
        self.same_questions = QCheckBox("Same questions as last time")
        self.same_questions.setEnabled(last_seed is not None)
        self.same_questions.setToolTip(
            "Ask the questions of the last exam again, in the same order"
            if last_seed is not None
            else "No exam taken yet in this window"
        )
        self.feed = QCheckBox("Record the answers as reviews (changes the schedule)")
        self.message = PlainLabel()
        self.message.setObjectName("explanation")
        self.message.setWordWrap(True)
        self.start_button = QPushButton("Start exam (Enter)")
        self.start_button.setObjectName("startExam")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self._on_start_button_clicked)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for title, boxes in (("Card kinds", self.kinds), ("Questions", self.types)):
            form.addRow(title, _flow(list(boxes.values()), per_row=len(boxes)))
        size = QHBoxLayout()
        size.addWidget(self.count)
        size.addSpacing(16)
        size.addWidget(PlainLabel("Time limit"))
        size.addWidget(self.minutes)
        size.addStretch(1)
        form.addRow("Length", size)
        form.addRow("", self.same_questions)
        form.addRow("", self.feed)
        lists = QHBoxLayout()
        for title, widget in (("Decks", self.decks), ("Sections", self.sections)):
            column = QVBoxLayout()
            column.addWidget(heading(title))
            column.addWidget(widget, 1)
            lists.addLayout(column, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.addLayout(lists, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)

    def spec(self) -> ExamSpec:
        """The exam the form describes; all sections checked means all."""
        sections = checked_values(self.sections)
        minutes = self.minutes.value()
        same = self.same_questions.isChecked() and self._last_seed is not None
        return ExamSpec(
            deck_ids=tuple(checked_values(self.decks)),
            count=self.count.value(),
            types=tuple(k for k, box in self.types.items() if box.isChecked()),
            kinds=tuple(k for k, box in self.kinds.items() if box.isChecked()),
            sections=()
            if len(sections) == _checkable(self.sections)
            else tuple(sections),
            seed=self._last_seed
            if same and self._last_seed is not None
            else RANDOM_SEED,
            time_limit=timedelta(minutes=minutes) if minutes else None,
        )

    def remember_seed(self, seed: int) -> None:
        """The seed of the exam just started, for "Same questions as last time"."""
        self._last_seed = seed
        self.same_questions.setEnabled(True)
        self.same_questions.setToolTip(
            "Ask the questions of the last exam again, in the same order"
        )

    def show_message(self, text: str) -> None:
        """Explain why the exam could not start."""
        self.message.setText(text)

    def start(self) -> None:
        """Start the exam as set up (what Enter and the Start button do)."""
        self._on_start_button_clicked()

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.start()
            return
        super().keyPressEvent(event)

    def _on_start_button_clicked(self) -> None:
        spec = self.spec()
        if not spec.deck_ids or not spec.types:
            self.show_message("Choose at least one deck and one question type.")
            return
        self.show_message("")
        self.start_requested.emit(spec, self.feed.isChecked())


def heading(text: str) -> PlainLabel:
    """A small bold heading above a list or a group of controls."""
    label = PlainLabel(text)
    label.setObjectName("subheading")
    return label


def checklist(name: str, entries: list[tuple[str, str]]) -> QListWidget:
    """A list of checkable entries (text, value), all checked."""
    widget = QListWidget()
    widget.setAccessibleName(name)
    widget.setTextElideMode(Qt.TextElideMode.ElideRight)
    for text, value in entries:
        item = QListWidgetItem(text, widget)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setToolTip(plain_tip(text))
        item.setCheckState(Qt.CheckState.Checked)
    return widget


def section_list(
    anchors: dict[str, SourceAnchor | None], titles: dict[str, str]
) -> QListWidget:
    """The sections to check, under a heading per source document.

    ``anchors`` maps each section label (``ref: section``) to an anchor of it.
    """
    widget = QListWidget()
    widget.setAccessibleName("Sections")
    widget.setTextElideMode(Qt.TextElideMode.ElideRight)
    by_source: dict[str, list[str]] = {}
    for label, anchor in sorted(anchors.items()):
        by_source.setdefault(anchor.ref if anchor else "", []).append(label)
    for ref, labels in by_source.items():
        title = titles.get(ref, ref) if ref else "Cards without a source"
        heading_item = QListWidgetItem(title, widget)
        heading_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = heading_item.font()
        font.setBold(True)
        heading_item.setFont(font)
        heading_item.setToolTip(plain_tip(title))
        for label in labels:
            anchor = anchors[label]
            name = anchor.section if anchor else label
            item = QListWidgetItem(name, widget)
            item.setData(Qt.ItemDataRole.UserRole, label)
            item.setToolTip(plain_tip(f"{name} — {title}"))
            item.setCheckState(Qt.CheckState.Checked)
    return widget


def _checkable(widget: QListWidget) -> int:
    items = (widget.item(i) for i in range(widget.count()))
    return sum(1 for item in items if item.flags() & Qt.ItemFlag.ItemIsUserCheckable)


def checked_values(widget: QListWidget) -> list[str]:
    """The values of a checklist's checked entries."""
    items = (widget.item(i) for i in range(widget.count()))
    return [
        str(item.data(Qt.ItemDataRole.UserRole))
        for item in items
        if item.checkState() == Qt.CheckState.Checked
    ]


def _flow(boxes: list[QCheckBox], per_row: int) -> QWidget:
    """Check boxes in rows of ``per_row``, so the form stays narrow."""
    holder = QWidget()
    holder.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    for start in range(0, len(boxes), per_row):
        row = QHBoxLayout()
        for box in boxes[start : start + per_row]:
            row.addWidget(box)
        row.addStretch(1)
        column.addLayout(row)
    return holder


def _spin(low: int, high: int, value: int, suffix: str, special: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setSuffix(suffix)
    box.setSpecialValueText(special)
    box.setMaximumWidth(box.sizeHint().width() + 24)
    return box
