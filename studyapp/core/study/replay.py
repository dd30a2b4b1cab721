"""FSRS-6 replay of a card's past answers, in milliseconds: fsrs's own arithmetic.

Importing a learner's history replays a million answers. ``fsrs``'s
``Scheduler.review_card`` spends most of its time on what a replay does not
need (copying the card, datetimes, a review log per answer); this module does
the same arithmetic as fsrs 6.3's ``review_card``, operation for operation
and in the same order, on plain floats and integer milliseconds, so every
stability, difficulty and due time comes out bit for bit equal.
``scheduling.Scheduler.replay_ms`` uses it only with the fsrs version it was
checked against (tests/core/study/test_replay.py compares the two on random
histories and settings) and falls back to fsrs itself otherwise.

A replay starts from a new card (fsrs's first learning step); every answer
but the last runs unfuzzed, the last one fuzzed as a live review would be
(seeded from the card id and its review count, as ``Scheduler.review``).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import timedelta

from studyapp.core.clock import EPOCH

_E = math.e
_DAY_MS = 86_400_000
_DAY_US = 86_400_000_000
_US = timedelta(microseconds=1)
_LEARNING, _REVIEW, _RELEARNING = 1, 2, 3
_FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, math.inf, 0.05))

#: One replayed answer: (state before, state before as JSON, stability after,
#: difficulty after, due after in ms). See scheduling.Replayed.
Row = tuple[int, str, float, float, int]
#: A card's state after its replay, as card_state's columns (less the card id):
#: (state, step, stability, difficulty, due ms, last review ms, reps, lapses).
Final = tuple[int, int | None, float, float, int, int, int, int]


def iso(us: int) -> str:
    """A time in microseconds since the epoch as state_to_json writes it."""
    return (EPOCH + timedelta(microseconds=us)).isoformat()


_DATES: dict[int, str] = {}


def _date(day: int) -> str:
    """The date part of :func:`iso` for a day since the epoch (cached)."""
    text = _DATES.get(day)
    if text is None:
        if len(_DATES) > 100_000:
            _DATES.clear()
        text = _DATES[day] = iso(day * _DAY_US)[:10]
    return text


def _clock(ms: int) -> str:
    """The part of :func:`iso` after the date for ``ms`` into a day."""
    seconds, part = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if part:
        return f"T{hours:02d}:{minutes:02d}:{seconds:02d}.{part:03d}000+00:00"
    return f"T{hours:02d}:{minutes:02d}:{seconds:02d}+00:00"


class Replayer:
    """The replay of one fsrs scheduler's parameters and settings."""

    def __init__(
        self,
        parameters: Sequence[float],
        desired_retention: float,
        learning_steps: Sequence[timedelta],
        relearning_steps: Sequence[timedelta],
        maximum_interval: int,
        *,
        fuzz: bool,
    ) -> None:
        p = tuple(parameters)
        self.p = p
        self.fuzz = fuzz
        self.max_ivl = maximum_interval
        self.decay: float = -p[20]
        self.factor: float = 0.9 ** (1 / self.decay) - 1
        self.interval_k: float = (desired_retention ** (1 / self.decay)) - 1
        self.init_s: list[float] = [0.0, *(max(p[r - 1], 0.001) for r in (1, 2, 3, 4))]
        self.init_d: list[float] = [
            0.0,
            *(
                min(max(p[4] - (_E ** (p[5] * (r - 1))) + 1, 1.0), 10.0)
                for r in (1, 2, 3, 4)
            ),
        ]
        self.short_inc: list[float] = [
            0.0,
            *(_E ** (p[17] * (r - 3 + p[18])) for r in (1, 2, 3, 4)),
        ]
        arg_1 = p[4] - (_E ** (p[5] * (4 - 1))) + 1
        self.revert_1: float = p[7] * arg_1
        self.revert_2 = 1 - p[7]
        self.delta_d: list[float] = [0.0, *(-(p[6] * (r - 3)) for r in (1, 2, 3, 4))]
        self.e8: float = _E ** (p[8])
        self.forget_short: float = _E ** (p[17] * p[18])
        self.learning = _steps(learning_steps)
        self.relearning = _steps(relearning_steps)

    def replay(
        self, card_id: int, start_ms: int, answers: Sequence[tuple[int, int]]
    ) -> tuple[list[Row], Final]:
        """Replay ``answers`` ((time ms, rating 1-4), in time order) on a new card.

        ``start_ms`` is the new card's due time (its state before the first
        answer). Returns a log row for each answer and the final state.
        """
        rows: list[Row] = []
        kind = 0  # our State: 0 new, then fsrs's 1-3
        step: int | None = 0
        s = d = 0.0
        due_ms, last_ms, reps, lapses = start_ms, 0, 0, 0
        before_due = iso(start_ms * 1000)
        before = (
            f'{{"state": 0, "due": "{before_due}", "step": null, "stability": '
            'null, "difficulty": null, "last_review": null, "reps": 0, "lapses": 0}'
        )
        last_index = len(answers) - 1
        for index, (at_ms, rating) in enumerate(answers):
            if kind == 0:
                s, d = self.init_s[rating], self.init_d[rating]
            else:
                days = (at_ms - last_ms) // _DAY_MS
                if days < 1:
                    s = self._short_term(s, rating)
                else:
                    s = self._next_stability(s, d, days, rating)
                d = self._next_difficulty(d, rating)
            state_before = kind
            if state_before == _REVIEW and rating == 1:
                lapses += 1
            kind, step, interval_us = self._interval(kind, step, s, rating)
            if interval_us < 0:  # whole days, -interval_us of them
                days_ivl = -interval_us
                if index == last_index and self.fuzz and days_ivl >= 3:
                    days_ivl = self._fuzzed(days_ivl, f"{card_id}:{reps}")
                due_ms = at_ms + days_ivl * _DAY_MS
            else:
                days_ivl = -1
                due_ms = (at_ms * 1000 + interval_us) // 1000
            last_ms = at_ms
            reps += 1
            rows.append((state_before, before, s, d, due_ms))
            if index < last_index:
                day, into_day = divmod(at_ms, _DAY_MS)
                clock = _clock(into_day)
                if days_ivl > 0:  # the same time of day
                    due_iso = _date(day + days_ivl) + clock
                else:
                    due_iso = iso(at_ms * 1000 + interval_us)
                before = (
                    f'{{"state": {kind}, "due": "{due_iso}", '
                    f'"step": {"null" if step is None else step}, '
                    f'"stability": {s!r}, "difficulty": {d!r}, '
                    f'"last_review": "{_date(day)}{clock}", "reps": {reps}, '
                    f'"lapses": {lapses}}}'
                )
        final = (kind, step, s, d, due_ms, last_ms, reps, lapses)
        return rows, final

    def _interval(
        self, kind: int, step: int | None, s: float, rating: int
    ) -> tuple[int, int | None, int]:
        """(state, step, interval) after an answer; a whole-day interval as -days."""
        if kind == _REVIEW:
            if rating == 1 and self.relearning.steps:
                return _RELEARNING, 0, self.relearning.steps[0]
            return _REVIEW, None, -self._next_interval(s)
        steps = self.learning if kind <= _LEARNING else self.relearning
        assert step is not None
        if not steps.steps or (step >= len(steps.steps) and rating >= 2):
            return _REVIEW, None, -self._next_interval(s)
        state = _RELEARNING if kind == _RELEARNING else _LEARNING
        if rating == 1:
            return state, 0, steps.steps[0]
        if rating == 2:
            if step == 0:
                return state, step, steps.hard_first
            return state, step, steps.steps[step]
        if rating == 3 and step + 1 != len(steps.steps):
            return state, step + 1, steps.steps[step + 1]
        return _REVIEW, None, -self._next_interval(s)

    def _short_term(self, s: float, rating: int) -> float:
        increase: float = self.short_inc[rating] * (s ** -self.p[19])
        if rating >= 2:
            increase = max(increase, 1.0)
        return max(s * increase, 0.001)

    def _next_stability(self, s: float, d: float, days: int, rating: int) -> float:
        p = self.p
        r: float = (1 + self.factor * max(0, days) / s) ** self.decay
        if rating == 1:
            long_term: float = (
                p[11]
                * (d ** -p[12])
                * (((s + 1) ** (p[13])) - 1)
                * (_E ** ((1 - r) * p[14]))
            )
            short_term = s / self.forget_short
            return max(min(long_term, short_term), 0.001)
        growth: float = (
            self.e8 * (11 - d) * (s ** -p[9]) * ((_E ** ((1 - r) * p[10])) - 1)
        )
        if rating == 2:
            growth = growth * p[15]
        elif rating == 4:
            growth = growth * p[16]
        return max(s * (1 + growth), 0.001)

    def _next_difficulty(self, d: float, rating: int) -> float:
        arg_2 = d + (10.0 - d) * self.delta_d[rating] / 9.0
        return min(max(self.revert_1 + self.revert_2 * arg_2, 1.0), 10.0)

    def _next_interval(self, s: float) -> int:
        interval: int = round((s / self.factor) * self.interval_k)
        return min(max(interval, 1), self.max_ivl)

    def _fuzzed(self, days: int, seed: str) -> int:
        delta = 1.0
        for start, end, factor in _FUZZ_RANGES:
            delta += factor * max(min(float(days), end) - start, 0.0)
        min_ivl = round(days - delta)
        max_ivl = round(days + delta)
        min_ivl = max(2, min_ivl)
        max_ivl = min(max_ivl, self.max_ivl)
        min_ivl = min(min_ivl, max_ivl)
        drawn = (random.Random(seed).random() * (max_ivl - min_ivl + 1)) + min_ivl
        return min(round(drawn), self.max_ivl)


class _Steps:
    """Learning or relearning steps in microseconds (fsrs's timedeltas)."""

    def __init__(self, steps: Sequence[timedelta]) -> None:
        self.steps = tuple(step // _US for step in steps)
        if len(steps) == 1:
            self.hard_first = (steps[0] * 1.5) // _US
        elif len(steps) >= 2:
            self.hard_first = ((steps[0] + steps[1]) / 2.0) // _US
        else:
            self.hard_first = 0


def _steps(steps: Sequence[timedelta]) -> _Steps:
    return _Steps(steps)
