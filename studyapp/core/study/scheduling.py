"""Spaced-repetition scheduling: the only module that imports fsrs."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import metadata
from typing import NamedTuple, cast

import fsrs

from studyapp.core.clock import from_ms, to_ms
from studyapp.core.model import (
    CardState,
    Rating,
    ReviewRecord,
    SchedulerSettings,
    State,
)
from studyapp.core.store.codecs import state_to_json, state_values
from studyapp.core.study.replay import Final, Replayer, Row

DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs.scheduler.DEFAULT_PARAMETERS)
#: The fsrs versions whose review_card replay.Replayer repeats exactly.
REPLAY_CHECKED = ("6.3.2",)
_DAY_MS = 86_400_000


class Replayed(NamedTuple):
    """One replayed answer, as the review log stores it."""

    state_before: int  # a State value
    before: str  # the state before, as state_to_json writes it (for undo)
    stability: float | None  # after the answer
    difficulty: float | None
    due_ms: int  # after the answer


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
        self._unfuzzed: fsrs.Scheduler | None = None
        self._replayer: Replayer | None = None
        self._decay, self._factor = forgetting_curve(self._fsrs.parameters)

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

    def replay(
        self, state: CardState, answers: Sequence[tuple[datetime, Rating]]
    ) -> tuple[list[Replayed], CardState]:
        """Replay past answers on a card: a log row for each, and the last state.

        Each answer is scheduled by fsrs as if given then, with this
        scheduler's parameters. Stability and difficulty do not depend on
        fuzz, so every answer but the last runs unfuzzed; the last one is
        fuzzed as :meth:`review` would, so imported cards spread out. The
        loop stays on fsrs's own cards: a million answers replay in a
        fraction of the time that converting each one would take.
        """
        rows: list[Replayed] = []
        if not answers:
            return rows, state
        _require_utc(answers[0][0])
        plain = self._plain()
        card = to_fsrs(state)
        kind, reps, lapses = int(state.state), state.reps, state.lapses
        for when, rating in answers[:-1]:
            before = _card_json(card, kind, reps, lapses)
            card, _ = plain.review_card(card, fsrs.Rating(int(rating)), when)
            rows.append(
                Replayed(kind, before, card.stability, card.difficulty, to_ms(card.due))
            )
            lapses += kind == State.REVIEW and rating == Rating.AGAIN
            reps += 1
            kind = card.state.value
        last = CardState(
            card_id=state.card_id,
            state=State(kind),
            due=card.due,
            step=card.step if kind else None,
            stability=card.stability,
            difficulty=card.difficulty,
            last_review=card.last_review,
            reps=reps,
            lapses=lapses,
        )
        final = self.review(last, answers[-1][1], answers[-1][0])
        after = (final.stability, final.difficulty, to_ms(final.due))
        rows.append(Replayed(kind, state_to_json(last), *after))
        return rows, final

    def replay_ms(
        self, card_id: int, start_ms: int, answers: Sequence[tuple[int, int]]
    ) -> tuple[list[Row], Final]:
        """:meth:`replay` on a new card due at ``start_ms``, in milliseconds.

        ``answers`` are (time ms, rating 1-4), oldest first, at least one.
        Returns a log row for each answer (as :class:`Replayed`) and the
        final state as card_state's values (less the card id). With a
        checked fsrs version it runs replay.Replayer (fsrs's arithmetic
        without its per-answer objects, equal to the last bit), else fsrs.
        """
        replayer = self.replayer()
        if replayer is not None:
            return replayer.replay(card_id, start_ms, answers)
        state = new_state(card_id, from_ms(start_ms))
        timed = [(from_ms(ms), Rating(rating)) for ms, rating in answers]
        rows, final = self.replay(state, timed)
        values = cast(Final, state_values(final)[1:])
        return [cast(Row, tuple(row)) for row in rows], values

    def replayer(self) -> Replayer | None:
        """The replay of :meth:`replay_ms` without fsrs (None: fsrs unchecked)."""
        if self._replayer is None and fast_replay():
            f = self._fsrs
            self._replayer = Replayer(
                f.parameters,
                f.desired_retention,
                f.learning_steps,
                f.relearning_steps,
                f.maximum_interval,
                fuzz=f.enable_fuzzing,
            )
        return self._replayer

    def _plain(self) -> fsrs.Scheduler:
        """The same fsrs scheduler without fuzz (made once, on first need)."""
        if self._unfuzzed is None:
            self._unfuzzed = fsrs.Scheduler.from_json(self._fsrs.to_json())
            self._unfuzzed.enable_fuzzing = False
        return self._unfuzzed

    def preview(self, state: CardState, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give, for labelling the buttons."""
        return {rating: self.review(state, rating, now).due - now for rating in Rating}

    def retrievability(self, state: CardState, at: datetime) -> float:
        """Probability of recalling the card at ``at`` (0 for new cards)."""
        if state.state is State.NEW or state.last_review is None:
            return 0.0
        return self._curve(state.stability, (at - state.last_review).days)

    @property
    def curve(self) -> tuple[float, float]:
        """This scheduler's forgetting curve, (decay, factor): see ``recall_ms``."""
        return self._decay, self._factor

    def recall_ms(
        self, stability: float | None, last_review_ms: int | None, at_ms: int
    ) -> float:
        """Retrievability from stored values (ms): fsrs's formula, whole days.

        The same number as fsrs's ``get_card_retrievability`` (whole days
        elapsed, never negative; 0 without a review), without building a
        card: the statistics and the planner run it on every card.
        """
        if last_review_ms is None:
            return 0.0
        return self._curve(stability, (at_ms - last_review_ms) // _DAY_MS)

    def _curve(self, stability: float | None, days: int) -> float:
        if stability is None:
            return 0.0
        elapsed = max(0, days)
        return float((1 + self._factor * elapsed / stability) ** self._decay)


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


def _card_json(card: fsrs.Card, kind: int, reps: int, lapses: int) -> str:
    """What state_to_json writes, straight from an fsrs card (see replay)."""
    last = f'"{card.last_review.isoformat()}"' if card.last_review else "null"
    return (
        f'{{"state": {kind}, "due": "{card.due.isoformat()}", '
        f'"step": {_number(card.step if kind else None)}, '
        f'"stability": {_number(card.stability)}, '
        f'"difficulty": {_number(card.difficulty)}, "last_review": {last}, '
        f'"reps": {reps}, "lapses": {lapses}}}'
    )


def _number(value: float | None) -> str:
    return "null" if value is None else repr(value)


@cache
def fast_replay() -> bool:
    """Whether the installed fsrs is one replay.Replayer was checked against."""
    return metadata.version("fsrs") in REPLAY_CHECKED


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
