"""The review screen: one card at a time, revealed and rated from the keyboard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.model import Card, CardType, Rating
from studyapp.core.study.overview import Overview
from studyapp.core.study.session import Session
from studyapp.gui.card_text import CardTextView, back_html, front_html
from studyapp.gui.deck_list import kind_title
from studyapp.gui.elided import ElidedLabel
from studyapp.gui.plain import MarkupLabel, PlainLabel
from studyapp.gui.review_parts import RATING_KEYS, key_hint, rating_row
from studyapp.gui.session_summary import summary_html
from studyapp.gui.theme import count_colours
from studyapp.gui.typed_answer import TypedAnswerBox
from studyapp.words import format_interval

RETURN_CHECK_MS = 15_000  # how often the summary looks for learning cards due


class ReviewView(QWidget):
    """Renders a ReviewQueue: front, reveal, four ratings, undo, summary.

    Signals:
        card_shown(object): the card now on screen (a Card), or None when the
            session has run out of cards.
        answer_shown(object): the shown card's answer was revealed (a Card).
        card_answered(int): the shown card was rated; carries the Rating.
        answer_undone(): the last answer was taken back.
        source_toggled(): the learner pressed S or the Source button.
        closed(): the learner asked to go back to the deck list.
    """

    card_shown = Signal(object)
    answer_shown = Signal(object)
    card_answered = Signal(int)
    answer_undone = Signal()
    source_toggled = Signal()
    closed = Signal()

    def __init__(
        self,
        queue: Session,
        clock: Callable[[], datetime],
        deck_titles: dict[str, str] | None = None,
        parent: QWidget | None = None,
        *,
        upcoming: Callable[[datetime], Overview] | None = None,
        back_text: str = "Decks (Esc)",
        media_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._media_dir = media_dir  # images of imported Anki notes
        self._queue = queue
        self._clock = clock
        self._deck_titles = deck_titles or {}
        self._upcoming = upcoming
        self._back_text = back_text
        self._card: Card | None = None
        self._answers: list[Rating] = []
        self._timer = QElapsedTimer()
        self._spent_ms = 0
        self.setAccessibleName("Review")
        # Focus rests on the view itself in the summary, so Space there does
        # nothing rather than pressing a button (issue 17, bug 3).
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.return_timer = QTimer(self)
        self.return_timer.setInterval(RETURN_CHECK_MS)
        self.return_timer.timeout.connect(self._on_return_timer_timeout)
        self._build_widgets()
        self._build_actions()

    # Building -------------------------------------------------------------

    def _build_widgets(self) -> None:
        self._progress = MarkupLabel()
        self._progress.setObjectName("progressLine")
        self._progress.setAccessibleName("Cards left today")
        self._progress.setWordWrap(True)
        self._progress.setMinimumWidth(1)
        self._source_button = QPushButton("Source (S)")
        self._source_button.setCheckable(True)
        self._source_button.setAccessibleName("Show the source passage")
        self._source_button.clicked.connect(self._on_source_button_clicked)
        self._back_button = QPushButton(self._back_text)
        self._back_button.setAccessibleName("Leave the session")
        self._back_button.clicked.connect(self._on_back_button_clicked)
        # A click must not leave focus on these: Space would press them again
        # instead of showing the answer (bug 4). Tab still reaches them.
        for button in (self._source_button, self._back_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        top = QHBoxLayout()
        top.addWidget(self._progress, 1)
        top.addWidget(self._source_button)
        top.addWidget(self._back_button)

        self._caption = ElidedLabel()
        self._caption.setObjectName("cardCaption")
        self._caption.setAccessibleName("Deck and kind of the card")
        self._front = CardTextView("Question", media_dir=self._media_dir)
        self._rule = QFrame()
        self._rule.setFrameShape(QFrame.Shape.HLine)
        self._back = CardTextView("Answer", media_dir=self._media_dir)
        card_page = QWidget()
        card_layout = QVBoxLayout(card_page)
        card_layout.setContentsMargins(0, 0, 0, 0)
        card_layout.addWidget(self._caption)
        card_layout.addWidget(self._front, 2)
        self.typed = TypedAnswerBox()
        self.typed.overridden.connect(self._on_typed_overridden)
        card_layout.addWidget(self.typed)
        card_layout.addWidget(self._rule)
        card_layout.addWidget(self._back, 3)
        self._summary = PlainLabel()
        self._summary.setObjectName("summary")
        self._summary.setWordWrap(True)
        self._summary.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._summary.setAccessibleName("Session summary")
        self._summary.setMinimumWidth(1)
        self._pages = QStackedWidget()
        self._pages.addWidget(card_page)
        self._pages.addWidget(self._summary)

        self._show_button = QPushButton("Show answer (Space)")
        self._show_button.setObjectName("showAnswer")
        self._show_button.setAccessibleName("Show answer")
        self._show_button.clicked.connect(self._on_show_button_clicked)
        ratings, self._rating_buttons = rating_row(self._on_rating_button_clicked)
        self._buttons = QStackedWidget()
        self._buttons.addWidget(self._show_button)
        self._buttons.addWidget(ratings)
        self._buttons.addWidget(QWidget())
        self._buttons.setFixedHeight(self._show_button.sizeHint().height() + 8)
        hint = key_hint(self._back_text.split(" (")[0].lower())

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._pages, 1)
        layout.addWidget(self._buttons)
        layout.addWidget(hint)

    def _build_actions(self) -> None:
        def action(
            text: str, keys: list[QKeySequence], slot: Callable[[], None]
        ) -> QAction:
            item = QAction(text, self)
            item.setShortcuts(keys)
            item.triggered.connect(slot)
            self.addAction(item)
            return item

        key = QKeySequence
        self.reveal_action = action(
            "Show answer",
            [key(Qt.Key.Key_Space), key(Qt.Key.Key_Return), key(Qt.Key.Key_Enter)],
            self._on_reveal_action_triggered,
        )
        self.rating_actions = [
            action(
                f"Rate {rating.name.title()}",
                [key(RATING_KEYS[rating])],
                partial(self._on_rating_button_clicked, rating),
            )
            for rating in Rating
        ]
        self.undo_action = action(
            "Undo last answer",
            [key(key.StandardKey.Undo)],
            self._on_undo_action_triggered,
        )
        self.source_action = action(
            "Show or hide the source",
            [key(Qt.Key.Key_S)],
            self._on_source_button_clicked,
        )
        self.override_action = action(
            "I was right (typed answer)",
            [key(Qt.Key.Key_R)],
            self._on_override_action_triggered,
        )
        self.override_action.setEnabled(False)
        self.close_action = action(
            "Back to decks", [key(Qt.Key.Key_Escape)], self._on_back_button_clicked
        )

    def review_actions(self) -> list[QAction]:
        """The session's keyboard actions, for the Study menu."""
        return [
            self.reveal_action,
            *self.rating_actions,
            self.undo_action,
            self.source_action,
            self.override_action,
            self.close_action,
        ]

    # Public ---------------------------------------------------------------

    @property
    def current_card(self) -> Card | None:
        """The card on screen, if any."""
        return self._card

    @property
    def revealed(self) -> bool:
        """Whether the shown card's answer is on screen."""
        return self._card is not None and self._queue.revealed

    @property
    def answers(self) -> list[Rating]:
        """The ratings given in this session (undone ones removed)."""
        return list(self._answers)

    @property
    def rating_buttons(self) -> dict[Rating, QPushButton]:
        """The four rating buttons, labelled with their intervals once revealed."""
        return dict(self._rating_buttons)

    @property
    def shown_text(self) -> str:
        """The card text on screen as plain text: front, then any answer."""
        parts = [self._front.toPlainText()]
        if not self._back.isHidden():
            parts.append(self._back.toPlainText())
        return "\n".join(parts)

    def start(self) -> None:
        """Show the first card (connect the signals first)."""
        self._show_next()

    def set_source_checked(self, checked: bool) -> None:
        """Mirror the source pane's visibility on the Source button."""
        self._source_button.setChecked(checked)

    @property
    def last_answer_key(self) -> object:
        """The undo-history key of the session's last undoable answer."""
        return self._queue.last_answer_key

    def undo_answer(self) -> None:
        """Take back the last answer and show its card again."""
        self._undo()

    def skip_current(self) -> None:
        """Move past the card on screen (it was suspended or buried)."""
        if self._card is not None:
            self._queue.drop_current()
            self._show_next()

    def reload_current(self) -> None:
        """Show the card on screen again as it is stored now (after an edit)."""
        if self._card is not None and (card := self._queue.reload_current()):
            self._card = card
            self._show_card(card)

    def refresh(self) -> None:
        """Redraw the progress line and intervals (after settings changed)."""
        self._update_progress()
        if self._card is not None and self._queue.revealed:
            self._update_intervals()

    # Flow -----------------------------------------------------------------

    def _show_next(self) -> None:
        self._card = self._queue.next_card(self._clock())
        if self._card is None:
            self._show_summary()
        else:
            self._show_card(self._card)

    def _show_card(self, card: Card) -> None:
        self.return_timer.stop()
        self._pages.setCurrentIndex(0)
        deck = self._deck_titles.get(card.deck_id, card.deck_id)
        self._caption.setText(f"{kind_title(card.kind.value)} · {deck}")
        self._front.show_html(front_html(card))
        self.override_action.setEnabled(False)
        self.typed.reset(card)
        self._back.clear()
        self._rule.hide()
        self._back.hide()
        self._buttons.setCurrentIndex(0)
        self.reveal_action.setEnabled(True)
        self._set_rating_enabled(False)
        self.undo_action.setEnabled(self._queue.can_undo)
        self._update_progress()
        self._timer.start()
        self.card_shown.emit(card)

    def _reveal(self) -> None:
        if self._card is None or self._queue.revealed:
            return
        self._queue.reveal()
        graded = self.typed.check(self._card)
        self.override_action.setEnabled(graded is False)
        if self._card.type is CardType.CLOZE:
            self._front.show_html(back_html(self._card), marks=True)
        else:
            self._back.show_html(back_html(self._card))
            self._rule.show()
            self._back.show()
        self._update_intervals()
        self._buttons.setCurrentIndex(1)
        self._set_rating_enabled(True)
        self._rating_buttons[Rating.GOOD].setFocus()
        self.answer_shown.emit(self._card)

    def _answer(self, rating: Rating) -> None:
        if self._card is None or not self._queue.revealed:
            return
        elapsed = int(self._timer.elapsed()) if self._timer.isValid() else 0
        self._queue.answer(
            rating, now=self._clock(), duration_ms=elapsed, typed=self.typed.answer()
        )
        self._answers.append(rating)
        self._spent_ms += elapsed
        self.card_answered.emit(int(rating))
        self._show_next()

    def _undo(self) -> None:
        if not self._queue.can_undo:
            return
        self._card = self._queue.undo()
        if self._answers:
            self._answers.pop()
        self._show_card(self._card)
        self.answer_undone.emit()

    def _show_summary(self) -> None:
        now = self._clock()
        upcoming = self._upcoming(now) if self._upcoming is not None else None
        self._summary.setText(
            summary_html(
                self._answers,
                self._spent_ms,
                self._queue.remaining.learning,
                upcoming,
                now,
            )
        )
        self._pages.setCurrentIndex(1)
        self._buttons.setCurrentIndex(2)
        self.reveal_action.setEnabled(False)
        self._set_rating_enabled(False)
        self.override_action.setEnabled(False)
        self.undo_action.setEnabled(self._queue.can_undo)
        self._update_progress()
        self.setFocus()
        if self._queue.remaining.learning:
            self.return_timer.start()
        self.card_shown.emit(None)

    def check_for_due_cards(self) -> bool:
        """On the summary: show a learning card that fell due; True if one did."""
        if self._card is not None:
            return False
        card = self._queue.next_card(self._clock())
        if card is None:
            return False
        self._card = card
        self._show_card(card)
        return True

    def _update_progress(self) -> None:
        left = self._queue.remaining
        new, learning, due = (c.name() for c in count_colours(self.palette()))
        self._progress.setText(
            f"<span style='color:{learning}'>{left.learning} learning</span>"
            f" · <span style='color:{due}'>{left.review} review</span>"
            f" · <span style='color:{new}'>{left.new} new</span>"
            f" left · {len(self._answers)} answered"
        )
        self._progress.setAccessibleDescription(
            f"{left.learning} learning, {left.review} review, {left.new} new left"
        )

    def _update_intervals(self) -> None:
        intervals = self._queue.intervals(self._clock())
        for rating, button in self._rating_buttons.items():
            interval = format_interval(intervals[rating].total_seconds())
            button.setText(f"{rating.name.title()} · {interval}")
            button.setAccessibleName(f"{rating.name.title()}, next in {interval}")

    def _set_rating_enabled(self, enabled: bool) -> None:
        for item in self.rating_actions:
            item.setEnabled(enabled)

    # Slots ----------------------------------------------------------------

    def _on_reveal_action_triggered(self) -> None:
        # Space on a focused button presses that button, as usual in Qt; the
        # shortcut would otherwise take the key away from it.
        focused = QApplication.focusWidget()
        if isinstance(focused, QAbstractButton) and self.isAncestorOf(focused):
            focused.click()
        elif self._queue.revealed:
            self._answer(Rating.GOOD)
        else:
            self._reveal()

    def _on_show_button_clicked(self) -> None:
        self._reveal()

    def _on_rating_button_clicked(self, rating: Rating, _checked: bool = False) -> None:
        self._answer(rating)

    def _on_undo_action_triggered(self) -> None:
        self._undo()

    def _on_typed_overridden(self) -> None:
        self.override_action.setEnabled(False)
        self._rating_buttons[Rating.GOOD].setFocus()

    def _on_override_action_triggered(self) -> None:
        self.typed.override()

    def _on_return_timer_timeout(self) -> None:
        if self.check_for_due_cards() or not self._queue.remaining.learning:
            self.return_timer.stop()

    def _on_source_button_clicked(self) -> None:
        self.source_toggled.emit()

    def _on_back_button_clicked(self) -> None:
        self.closed.emit()
