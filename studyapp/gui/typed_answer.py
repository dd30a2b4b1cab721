"""The answer box of typed cards: the learner types, the reveal says if it matched."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from studyapp.core.exam.generate import answer_text
from studyapp.core.exam.questions import is_typed_match
from studyapp.core.model import Card, CardType
from studyapp.gui.plain import MarkupLabel
from studyapp.gui.theme import count_colours


class TypedAnswerBox(QWidget):
    """A line to type the answer of a typed card; hidden for other cards.

    Signals:
        None of its own; Enter reaches the review's Show answer action.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit()
        self.line.setPlaceholderText("Type your answer, then press Enter")
        self.line.setAccessibleName("Your answer")
        self.verdict = MarkupLabel()
        self.verdict.setAccessibleName("Whether your answer matched")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.verdict)
        self.hide()

    def reset(self, card: Card) -> None:
        """Empty the box and show it only for typed cards."""
        self.line.clear()
        self.line.setReadOnly(False)
        self.verdict.clear()
        typed = card.type is CardType.TYPED
        self.setVisible(typed)
        if typed:
            self.line.setFocus()

    def check(self, card: Card) -> bool | None:
        """Compare the typed text with the answer and say so; None if not typed."""
        if card.type is not CardType.TYPED:
            return None
        self.line.setReadOnly(True)
        typed = self.line.text().strip()
        matched = bool(typed) and is_typed_match(typed, answer_text(card))
        _new, wrong, right = (c.name() for c in count_colours(self.palette()))
        if matched:
            text = f"<span style='color:{right}'>✓ matches the answer</span>"
        elif typed:
            text = f"<span style='color:{wrong}'>✗ not the answer</span>"
        else:
            text = "nothing typed"
        self.verdict.setText(text)
        self.verdict.setAccessibleDescription(html.escape(typed))
        return matched
