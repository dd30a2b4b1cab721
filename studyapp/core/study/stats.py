"""Statistics over the review history and card states.

Every function is pure over the store: times come in as arguments
(``now``, ``day_start``), never from the clock. Study days are 24-hour
spans counted back (or forward) from ``day_start``, the start of today's
study day as ``Library.day_start`` gives it. Day-by-day series live in
``stats_days``; this module holds the snapshots of the collection now.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from studyapp.core.clock import to_ms
from studyapp.core.model import NO_SOURCE, CardState, State
from studyapp.core.store import anki_rows
from studyapp.core.store import stats_queries as queries
from studyapp.core.store.database import Store
from studyapp.core.study.scheduling import Scheduler

# Lower edges, in days, of the interval histogram's bins; the last is open.
INTERVAL_EDGES = (0, 2, 3, 7, 14, 30, 60, 120, 365)
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


@dataclass(frozen=True, slots=True)
class _CardRecall:
    deck_id: str
    source: str
    section: str
    state: CardState
    recall: float


def answers_today(store: Store, *, day_start: datetime) -> tuple[int, float]:
    """Answers given since ``day_start``, and the minutes spent on them."""
    answers, millis = queries.answers_since(store, to_ms(day_start))
    return answers, millis / 60_000


def summary(store: Store, *, now: datetime, day_start: datetime) -> Summary:
    """Compute the headline statistics at ``now``."""
    answers, minutes = answers_today(store, day_start=day_start)
    month, passed = queries.review_answers_since(store, to_ms(now - timedelta(days=30)))
    return Summary(
        reviews_today=answers,
        minutes_today=minutes,
        retention_30d=passed / month if month else None,
        by_state=cards_by_state(store),
        total_reviews=queries.answer_count(store),
        **anki_rows.held_counts(store),
    )


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
    for interval_ms in queries.review_intervals_ms(store):
        days = round(interval_ms / 86_400_000)
        counts[max(0, bisect.bisect_right(INTERVAL_EDGES, days) - 1)] += 1
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
    groups: dict[tuple[str, str], list[_CardRecall]] = {}
    for card in _card_recalls(store, scheduler_for, now, deck_ids):
        groups.setdefault((card.source, card.section), []).append(card)
    result = [
        SectionMastery(
            source=source,
            section=section,
            cards=len(members),
            studied=sum(m.state.state is not State.NEW for m in members),
            recall=sum(m.recall for m in members) / len(members),
            studied_recall=_studied_recall(members),
        )
        for (source, section), members in groups.items()
    ]
    return sorted(
        result, key=lambda m: (m.recall, m.studied / m.cards, m.source, m.section)
    )


def _studied_recall(members: list[_CardRecall]) -> float | None:
    studied = [m.recall for m in members if m.state.state is not State.NEW]
    return sum(studied) / len(studied) if studied else None


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
    go to the card with more lapses, then to the lower card id.
    """
    studied = [
        c
        for c in _card_recalls(store, scheduler_for, now, deck_ids)
        if c.state.state is not State.NEW
    ]
    studied.sort(key=lambda c: (round(c.recall, 6), -c.state.lapses, c.state.card_id))
    return [
        WeakCard(
            card_id=c.state.card_id,
            deck_id=c.deck_id,
            source=c.source,
            section=c.section,
            recall=c.recall,
            lapses=c.state.lapses,
            reps=c.state.reps,
        )
        for c in studied[: max(0, limit)]
    ]


def _card_recalls(
    store: Store,
    scheduler_for: Callable[[str], Scheduler],
    now: datetime,
    deck_ids: Iterable[str] | None,
) -> Iterator[_CardRecall]:
    """Every live card with its source section, state and recall at ``now``."""
    for deck_id, source, section, state in queries.card_sections(store, deck_ids):
        recall = scheduler_for(deck_id).retrievability(state, now)
        yield _CardRecall(deck_id, source, section if source else "", state, recall)
