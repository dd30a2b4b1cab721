"""Statistics over the review history and card states.

Every function is pure over the store: times come in as arguments
(``now``, ``day_start``), never from the clock. Study days are 24-hour
spans counted back (or forward) from ``day_start``, the start of today's
study day as ``Library.day_start`` gives it. Day-by-day series live in
``stats_days``; this module holds the snapshots of the collection now.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from studyapp.core.clock import to_ms
from studyapp.core.model import NO_SOURCE, State
from studyapp.core.store import stats_queries as queries
from studyapp.core.store.database import Store
from studyapp.core.study.scheduling import Scheduler

# Lower edges, in days, of the interval histogram's bins; the last is open.
INTERVAL_EDGES = (0, 2, 3, 7, 14, 30, 60, 120, 365)
# Where each upper bin starts in ms: round(ms / day) >= edge for ms above
# the half day before the edge, and at it when round-half-even goes up (even
# edges).
_ROUNDED_EDGES_MS = tuple(
    (edge * 86_400_000 - 43_200_000, edge % 2 == 0) for edge in INTERVAL_EDGES[1:]
)
_INTERVAL_LABELS = ("1d", "2d", "3-6d", "1-2w", "2-4w", "1-2mo", "2-4mo", "4-12mo")


@dataclass(frozen=True, slots=True)
class Summary:
    """The headline numbers: today's work, retention, cards by state."""

    reviews_today: int
    minutes_today: float
    retention_30d: float | None  # share of review-state answers not Again
    by_state: dict[str, int]
    total_reviews: int
    suspended: int = 0  # live cards held out of the queue (Anki's states)
    buried: int = 0
    flagged: int = 0


@dataclass(frozen=True, slots=True)
class IntervalBin:
    """Review cards whose current interval falls in ``[low, high)`` days."""

    low: int
    high: int | None  # None: no upper bound
    cards: int

    @property
    def label(self) -> str:
        """A short label for the axis: 1d, 3-6d, 1-2w, 1y+."""
        index = INTERVAL_EDGES.index(self.low)
        return _INTERVAL_LABELS[index] if index < len(_INTERVAL_LABELS) else "1y+"


@dataclass(frozen=True, slots=True)
class SectionMastery:
    """How well one section of a source document is known now."""

    source: str  # the source id; "" for cards that quote no source
    section: str
    cards: int
    studied: int  # cards answered at least once
    recall: float  # mean predicted recall now; new cards count as 0
    #: Mean predicted recall of the studied cards only; None if none is.
    studied_recall: float | None = None

    @property
    def coverage(self) -> float:
        """The share of the section's cards studied at least once."""
        return self.studied / self.cards if self.cards else 0.0

    @property
    def label(self) -> str:
        """``source: section``, as the exam scores and the planner name it."""
        return f"{self.source}: {self.section}" if self.source else NO_SOURCE


@dataclass(frozen=True, slots=True)
class WeakCard:
    """A studied card that is likely forgotten (low recall) or often lapsed."""

    card_id: int
    deck_id: str
    source: str
    section: str
    recall: float
    lapses: int
    reps: int


def answers_today(store: Store, *, day_start: datetime) -> tuple[int, float]:
    """Answers given since ``day_start``, and the minutes spent on them."""
    answers, millis = queries.answers_since(store, to_ms(day_start))
    return answers, millis / 60_000


def summary(store: Store, *, now: datetime, day_start: datetime) -> Summary:
    """Compute the headline statistics at ``now``."""
    answers, minutes = answers_today(store, day_start=day_start)
    counts, held = queries.live_card_counts(store)
    month, passed = queries.review_answers_since(store, to_ms(now - timedelta(days=30)))
    return Summary(
        reviews_today=answers,
        minutes_today=minutes,
        retention_30d=passed / month if month else None,
        by_state=dict(zip(_STATE_NAMES, counts, strict=True)),
        total_reviews=queries.answer_count(store),
        **held,
    )


_STATE_NAMES = tuple(s.name.lower() for s in State)


def cards_by_state(store: Store) -> dict[str, int]:
    """Live cards per scheduling state: new, learning, review, relearning."""
    states = dict.fromkeys((s.name.lower() for s in State), 0)
    for state, count in queries.cards_per_state(store):
        states[State(state).name.lower()] = count
    return states


