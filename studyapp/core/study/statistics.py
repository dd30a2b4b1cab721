"""The statistics the app shows, behind ``Library.stats``.

Thin: each method asks ``stats`` (the collection now) or ``stats_days``
(day by day) with the library's study-day start and schedulers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from studyapp.core.store.database import Store
from studyapp.core.study import stats, stats_days
from studyapp.core.study.scheduling import Scheduler
from studyapp.core.study.stats_days import DayReviews, DueDay, RetentionPoint


class Statistics:
    """Statistics over one collection; times come in as ``now``."""

    def __init__(
        self,
        store: Store,
        scheduler_for: Callable[[str], Scheduler],
        day_start: Callable[[datetime], datetime],
    ) -> None:
        self._store = store
        self._scheduler_for = scheduler_for
        self._day_start = day_start

    def summary(self, now: datetime) -> stats.Summary:
        """Today's reviews, retention and cards by state."""
        return stats.summary(self._store, now=now, day_start=self._day_start(now))

    def today(self, now: datetime) -> tuple[int, float]:
        """Answers given this study day and the minutes spent (one query)."""
        return stats.answers_today(self._store, day_start=self._day_start(now))

    def reviews_per_day(self, now: datetime, days: int) -> list[DayReviews]:
        """Answers per study day over the last ``days`` days."""
        start = self._day_start(now)
        return stats_days.reviews_per_day(self._store, day_start=start, days=days)

    def retention_by_period(
        self, now: datetime, days: int, period_days: int
    ) -> list[RetentionPoint]:
        """True retention per day or week over the last ``days`` days."""
        return stats_days.retention_by_period(
            self._store,
            day_start=self._day_start(now),
            days=days,
            period_days=period_days,
        )

    def due_forecast(self, now: datetime, days: int) -> list[DueDay]:
        """Cards falling due per study day over the next ``days`` days."""
        start = self._day_start(now)
        return stats_days.due_forecast(self._store, day_start=start, days=days)

    def interval_histogram(self) -> list[stats.IntervalBin]:
        """Review cards by current interval."""
        return stats.interval_histogram(self._store)

    def section_mastery(self, now: datetime) -> list[stats.SectionMastery]:
        """Predicted recall now per source section, weakest first."""
        return stats.section_mastery(self._store, self._scheduler_for, now=now)

    def weakest_cards(self, now: datetime, limit: int) -> list[stats.WeakCard]:
        """The studied cards least likely to be recalled now."""
        return stats.weakest_cards(
            self._store, self._scheduler_for, now=now, limit=limit
        )
