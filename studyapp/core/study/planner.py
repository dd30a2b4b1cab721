"""Exam-date planning: predicted recall on the exam day and what to study first.

Recall is FSRS retrievability of each card at the exam time; a card never
studied counts as 0. The forecast is recomputed from the stored states, so
it falls as the exam date moves away from the last reviews and rises as
the learner studies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from studyapp.core.clock import to_ms, truncate_ms
from studyapp.core.errors import StudyAppError
from studyapp.core.model import NO_SOURCE, Card, CardState, Rating, State
from studyapp.core.store import stats_queries as queries
from studyapp.core.store.database import Store
from studyapp.core.study.answer import record_answer
from studyapp.core.study.scheduling import Scheduler
from studyapp.core.study.session import Remaining, TypedAnswer


@dataclass(frozen=True, slots=True)
class CardForecast:
    """One card's predicted recall on the exam day."""

    card_id: int
    deck_id: str
    section: str
    recall: float
    is_new: bool


@dataclass(frozen=True, slots=True)
class SectionForecast:
    """Predicted recall of a source section: the mean over its cards."""

    section: str
    cards: int
    new: int
    recall: float


@dataclass(frozen=True, slots=True)
class Forecast:
    """Predicted recall at ``exam_at`` for every card of some decks."""

    exam_at: datetime
    cards: tuple[CardForecast, ...]

    @property
    def recall(self) -> float:
        """Mean predicted recall over all cards (0 with no cards)."""
        return _mean(c.recall for c in self.cards)

    @property
    def sections(self) -> list[SectionForecast]:
        """Per source section, weakest first."""
        groups: dict[str, list[CardForecast]] = {}
        for card in self.cards:
            groups.setdefault(card.section, []).append(card)
        result = [
            SectionForecast(
                section=name,
                cards=len(members),
                new=sum(c.is_new for c in members),
                recall=_mean(c.recall for c in members),
            )
            for name, members in groups.items()
        ]
        return sorted(result, key=lambda s: (s.recall, s.section))

    def study_order(self) -> list[int]:
        """Card ids, weakest on the exam day first (new cards, then by recall)."""
        ranked = sorted(self.cards, key=lambda c: (c.recall, c.section, c.card_id))
        return [c.card_id for c in ranked]


def forecast(
    store: Store,
    scheduler_for: Callable[[str], Scheduler],
    deck_ids: Iterable[str],
    *,
    exam_at: datetime,
) -> Forecast:
    """Predict each card's recall at ``exam_at`` from its stored FSRS state.

    Args:
        store: The open store.
        scheduler_for: The library's per-deck schedulers
            (``Library.scheduler_for``).
        deck_ids: The decks the exam covers.
        exam_at: When the exam is; timezone-aware UTC.

    Returns:
        The forecast per card; sections and study order derive from it.
        The cards of all the decks come from one query.
    """
    chosen = list(deck_ids)
    curves = {deck_id: scheduler_for(deck_id).curve for deck_id in chosen}
    names = {deck_id: deck_id for deck_id in chosen}  # one string per deck
    cards = [
        CardForecast(
            card_id=card_id,
            deck_id=names[deck_id],
            section=f"{source}: {section}" if source else NO_SOURCE,
            recall=recall,
            is_new=bool(is_new),
        )
        for deck_id, card_id, source, section, is_new, recall in (
            queries.deck_card_sections(store, curves, to_ms(exam_at), chosen)
        )
    ]
    return Forecast(exam_at, tuple(cards))


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0


class StudySession:
    """Review given cards in a given order (the planner's weakest first).

    Unlike the review queue it does not wait for cards to fall due: studying
    ahead for an exam is the point. It offers the review queue's interface
    (next card, reveal, intervals, answer with its duration, multi-step
    undo), so the review screen shows it as any other session. Each answer
    goes through ``record_answer`` and is committed at once.
    """

    def __init__(
        self,
        store: Store,
        scheduler_for: Callable[[str], Scheduler],
        card_ids: Iterable[int],
    ) -> None:
        self._store = store
        self._scheduler_for = scheduler_for
        self._card_ids = list(card_ids)
        self._new = {
            i for i in self._card_ids if store.card_state(i).state is State.NEW
        }
        self._at = 0
        self._review_ids: list[int] = []
        self.revealed = False

    @property
    def remaining(self) -> Remaining:
        """Cards left, counting the one shown, by kind."""
        left = self._card_ids[self._at :]
        new = sum(i in self._new for i in left)
        return Remaining(learning=0, review=len(left) - new, new=new)

    @property
    def can_undo(self) -> bool:
        """Whether an answer of this session can be taken back."""
        return bool(self._review_ids)

    @property
    def current(self) -> Card | None:
        """The card to study now, or None when the session is done."""
        if self._at >= len(self._card_ids):
            return None
        return self._store.card(self._card_ids[self._at])

    def next_card(self, now: datetime) -> Card | None:
        """The card to show now (the session does not depend on the time)."""
        return self.current

    def reveal(self) -> None:
        """Show the answer of the current card."""
        if self.current is None:
            raise StudyAppError("the study session is done")
        self.revealed = True

    def state(self) -> CardState:
        """The scheduling state of the current card."""
        return self._store.card_state(self._require_current().id)

    def intervals(self, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give the current card."""
        card = self._require_current()
        scheduler = self._scheduler_for(card.deck_id)
        return scheduler.preview(self._store.card_state(card.id), truncate_ms(now))

    def answer(
        self,
        rating: Rating,
        *,
        now: datetime,
        duration_ms: int = 0,
        typed: TypedAnswer | None = None,
    ) -> CardState:
        """Rate the current card; the answer is committed before returning.

        Raises:
            StudyAppError: If the session is done.
        """
        card = self._require_current()
        after, review_id = record_answer(
            self._store,
            self._scheduler_for(card.deck_id),
            card.id,
            rating,
            now=now,
            duration_ms=duration_ms,
            typed=typed,
        )
        self._review_ids.append(review_id)
        self._at += 1
        self.revealed = False
        return after

    @property
    def last_answer_key(self) -> object:
        """The undo-history key of this session's last answer, if any."""
        return ("review", self._review_ids[-1]) if self._review_ids else None

    def reload_current(self) -> Card | None:
        """Read the current card again (after it was edited)."""
        return self.current

    def drop_current(self) -> None:
        """Take the current card out of the session (suspended or buried)."""
        self._require_current()
        del self._card_ids[self._at]
        self.revealed = False

    def undo(self) -> Card:
        """Take back the last answer; its card is shown again.

        Raises:
            StudyAppError: If nothing was answered in this session.
        """
        if not self._review_ids:
            raise StudyAppError("nothing to undo")
        self._store.undo_review(self._review_ids.pop())
        self._at -= 1
        self.revealed = False
        return self._require_current()

    def _require_current(self) -> Card:
        card = self.current
        if card is None:
            raise StudyAppError("the study session is done")
        return card
