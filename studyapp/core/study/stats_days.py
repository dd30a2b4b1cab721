"""Day-by-day statistics: reviews per day, true retention, the due forecast.

Study days are 24-hour spans counted from ``day_start`` (the start of
today's study day, as ``Library.day_start`` gives it): day ``-1`` is
yesterday, day ``1`` tomorrow. On a daylight-saving change the spans keep
24 hours, so a day's boundary may sit an hour off the rollover hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from studyapp.core.clock import to_ms
from studyapp.core.model import Rating
from studyapp.core.store import stats_queries as queries
from studyapp.core.store.database import Store

DAY = timedelta(days=1)
_DAY_MS = 86_400_000


@dataclass(frozen=True, slots=True)
class DayReviews:
    """The answers of one study day, by rating, and the time they took."""

    start: datetime  # when the study day began, UTC
    by_rating: tuple[int, int, int, int]  # Again, Hard, Good, Easy
    minutes: float

    @property
    def total(self) -> int:
        """Answers given that day."""
        return sum(self.by_rating)

    def count(self, rating: Rating) -> int:
        """Answers with ``rating`` that day."""
        return self.by_rating[int(rating) - 1]


@dataclass(frozen=True, slots=True)
class RetentionPoint:
    """True retention over one period: review-state answers that were not Again."""

    start: datetime  # first day of the period, UTC
    days: int  # length of the period
    reviews: int  # answers given to cards in the review state
    passed: int  # of which rated Hard, Good or Easy

    @property
    def retention(self) -> float | None:
        """The share passed, or None when nothing was reviewed."""
        return self.passed / self.reviews if self.reviews else None


@dataclass(frozen=True, slots=True)
class DueDay:
    """Cards falling due on one study day (day 0 also holds the overdue)."""

    start: datetime
    learning: int  # learning and relearning cards
    review: int

    @property
    def total(self) -> int:
        """Every card due that day."""
        return self.learning + self.review


def reviews_per_day(
    store: Store, *, day_start: datetime, days: int
) -> list[DayReviews]:
    """Answers per study day for the last ``days`` days, oldest first.

    Args:
        store: The open store.
        day_start: Start of today's study day, UTC; today is the last entry.
        days: How many days to cover (today included).

    Returns:
        One entry per day, empty days included.
    """
    days = max(1, days)
    first = day_start - (days - 1) * DAY
    counts = [[0, 0, 0, 0] for _ in range(days)]
    millis = [0] * days
    rows = queries.answers_per_day(
        store, first_ms=to_ms(first), end_ms=to_ms(day_start + DAY), day_ms=_DAY_MS
    )
    for index, rating, count, duration in rows:
        counts[index][rating - 1] = count
        millis[index] += duration
    return [
        DayReviews(
            start=first + i * DAY,
            by_rating=(counts[i][0], counts[i][1], counts[i][2], counts[i][3]),
            minutes=millis[i] / 60_000,
        )
        for i in range(days)
    ]


def retention_by_period(
    store: Store, *, day_start: datetime, days: int, period_days: int = 1
) -> list[RetentionPoint]:
    """True retention per period (day or week) over the last ``days`` days.

    Only answers to cards that were in the review state count, as in
    Anki's "true retention": learning steps say little about memory.

    Args:
        store: The open store.
        day_start: Start of today's study day, UTC.
        days: How many days back to cover, today included; rounded up to
            whole periods.
        period_days: Days per point: 1 for daily, 7 for weekly.

    Returns:
        Points oldest first; the last period ends with today.
    """
    period_days = max(1, period_days)
    periods = max(1, -(-days // period_days))
    span = period_days * DAY
    first = day_start + DAY - periods * span
    totals = [[0, 0] for _ in range(periods)]
    rows = queries.review_answers_per_period(
        store,
        first_ms=to_ms(first),
        end_ms=to_ms(day_start + DAY),
        period_ms=period_days * _DAY_MS,
    )
    for index, count, passed in rows:
        totals[index] = [count, passed]
    return [
        RetentionPoint(first + i * span, period_days, totals[i][0], totals[i][1])
        for i in range(periods)
    ]


def due_forecast(store: Store, *, day_start: datetime, days: int) -> list[DueDay]:
    """Cards falling due on each of the next ``days`` study days, today first.

    Today's entry also counts cards already overdue. New cards are not
    counted: they come in at the daily new-card limit, not on a date.
    """
    days = max(1, days)
    counts = [[0, 0] for _ in range(days)]
    rows = queries.due_per_day(
        store,
        start_ms=to_ms(day_start),
        end_ms=to_ms(day_start + days * DAY),
        day_ms=_DAY_MS,
    )
    for index, is_review, count in rows:
        counts[index][int(is_review)] += count
    return [
        DueDay(day_start + i * DAY, learning=counts[i][0], review=counts[i][1])
        for i in range(days)
    ]
