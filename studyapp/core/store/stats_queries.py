"""The aggregate queries behind the statistics: counts, sums, grouped rows.

Times go in and come out as stored milliseconds; ``core.study.stats`` and
``core.study.stats_days`` turn the rows into the values the app shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from studyapp.core.model import CardState
from studyapp.core.store.codecs import state_from_row
from studyapp.core.store.database import Store


def answers_since(store: Store, since_ms: int) -> tuple[int, int]:
    """Answers given at or after ``since_ms``, and their summed duration (ms)."""
    count, millis = store.execute(
        "SELECT count(*), coalesce(sum(duration_ms), 0) FROM reviews "
        "WHERE reviewed_at >= ?",
        (since_ms,),
    ).fetchone()
    return int(count), int(millis)


def review_answers_since(store: Store, since_ms: int) -> tuple[int, int]:
    """Answers to review-state cards since ``since_ms``, and how many passed."""
    count, passed = store.execute(
        "SELECT count(*), coalesce(sum(rating > 1), 0) FROM reviews "
        "WHERE state_before = 2 AND reviewed_at >= ?",
        (since_ms,),
    ).fetchone()
    return int(count), int(passed)


def answer_count(store: Store) -> int:
    """Every answer in the review log."""
    return int(store.execute("SELECT count(*) FROM reviews").fetchone()[0])


def cards_per_state(store: Store) -> list[tuple[int, int]]:
    """(state, live cards) for every state that has cards."""
    rows = store.execute(
        "SELECT s.state, count(*) FROM card_state s JOIN cards c ON c.id = s.card_id "
        "WHERE c.retired = 0 GROUP BY s.state"
    )
    return [(int(state), int(count)) for state, count in rows]


def review_intervals_ms(store: Store) -> Iterator[int]:
    """The current interval (due minus last review) of every live review card."""
    rows = store.execute(
        "SELECT s.due - s.last_review FROM card_state s JOIN cards c "
        "ON c.id = s.card_id WHERE c.retired = 0 AND s.state = 2 "
        "AND s.last_review IS NOT NULL"
    )
    for (interval_ms,) in rows:
        yield int(interval_ms)


def card_sections(
    store: Store, deck_ids: Iterable[str] | None
) -> Iterator[tuple[str, str, str, CardState]]:
    """(deck id, source id or "", section, state) of every live card, by id."""
    where = ""
    params: tuple[str, ...] = ()
    if deck_ids is not None:
        chosen = tuple(deck_ids)
        where = f" AND c.deck_id IN ({', '.join('?' for _ in chosen)})"
        params = chosen
    rows = store.execute(
        "SELECT c.deck_id, coalesce(n.source_ref, ''), n.section, s.card_id, "
        "s.state, s.step, s.stability, s.difficulty, s.due, s.last_review, "
        "s.reps, s.lapses FROM cards c JOIN notes n ON n.deck_id = c.deck_id "
        "AND n.note_id = c.note_id JOIN card_state s ON s.card_id = c.id "
        f"WHERE c.retired = 0{where} ORDER BY c.id",
        params,
    )
    for row in rows:
        yield row[0], row[1], row[2], state_from_row(row[3:])


def answers_per_day(
    store: Store, *, first_ms: int, end_ms: int, day_ms: int
) -> Iterator[tuple[int, int, int, int]]:
    """(day index from ``first_ms``, rating, answers, summed duration ms)."""
    rows = store.execute(
        "SELECT (reviewed_at - ?) / ?, rating, count(*), sum(duration_ms) "
        "FROM reviews WHERE reviewed_at >= ? AND reviewed_at < ? GROUP BY 1, 2",
        (first_ms, day_ms, first_ms, end_ms),
    )
    for index, rating, count, duration in rows:
        yield int(index), int(rating), int(count), int(duration)


def review_answers_per_period(
    store: Store, *, first_ms: int, end_ms: int, period_ms: int
) -> Iterator[tuple[int, int, int]]:
    """(period index, answers to review cards, passed) from ``first_ms``."""
    rows = store.execute(
        "SELECT (reviewed_at - ?) / ?, count(*), coalesce(sum(rating > 1), 0) "
        "FROM reviews WHERE state_before = 2 AND reviewed_at >= ? "
        "AND reviewed_at < ? GROUP BY 1",
        (first_ms, period_ms, first_ms, end_ms),
    )
    for index, count, passed in rows:
        yield int(index), int(count), int(passed)


def due_per_day(
    store: Store, *, start_ms: int, end_ms: int, day_ms: int
) -> Iterator[tuple[int, bool, int]]:
    """(day index from ``start_ms``, is a review card, cards due) before ``end_ms``.

    Overdue cards count on day 0; new cards are not counted.
    """
    rows = store.execute(
        "SELECT max(0, (s.due - ?) / ?) AS day, s.state = 2, count(*) "
        "FROM card_state s JOIN cards c ON c.id = s.card_id "
        "WHERE c.retired = 0 AND s.state > 0 AND s.due < ? GROUP BY 1, 2",
        (start_ms, day_ms, end_ms),
    )
    for index, is_review, count in rows:
        yield int(index), bool(is_review), int(count)


def deck_card_sections(
    store: Store, deck_id: str
) -> Iterator[tuple[int, str, str, CardState]]:
    """(card id, source id or "", section, state) of a deck's live cards.

    One join query, in deck order (note position, then card ordinal).
    """
    rows = store.execute(
        "SELECT c.id, coalesce(n.source_ref, ''), n.section, s.card_id, "
        "s.state, s.step, s.stability, s.difficulty, s.due, s.last_review, "
        "s.reps, s.lapses FROM cards c JOIN notes n ON n.deck_id = c.deck_id "
        "AND n.note_id = c.note_id JOIN card_state s ON s.card_id = c.id "
        "WHERE c.deck_id = ? AND c.retired = 0 ORDER BY n.position, c.ord",
        (deck_id,),
    )
    for row in rows:
        yield row[0], row[1], row[2], state_from_row(row[3:])


def review_log_rows(
    store: Store, *, deck_ids: list[str] | None, since_ms: int | None
) -> Iterator[tuple[object, ...]]:
    """The review log for export, oldest answer first.

    Each row: review id, time (ms), deck id, deck title, note id, card id,
    ord, kind, front, rating, duration (ms), state before, due (ms),
    stability, difficulty. Reviews of deleted cards keep empty card fields.

    Args:
        store: The open store.
        deck_ids: Only these decks' reviews (all when None).
        since_ms: Only answers given at or after this time.
    """
    where: list[str] = []
    params: list[object] = []
    if deck_ids is not None:
        where.append(f"c.deck_id IN ({', '.join('?' for _ in deck_ids)})")
        params.extend(deck_ids)
    if since_ms is not None:
        where.append("r.reviewed_at >= ?")
        params.append(since_ms)
    sql = _REVIEW_LOG + (f" WHERE {' AND '.join(where)}" if where else "")
    yield from store.execute(sql + " ORDER BY r.reviewed_at, r.id", params)


_REVIEW_LOG = (
    "SELECT r.id, r.reviewed_at, c.deck_id, coalesce(d.title, ''), c.note_id, "
    "r.card_id, c.ord, coalesce(n.kind, ''), coalesce(n.front, ''), r.rating, "
    "r.duration_ms, r.state_before, r.due, r.stability, r.difficulty "
    "FROM reviews r LEFT JOIN cards c ON c.id = r.card_id "
    "LEFT JOIN notes n ON n.deck_id = c.deck_id AND n.note_id = c.note_id "
    "LEFT JOIN decks d ON d.id = c.deck_id"
)
