"""Spaced-repetition scheduling: the only module that imports fsrs."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import fsrs

from studyapp.core.model import (
    CardState,
    Rating,
    ReviewRecord,
    SchedulerSettings,
    State,
)

DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs.scheduler.DEFAULT_PARAMETERS)


class Scheduler:
    """FSRS-6 with our settings; fuzz is reproducible per card and review."""

    def __init__(
        self,
        settings: SchedulerSettings | None = None,
        parameters: Sequence[float] = DEFAULT_PARAMETERS,
        *,
        enable_fuzzing: bool = True,
    ) -> None:
        self.settings = settings or SchedulerSettings()
        self._fsrs = fsrs.Scheduler(
            parameters=parameters,
            desired_retention=self.settings.desired_retention,
            learning_steps=self.settings.learning_steps,
            relearning_steps=self.settings.relearning_steps,
            maximum_interval=self.settings.maximum_interval,
            enable_fuzzing=enable_fuzzing,
        )

    def to_json(self) -> str:
        """The fsrs scheduler's parameters and settings, for storage."""
        return self._fsrs.to_json()

    def review(self, state: CardState, rating: Rating, now: datetime) -> CardState:
        """The card's state after answering it with ``rating`` at ``now``."""
        _require_utc(now)
        answer = fsrs.Rating(int(rating))
        if not self._fsrs.enable_fuzzing:  # no draw: a quarter of a replay's time
            card, _ = self._fsrs.review_card(to_fsrs(state), answer, now)
        else:
            # fsrs draws its fuzz from the module-level random(); seeding it
            # from the card and its review count makes the same history give
            # the same schedule. The global generator's state is put back.
            saved = random.getstate()
            random.seed(f"{state.card_id}:{state.reps}")
            try:
                card, _ = self._fsrs.review_card(to_fsrs(state), answer, now)
            finally:
                random.setstate(saved)
        lapsed = state.state is State.REVIEW and rating is Rating.AGAIN
        return from_fsrs(card, reps=state.reps + 1, lapses=state.lapses + lapsed)

    def preview(self, state: CardState, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give, for labelling the buttons."""
        return {rating: self.review(state, rating, now).due - now for rating in Rating}

    def retrievability(self, state: CardState, at: datetime) -> float:
        """Probability of recalling the card at ``at`` (0 for new cards)."""
        if state.state is State.NEW:
            return 0.0
        return float(self._fsrs.get_card_retrievability(to_fsrs(state), at))


def apply_answer(
    state: CardState,
    rating: Rating,
    *,
    now: datetime,
    scheduler: Scheduler,
    duration_ms: int = 0,
) -> tuple[CardState, ReviewRecord]:
    """Apply one answer to a card.

    Args:
        state: The card's scheduling state before the answer.
        rating: How well the learner recalled the card.
        now: When the answer was given; timezone-aware UTC.
        scheduler: Our fsrs wrapper, holding the deck's parameters.
        duration_ms: How long the learner took to answer.

    Returns:
        The new state and the review record to store.

    Raises:
        ValueError: If ``now`` is naive or not UTC.
    """
    after = scheduler.review(state, rating, now)
    record = ReviewRecord(
        card_id=state.card_id,
        rating=rating,
        reviewed_at=now,
        duration_ms=max(0, duration_ms),
        state_before=state,
        state_after=after,
    )
    return after, record


def to_fsrs(state: CardState) -> fsrs.Card:
    """Our state as an fsrs card (new cards are fsrs's first learning step)."""
    if state.state is State.NEW:
        return fsrs.Card(
            card_id=state.card_id, state=fsrs.State.Learning, step=0, due=state.due
        )
    return fsrs.Card(
        card_id=state.card_id,
        state=fsrs.State(int(state.state)),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
    )


def from_fsrs(card: fsrs.Card, *, reps: int, lapses: int) -> CardState:
    """An fsrs card back as our state."""
    return CardState(
        card_id=card.card_id,
        state=State(card.state.value),
        due=card.due,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        last_review=card.last_review,
        reps=reps,
        lapses=lapses,
    )


def new_state(card_id: int, now: datetime) -> CardState:
    """The state of a card never studied."""
    return CardState(card_id=card_id, state=State.NEW, due=now)


def _require_utc(now: datetime) -> None:
    if now.tzinfo != UTC:
        raise ValueError("now must be timezone-aware UTC (tzinfo=datetime.UTC)")


def forgetting_curve(
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
) -> tuple[float, float]:
    """FSRS-6's (decay, factor): recall after t days is (1 + factor*t/S) ** decay.

    For computing retrievability in SQL (card search), the same way as
    ``Scheduler.retrievability``.
    """
    decay = -parameters[20]
    return decay, 0.9 ** (1 / decay) - 1
