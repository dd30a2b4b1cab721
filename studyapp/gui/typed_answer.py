"""The answer box of typed cards: the learner types, the reveal grades it."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.exam.grading import TypedGrade, grade_typed
from studyapp.core.model import Card, CardType
from studyapp.core.study.session import TypedAnswer
from studyapp.gui.plain import MarkupLabel
from studyapp.gui.theme import count_colours

VERDICT_WORDS = 12  # missing or extra words named in the verdict, at most


def verdict_html(grade: TypedGrade, *, overridden: bool, right: str, wrong: str) -> str:
    """The verdict under the typed answer, with the words that differ."""
    if grade.correct:
        return f"<span style='color:{right}'>✓ matches the answer</span>"
    if not grade.typed.strip():
        return "nothing typed"
    if overridden:
        return f"<span style='color:{right}'>✓ counted as right (your call)</span>"
    parts = [f"<span style='color:{wrong}'>✗ not the answer</span>"]
    if grade.missing:
        parts.append("missing: " + _some_words(grade.missing, "b"))
    if grade.extra:
        parts.append("not in it: " + _some_words(grade.extra, "s"))
    return " · ".join(parts)


def _some_words(words: Sequence[str], tag: str) -> str:
    """The first VERDICT_WORDS words in ``<tag>``; the rest only counted.

    A long answer's verdict stays a line or two: the answer itself is on
    screen under it, and what was typed is in the line above.
    """
    shown = f"<{tag}>{html.escape(' '.join(words[:VERDICT_WORDS]))}</{tag}>"
    rest = len(words) - VERDICT_WORDS
    return f"{shown} … and {rest} more" if rest > 0 else shown


class TypedAnswerBox(QWidget):
    """A line to type the answer of a typed card; hidden for other cards.

    After the reveal it says whether the answer matched on its key content,
    which words were missing or extra, and offers "I was right" to overrule
    the grader (recorded as an override with the answer).

    Signals:
        overridden(): the learner pressed "I was right".
    """

    overridden = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit()
        self.line.setPlaceholderText("Type your answer, then press Enter")
        self.line.setAccessibleName("Your answer")
        self.verdict = MarkupLabel()
        self.verdict.setAccessibleName("Whether your answer matched")
        self.verdict.setWordWrap(True)
        self.right_button = QPushButton("I was right (R)")
        self.right_button.setAccessibleName("I was right: count my answer as right")
        self.right_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.right_button.clicked.connect(self._on_right_button_clicked)
        self._grade: TypedGrade | None = None
        self._overridden = False
        self.verdict.setMinimumWidth(1)
        # The verdict takes the whole width under the line: a long answer's
        # missing words wrap over a few lines, not down a narrow column.
        row = QHBoxLayout()
        row.addWidget(self.line, 1)
        row.addWidget(self.right_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.verdict)
        self.right_button.hide()
        self.hide()

    def reset(self, card: Card) -> None:
        """Empty the box and show it only for typed cards."""
        self.line.clear()
        self.line.setReadOnly(False)
        self.verdict.clear()
        self.right_button.hide()
        self._grade, self._overridden = None, False
        typed = card.type is CardType.TYPED
        self.setVisible(typed)
        if typed:
            self.line.setFocus()

    def check(self, card: Card) -> bool | None:
        """Grade the typed text against the answer and say so; None if not typed."""
        if card.type is not CardType.TYPED:
            return None
        self.line.setReadOnly(True)
        from studyapp.core.exam.generate import answer_text  # on first use: issue 21

        self._grade = grade_typed(self.line.text().strip(), answer_text(card))
        self.right_button.setVisible(
            not self._grade.correct and bool(self._grade.typed)
        )
        self._show_verdict()
        return self._grade.correct

    def override(self) -> None:
        """Count a wrongly graded answer as right ("I was right")."""
        if self._grade is None or self._grade.correct or not self._grade.typed:
            return
        self._overridden = True
        self.right_button.hide()
        self._show_verdict()
        self.overridden.emit()

    def answer(self) -> TypedAnswer | None:
        """What to record with the rating: the text, the grade, any override."""
        if self._grade is None:
            return None
        return TypedAnswer(self._grade.typed, self._grade.correct, self._overridden)

    def _show_verdict(self) -> None:
        if self._grade is None:
            return
        _new, wrong, right = (c.name() for c in count_colours(self.palette()))
        self.verdict.setText(
            verdict_html(
                self._grade, overridden=self._overridden, right=right, wrong=wrong
            )
        )
        self.verdict.setAccessibleDescription(html.escape(self._grade.typed))

    def _on_right_button_clicked(self) -> None:
        self.override()
