"""The aggregate queries behind the statistics: counts, sums, grouped rows.

Times go in and come out as stored milliseconds; ``core.study.stats`` and
``core.study.stats_days`` turn the rows into the values the app shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

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
        f"SELECT s.state, count(*) FROM {_LIVE_STATES} GROUP BY s.state"
    )
    return [(int(state), int(count)) for state, count in rows]


def live_card_counts(store: Store) -> tuple[list[int], dict[str, int]]:
    """Live cards per state (new, learning, review, relearning) and held.

    One scan of both tables, no grouping (SQLite sorts every row it groups).
    """
    row = store.execute(
        "SELECT coalesce(sum(s.state = 0), 0), coalesce(sum(s.state = 1), 0), "
        "coalesce(sum(s.state = 2), 0), coalesce(sum(s.state = 3), 0), "
        "coalesce(sum(c.suspended), 0), coalesce(sum(c.buried_until IS NOT NULL), 0), "
        f"coalesce(sum(c.flag > 0), 0) FROM {_LIVE_STATES}"
    ).fetchone()
    held = {"suspended": row[4], "buried": row[5], "flagged": row[6]}
    return [int(count) for count in row[:4]], held


def review_interval_bins(
    store: Store, edges: Sequence[tuple[int, bool]]
) -> Iterator[tuple[int, int]]:
    """(bin, live review cards) by current interval (due minus last review).

    A card's bin is how many ``edges`` its interval reaches: each edge is
    (ms, whether an interval of exactly that many ms reaches it). Counted as
    the cards reaching each edge, in one scan without grouping.
    """
    reaching = "".join(
        f", coalesce(sum(iv {'>=' if inclusive else '>'} {int(ms)}), 0)"
        for ms, inclusive in edges
    )
    row = store.execute(
        f"SELECT count(*){reaching} FROM (SELECT s.due - s.last_review "
        f"AS iv FROM {_LIVE_STATES} AND s.state = 2 AND s.last_review IS NOT NULL)"
    ).fetchone()
    counts = [int(count) for count in row]
    for index, count in enumerate(counts):
        below = count - (counts[index + 1] if index + 1 < len(counts) else 0)
        if below:
            yield index, below


#: Live cards with their states, both tables read in card order: CROSS JOIN
#: keeps SQLite from walking ``card_state_due`` and looking each card up out
#: of order (3-8x slower at 100k cards). Callers append ``AND ...``.
_LIVE_STATES = "cards c CROSS JOIN card_state s ON s.card_id = c.id WHERE c.retired = 0"

#: Each deck's forgetting curve, (decay, factor) as ``Scheduler.curve`` gives.
Curves = Mapping[str, tuple[float, float]]
_DAY_MS = 86_400_000


def _with_curves(curves: Curves) -> tuple[str, str, list[object]]:
    """A ``curve(deck_id, decay, factor)`` table, its join ``k``, its values.

    When every deck has the same curve the table has one row and each card
    joins it without a look-up by deck (a quarter of a 100k-card scan).
    """
    if not curves:
        return (
            "WITH curve(deck_id, decay, factor) AS (SELECT NULL, 0, 0) ",
            _BY_DECK,
            [],
        )
    distinct = set(curves.values())
    if len(distinct) == 1:
        decay, factor = distinct.pop()
        return (
            "WITH curve(deck_id, decay, factor) AS (VALUES (NULL, ?, ?)) ",
            "CROSS JOIN curve k",
            [decay, factor],
        )
    values = ", ".join("(?, ?, ?)" for _ in curves)
    params: list[object] = [
        v for deck_id, (d, f) in curves.items() for v in (deck_id, d, f)
    ]
    return f"WITH curve(deck_id, decay, factor) AS (VALUES {values}) ", _BY_DECK, params


_BY_DECK = "CROSS JOIN curve k ON k.deck_id = c.deck_id"


def _recall(at_ms: int) -> str:
    """A card's predicted recall at ``at_ms``: ``Scheduler.recall_ms`` in SQL.

    The same operations in the same order on doubles (and libm's ``pow``),
    so the same number; 0 for new cards and cards without a review.
    """
    return (
        "(CASE WHEN s.state = 0 OR s.last_review IS NULL OR s.stability IS NULL "
        f"THEN 0.0 ELSE pow(1 + k.factor * max(0, ({int(at_ms)} - s.last_review) "
        f"/ {_DAY_MS}) / s.stability, k.decay) END)"
    )


#: Live cards in card order with their state; each table read by its key,
#: both in card order. The deck's curve ``k`` joins after it.
_LIVE = "FROM cards c CROSS JOIN card_state s ON s.card_id = c.id"
_NOTE = "JOIN notes n ON n.deck_id = c.deck_id AND n.note_id = c.note_id"


def section_recall(
    store: Store, curves: Curves, at_ms: int, deck_ids: Iterable[str] | None
) -> Iterator[tuple[str, str, int, int, float]]:
    """(source id or "", section, cards, studied, summed recall) per section.

    Cards without a source count in one section named ""; new cards add 0
    to the sum. Only the decks with a note that quotes a source join their
    cards to their notes (100k look-ups in ``notes``' text key cost ~0.2 s):
    every card of the other decks is in the section "".
    """
    where, params = _decks_filter(deck_ids)
    curve, join, values = _with_curves(curves)
    sourced = sourced_decks(store, deck_ids)
    recall = f"count(*), sum(s.state > 0), total({_recall(at_ms)})"
    unsourced, left_out = _decks_filter(sourced, negate=True)
    rows = store.execute(
        f"{curve}SELECT {recall} {_LIVE} {join} WHERE c.retired = 0{where}{unsourced}",
        [*values, *params, *left_out],
    )
    groups: dict[tuple[str, str], tuple[int, int, float]] = {}
    cards, studied, summed = rows.fetchone()
    if cards:
        groups["", ""] = (int(cards), int(studied), float(summed))
    if sourced:
        only, chosen = _decks_filter(sourced)
        rows = store.execute(
            f"{curve}SELECT coalesce(n.source_ref, '') AS src, "
            "CASE WHEN coalesce(n.source_ref, '') = '' THEN '' ELSE n.section END, "
            f"{recall} {_LIVE} {join} {_NOTE} WHERE c.retired = 0{only} GROUP BY 1, 2",
            [*values, *chosen],
        )
        for source, section, cards, studied, summed in rows:
            more = groups.get((source, section), (0, 0, 0.0))
            groups[source, section] = (
                more[0] + int(cards),
                more[1] + int(studied),
                more[2] + float(summed),
            )
    for (source, section), (cards, studied, summed) in groups.items():
        yield source, section, cards, studied, summed


def sourced_decks(store: Store, deck_ids: Iterable[str] | None) -> list[str]:
    """The decks (of ``deck_ids``; all when None) with a note quoting a source."""
    # No stored source, no note quoting one (foreign keys): skip the scan.
    if store.execute("SELECT 1 FROM sources LIMIT 1").fetchone() is None:
        return []
    chosen = None if deck_ids is None else tuple(deck_ids)
    where = "" if chosen is None else f" AND d.id IN ({', '.join('?' for _ in chosen)})"
    rows = store.execute(
        "SELECT d.id FROM decks d WHERE EXISTS (SELECT 1 FROM notes n "
        f"WHERE n.deck_id = d.id AND coalesce(n.source_ref, '') != ''){where}",
        chosen or (),
    )
    return [deck_id for (deck_id,) in rows]


def least_recalled(
    store: Store,
    curves: Curves,
    at_ms: int,
    deck_ids: Iterable[str] | None,
    limit: int,
) -> list[tuple[str, int, float, int, int]]:
    """(deck id, card id, recall, lapses, reps) of the ``limit`` least recalled.

    Live studied cards, lowest recall first, then more lapses, then the
    lower card id. SQLite keeps only the first ``limit`` rows while it scans
    (no sort of every studied card).
    """
    where, params = _decks_filter(deck_ids)
    curve, join, values = _with_curves(curves)
    return store.execute(
        f"{curve}SELECT c.deck_id, c.id, {_recall(at_ms)} AS r, s.lapses, s.reps "
        f"{_LIVE} {join} WHERE c.retired = 0 AND s.state > 0{where} "
        "ORDER BY r, s.lapses DESC, c.id LIMIT ?",
        [*values, *params, limit],
    ).fetchall()


def sections_of(store: Store, card_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """(source id or "", section) of each card asked for."""
    chosen = tuple(card_ids)
    rows = store.execute(
        "SELECT c.id, coalesce(n.source_ref, ''), n.section FROM cards c "
        "JOIN notes n ON n.deck_id = c.deck_id AND n.note_id = c.note_id "
        f"WHERE c.id IN ({', '.join('?' for _ in chosen)})",
        chosen,
    )
    return {card_id: (source, section) for card_id, source, section in rows}


def _decks_filter(
    deck_ids: Iterable[str] | None, *, negate: bool = False
) -> tuple[str, tuple[str, ...]]:
    """`` AND c.deck_id IN (...)`` (``NOT IN`` when ``negate``), and its values."""
    if deck_ids is None:
        return "", ()
    chosen = tuple(deck_ids)
    if negate and not chosen:
        return "", ()
    test = "NOT IN" if negate else "IN"
    return f" AND c.deck_id {test} ({', '.join('?' for _ in chosen)})", chosen


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

    Overdue cards count on day 0; new cards are not counted. Day 0 holds
    most due cards: they are counted in one scan without grouping (SQLite
    sorts every row it groups); the later days' cards are found through
    ``card_state_due``, one range per state.
    """
    first_end = min(end_ms, start_ms + day_ms)
    learning, review = store.execute(
        "SELECT coalesce(sum(s.state != 2), 0), coalesce(sum(s.state = 2), 0) "
        f"FROM {_LIVE_STATES} AND s.state > 0 AND s.due < ?",
        (first_end,),
    ).fetchone()
    yield 0, False, int(learning)
    yield 0, True, int(review)
    rows = store.execute(
        "SELECT (s.due - ?) / ?, s.state = 2, count(*) FROM card_state s "
        "JOIN cards c ON c.id = s.card_id WHERE s.state IN (1, 2, 3) "
        "AND s.due >= ? AND s.due < ? AND c.retired = 0 GROUP BY 1, 2",
        (start_ms, day_ms, first_end, end_ms),
    )
    for index, is_review, count in rows:
        yield int(index), bool(is_review), int(count)


def deck_card_sections(
    store: Store, curves: Curves, at_ms: int, deck_ids: Iterable[str]
) -> Iterator[tuple[str, int, str, str, bool, float]]:
    """(deck id, card id, source id or "", section, is new, recall at ``at_ms``).

    One query for all the decks' live cards, deck by deck in the order
    given, each in deck order (note position, then card ordinal); a deck
    named twice gives its cards twice. ``curves`` holds every deck's curve.
    """
    chosen = tuple(deck_ids)
    if not chosen:
        return
    curve, join, values = _with_curves(curves)
    decks = ", ".join("(?, ?)" for _ in chosen)
    params = [value for k, deck_id in enumerate(chosen) for value in (deck_id, k)]
    yield from store.execute(
        f"{curve}, chosen(deck_id, k) AS (VALUES {decks}) "
        "SELECT c.deck_id, c.id, coalesce(n.source_ref, ''), n.section, "
        f"s.state = 0, {_recall(at_ms)} FROM chosen "
        "JOIN cards c ON c.deck_id = chosen.deck_id "
        f"JOIN card_state s ON s.card_id = c.id {_NOTE} "
        f"{join.removeprefix('CROSS ')} "
        "WHERE c.retired = 0 ORDER BY chosen.k, n.position, c.ord",
        [*values, *params],
    )


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