def interval_histogram(store: Store) -> list[IntervalBin]:
    """Review-state cards by their current interval (due minus last review).

    Bins start at ``INTERVAL_EDGES``; an interval of ``d`` days (rounded to
    whole days) counts in the bin whose lower edge is the largest not above
    ``d``.
    """
    counts = [0] * len(INTERVAL_EDGES)
    for index, count in queries.review_interval_bins(store, _ROUNDED_EDGES_MS):
        counts[index] = count
    highs: list[int | None] = [*INTERVAL_EDGES[1:], None]
    return [
        IntervalBin(low, high, count)
        for low, high, count in zip(INTERVAL_EDGES, highs, counts, strict=True)
    ]


def section_mastery(
    store: Store,
    scheduler_for: Callable[[str], Scheduler],
    *,
    now: datetime,
    deck_ids: Iterable[str] | None = None,
) -> list[SectionMastery]:
    """Mastery of each source section now, weakest first.

    Args:
        store: The open store.
        scheduler_for: The library's per-deck schedulers
            (``Library.scheduler_for``); recall is FSRS retrievability.
        now: The moment the recall is predicted for; timezone-aware UTC.
        deck_ids: Only these decks' cards (all decks when None).

    Returns:
        One entry per (source, section), ordered by mean recall, then by
        the share of cards studied, then by name.
    """
    at_ms = to_ms(now)
    curves = _curves(store, scheduler_for, deck_ids)
    result = [
        SectionMastery(
            source=source,
            section=section,
            cards=cards,
            studied=studied,
            recall=recall / cards,  # new cards count as 0
            studied_recall=recall / studied if studied else None,
        )
        for source, section, cards, studied, recall in queries.section_recall(
            store, curves, at_ms, deck_ids
        )
    ]
    return sorted(
        result, key=lambda m: (m.recall, m.studied / m.cards, m.source, m.section)
    )


def _curves(
    store: Store,
    scheduler_for: Callable[[str], Scheduler],
    deck_ids: Iterable[str] | None,
) -> dict[str, tuple[float, float]]:
    """Each deck's forgetting curve (all decks when ``deck_ids`` is None)."""
    chosen = store.deck_ids() if deck_ids is None else deck_ids
    return {deck_id: scheduler_for(deck_id).curve for deck_id in chosen}


def weakest_cards(
    store: Store,
    scheduler_for: Callable[[str], Scheduler],
    *,
    now: datetime,
    limit: int = 20,
    deck_ids: Iterable[str] | None = None,
) -> list[WeakCard]:
    """Studied cards least likely to be recalled now; more lapses rank first.

    New cards are left out (they are not weak, only unseen); ties in recall
    go to the card with more lapses, then to the lower card id. Only the
    cards shown have their source section read.
    """
    if limit <= 0:
        return []
    deck_ids = None if deck_ids is None else list(deck_ids)
    curves = _curves(store, scheduler_for, deck_ids)
    # SQLite ranks by the exact recall; the ranking here rounds it to 6
    # places first, which can only reorder cards within 1e-6 of the last one
    # shown: read those too (asking SQLite for more rows until one lies
    # beyond them), then rank them as the rounding says.
    at_ms = to_ms(now)
    read = limit + _MARGIN
    while True:
        rows = queries.least_recalled(store, curves, at_ms, deck_ids, read)
        candidates = _within_rounding(rows, limit)
        if len(candidates) < len(rows) or len(rows) < read:
            break
        read *= 4
    candidates.sort(key=lambda w: (round(w.recall, 6), -w.lapses, w.card_id))
    weakest = candidates[:limit]
    sections = queries.sections_of(store, (w.card_id for w in weakest))
    result = []
    for weak in weakest:
        source, section = sections[weak.card_id]
        result.append(
            WeakCard(
                card_id=weak.card_id,
                deck_id=weak.deck_id,
                source=source,
                section=section if source else "",
                recall=weak.recall,
                lapses=weak.lapses,
                reps=weak.reps,
            )
        )
    return result


#: Rows read beyond the ones shown, for the ties the rounding may reorder.
_MARGIN = 16


def _within_rounding(
    rows: Iterable[tuple[str, int, float, int, int]], limit: int
) -> list[_Weak]:
    """The first ``limit`` rows and every later one within 1e-6 of the last."""
    candidates: list[_Weak] = []
    for deck_id, card_id, recall, lapses, reps in rows:
        if len(candidates) >= limit and recall > candidates[limit - 1].recall + 1e-6:
            break
        candidates.append(_Weak(deck_id, card_id, recall, lapses, reps))
    return candidates


class _Weak(NamedTuple):
    deck_id: str
    card_id: int
    recall: float
    lapses: int
    reps: int
