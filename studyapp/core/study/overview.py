"""What a deck (or group of decks) holds now and what comes next."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from studyapp.core.model import DeckCounts
from studyapp.core.store import study_rows
from studyapp.core.store.database import Store
from studyapp.core.store.study_rows import (
    answer_record,
    learning_due,
    reviews_due_between,
    reviews_due_by_day,
)
from studyapp.core.study.review import LEARN_AHEAD, left_today
from studyapp.core.study.scheduling import Scheduler

RETENTION_DAYS = 30
FORECAST_DAYS = 7


@dataclass(frozen=True, slots=True)
class Overview:
    """Counts of some decks now, what falls due next, and how study went.

    ``new``, ``learning`` and ``due`` are what a session offers now (as the
    deck list shows them); ``learning_later`` are learning cards due later
    today, the first at ``next_learning_at``, when a session can take it
    (``LEARN_AHEAD`` before it is due). ``retention`` is the share of review
    answers of the last ``RETENTION_DAYS`` days that were not Again;
    ``due_by_day`` the cards falling due on each of the next
    ``FORECAST_DAYS`` study days (today with the overdue ones).
    """

    new: int
    learning: int
    due: int
    total: int
    learning_later: int
    next_learning_at: datetime | None
    reviews_tomorrow: int
    last_studied: datetime | None
    retention: float | None
    reviews_counted: int
    due_by_day: tuple[int, ...] = ()  # cards due on each of the next days


def overview(
    store: Store,
    counts: Sequence[DeckCounts],
    deck_ids: list[str] | None,
    *,
    now: datetime,
    day_start: datetime,
) -> Overview:
    """The overview of ``deck_ids`` (all decks when None) at ``now``.

    Args:
        store: The open store.
        counts: The deck list's counts (``Library.deck_counts``).
        deck_ids: The decks, or None for all.
        now: The time; timezone-aware UTC.
        day_start: When the current study day began.
    """
    chosen = [c for c in counts if deck_ids is None or c.id in deck_ids]
    tomorrow = day_start + timedelta(days=1)
    later, first = learning_due(
        store, deck_ids, after=now + LEARN_AHEAD, before=tomorrow
    )
    last, reviews, passed = answer_record(
        store, deck_ids, now - timedelta(days=RETENTION_DAYS)
    )
    return Overview(
        new=sum(c.new for c in chosen),
        learning=sum(c.learning for c in chosen),
        due=sum(c.due for c in chosen),
        total=sum(c.total for c in chosen),
        learning_later=later,
        next_learning_at=None if first is None else first - LEARN_AHEAD,
        reviews_tomorrow=reviews_due_between(
            store, deck_ids, tomorrow, tomorrow + timedelta(days=1)
        ),
        last_studied=last,
        retention=passed / reviews if reviews else None,
        reviews_counted=reviews,
        due_by_day=tuple(reviews_due_by_day(store, deck_ids, day_start, FORECAST_DAYS)),
    )


def deck_counts(
    store: Store,
    scheduler_for: Callable[[str], Scheduler],
    now: datetime,
    day_start: datetime,
) -> list[DeckCounts]:
    """Every deck with the new / learning / due cards a session offers now.

    New and due counts are capped by the deck's daily limits, less what was
    already studied today, and without siblings buried until the next day;
    learning counts what falls due within the learn-ahead (the deck list
    once said 0 while Study now served 25).
    """
    start = day_start
    rows = store.deck_counts(
        learn_before=now + LEARN_AHEAD, review_before=start + timedelta(days=1)
    )
    buried = study_rows.buried_counts(store, start, start + timedelta(days=1))
    capped = []
    for row in rows:
        settings = scheduler_for(row.id).settings
        new_left = left_today(store, settings, row.id, start, new_cards=True)
        due_left = left_today(store, settings, row.id, start, new_cards=False)
        new_buried, due_buried = (
            buried.get(row.id, (0, 0)) if settings.bury_siblings else (0, 0)
        )
        capped.append(
            replace(
                row,
                new=max(0, min(row.new - new_buried, new_left)),
                due=max(0, min(row.due - due_buried, due_left)),
            )
        )
    return capped
