"""Statistics over the review history and card states."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from studyapp.core.clock import to_ms
from studyapp.core.model import State
from studyapp.core.store import Store


@dataclass(frozen=True, slots=True)
class Summary:
    """The headline numbers: today's work, retention, cards by state."""

    reviews_today: int
    minutes_today: float
    retention_30d: float | None  # share of review-state answers not Again
    by_state: dict[str, int]
    total_reviews: int


def summary(store: Store, *, now: datetime, day_start: datetime) -> Summary:
    """Compute the headline statistics at ``now``."""
    today = store.execute(
        "SELECT count(*), coalesce(sum(duration_ms), 0) FROM reviews "
        "WHERE reviewed_at >= ?",
        (to_ms(day_start),),
    ).fetchone()
    month = store.execute(
        "SELECT count(*), coalesce(sum(rating > 1), 0) FROM reviews "
        "WHERE state_before = 2 AND reviewed_at >= ?",
        (to_ms(now - timedelta(days=30)),),
    ).fetchone()
    states = dict.fromkeys((s.name.lower() for s in State), 0)
    for state, count in store.execute(
        "SELECT s.state, count(*) FROM card_state s JOIN cards c ON c.id = s.card_id "
        "WHERE c.retired = 0 GROUP BY s.state"
    ):
        states[State(state).name.lower()] = count
    total = store.execute("SELECT count(*) FROM reviews").fetchone()[0]
    return Summary(
        reviews_today=today[0],
        minutes_today=today[1] / 60_000,
        retention_30d=month[1] / month[0] if month[0] else None,
        by_state=states,
        total_reviews=total,
    )
