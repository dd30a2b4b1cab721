"""Desired retention against workload: FSRS's own simulator (fsrs-rs) per retention.

For each desired retention from 0.70 to 0.97 a deck is simulated over the
next year with the learner's parameters, daily limits and answer times;
the suggestion is the retention that spends the least time per card
remembered at the end.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import fsrs_rs_python as fsrs_rs

from studyapp.core.model import Rating, SchedulerSettings
from studyapp.core.study.optimize import LoggedReview

RETENTIONS: tuple[float, ...] = tuple(round(0.70 + 0.01 * k, 2) for k in range(28))
SEED = 2026  # one seed for every retention, so the curves differ by retention only


@dataclass(frozen=True, slots=True)
class RetentionCurve:
    """One simulated year at one desired retention."""

    desired_retention: float
    reviews_per_day: tuple[int, ...]
    remembered_per_day: tuple[float, ...]  # expected cards recalled, day by day
    minutes_per_day: tuple[float, ...]

    @property
    def total_minutes(self) -> float:
        """Study time over the whole simulation."""
        return sum(self.minutes_per_day)

    @property
    def minutes_per_remembered(self) -> float:
        """Study time per card remembered at the end."""
        remembered = self.remembered_per_day[-1] if self.remembered_per_day else 0
        return self.total_minutes / remembered if remembered else float("inf")


def suggested_retention(curves: Sequence[RetentionCurve]) -> float:
    """The desired retention with the least time per remembered card."""
    return min(curves, key=lambda c: c.minutes_per_remembered).desired_retention


def answer_seconds(reviews: Sequence[LoggedReview]) -> tuple[float, float]:
    """Median seconds of a recalled and of a forgotten answer (defaults if none)."""
    passed = [r.duration_ms / 1000 for r in reviews if r.rating is not Rating.AGAIN]
    failed = [r.duration_ms / 1000 for r in reviews if r.rating is Rating.AGAIN]
    return (
        statistics.median(passed) if passed else 10.0,
        statistics.median(failed) if failed else 20.0,
    )


def simulate_retentions(
    parameters: Sequence[float],
    reviews: Sequence[LoggedReview],
    settings: SchedulerSettings,
    *,
    cards: int,
    days: int = 365,
    retentions: Sequence[float] = RETENTIONS,
) -> list[RetentionCurve]:
    """Simulate ``cards`` cards learned at the daily new limit for ``days`` days.

    Args:
        parameters: FSRS-6 parameters (the learner's).
        reviews: The learner's log, for answer times (zero durations ignored).
        settings: Daily limits and the maximum interval.
        cards: Cards in the deck to be learned.
        days: Length of the simulation.
        retentions: Desired retentions to try.
    """
    timed = [r for r in reviews if r.duration_ms > 0]
    passed, failed = answer_seconds(timed)
    config = fsrs_rs.default_simulator_config()
    config.deck_size = cards
    config.learn_span = days
    config.learn_limit = settings.new_per_day
    config.review_limit = settings.reviews_per_day
    config.max_ivl = float(settings.maximum_interval)
    config.max_cost_perday = 86_400.0  # the daily limits cap the work, not time
    # Rows: learning, review, relearning; columns: Again, Hard, Good, Easy.
    config.state_rating_costs = [[failed, passed, passed, passed]] * 3
    curves = []
    for retention in retentions:
        result = fsrs_rs.simulate(list(parameters), retention, config, SEED)
        curves.append(
            RetentionCurve(
                desired_retention=retention,
                reviews_per_day=tuple(
                    review + learn
                    for review, learn in zip(
                        result.review_cnt_per_day, result.learn_cnt_per_day, strict=True
                    )
                ),
                remembered_per_day=tuple(result.memorized_cnt_per_day),
                minutes_per_day=tuple(cost / 60 for cost in result.cost_per_day),
            )
        )
    return curves
