"""SQL for Anki's data in the store: imported review rows and card states."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

from studyapp.core.store.database import Store

#: One answer from Anki, with what the replay gave around it: a log row of
#: (card id, reviewed_at ms (Anki's revlog id, the answer's time), rating,
#: duration ms, state before, the state before as JSON (state_to_json),
#: stability after, difficulty after, due ms after, Anki id, Anki type).
ImportedReview = tuple[int, int, int, int, int, str, float, float, int, int, int]
#: A card's card_state values after a replay, card id last: (state, step,
#: stability, difficulty, due ms, last review ms, reps, lapses, card id).
StateValues = tuple[
    int, int | None, float | None, float | None, int, int | None, int, int, int
]


class HeldCard(NamedTuple):
    """Anki's queue state of one of our cards."""

    card_id: int
    suspended: bool
    buried_until_ms: int  # 0: not buried (stored as NULL on ``cards``)
    flag: int


_REVIEW_INSERT = (
    "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, "
    "state_before, before, stability, difficulty, due, anki_id, anki_type) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_STATE_UPDATE = (
    "UPDATE card_state SET state = ?, step = ?, stability = ?, difficulty = ?, "
    "due = ?, last_review = ?, reps = ?, lapses = ? WHERE card_id = ?"
)


def card_ids(store: Store, deck_ids: Iterable[str]) -> dict[tuple[str, int], int]:
    """Our live cards of some decks, by (note id, ord)."""
    found: dict[tuple[str, int], int] = {}
    for deck_id in deck_ids:
        rows = store.execute(
            "SELECT note_id, ord, id FROM cards WHERE deck_id = ? AND retired = 0",
            (deck_id,),
        )
        found.update(((note_id, ord_), id_) for note_id, ord_, id_ in rows)
    return found


def cards_with_reviews(store: Store, deck_ids: Iterable[str]) -> set[int]:
    """Cards of these decks that already have rows in the review log."""
    found: set[int] = set()
    for deck_id in deck_ids:
        rows = store.execute(
            "SELECT DISTINCT r.card_id FROM cards c JOIN reviews r "
            "ON r.card_id = c.id WHERE c.deck_id = ?",
            (deck_id,),
        )
        found.update(row[0] for row in rows)
    return found


def known_anki_ids(store: Store, card_id: int) -> set[int]:
    """The Anki revlog ids already imported for a card."""
    rows = store.execute(
        "SELECT anki_id FROM reviews WHERE card_id = ? AND anki_id IS NOT NULL",
        (card_id,),
    )
    return {row[0] for row in rows}


def answers_of(store: Store, card_id: int) -> list[tuple[int, int, int | None]]:
    """A card's logged answers as (time ms, rating, Anki id), oldest first."""
    rows = store.execute(
        "SELECT reviewed_at, rating, anki_id FROM reviews WHERE card_id = ? "
        "ORDER BY reviewed_at, id",
        (card_id,),
    )
    return [(int(t), int(r), a) for t, r, a in rows]


def insert_reviews(store: Store, reviews: Iterable[ImportedReview]) -> int:
    """Add answers to the review log (the caller leaves out those already there).

    Returns:
        How many rows were added.
    """
    conn = store.conn
    before = conn.total_changes
    conn.executemany(_REVIEW_INSERT, reviews)
    return conn.total_changes - before


def save_states(store: Store, states: Iterable[StateValues]) -> None:
    """Store cards' scheduling states (after a replay)."""
    store.conn.executemany(_STATE_UPDATE, states)


def hold_cards(store: Store, held: Iterable[HeldCard]) -> None:
    """Store Anki's suspended / buried / flag states on our cards."""
    store.conn.executemany(
        "UPDATE cards SET suspended = ?, buried_until = ?, flag = ? WHERE id = ?",
        [
            (int(h.suspended), h.buried_until_ms or None, h.flag, h.card_id)
            for h in held
        ],
    )


def held_counts(store: Store) -> dict[str, int]:
    """Live cards suspended, buried and flagged."""
    row = store.execute(
        "SELECT coalesce(sum(suspended), 0), "
        "coalesce(sum(buried_until IS NOT NULL), 0), coalesce(sum(flag > 0), 0) "
        "FROM cards WHERE retired = 0"
    ).fetchone()
    return {"suspended": row[0], "buried": row[1], "flagged": row[2]}


def held_state(store: Store, card_id: int) -> HeldCard:
    """A card's suspended / buried / flag state."""
    row = store.execute(
        "SELECT suspended, coalesce(buried_until, 0), flag FROM cards WHERE id = ?",
        (card_id,),
    ).fetchone()
    return HeldCard(card_id, bool(row[0]), int(row[1]), int(row[2]))


def anki_history(store: Store, card_id: int) -> list[tuple[int, int, int, int]]:
    """A card's imported or logged answers for export: (ms, rating, ms spent, type).

    ``type`` is Anki's revlog type: the imported one, else from the state
    before the answer (0 new/learning -> learn, 2 review, 3 relearning).
    """
    rows = store.execute(
        "SELECT reviewed_at, rating, duration_ms, coalesce(anki_type, CASE "
        "state_before WHEN 2 THEN 1 WHEN 3 THEN 2 ELSE 0 END) FROM reviews "
        "WHERE card_id = ? ORDER BY reviewed_at, id",
        (card_id,),
    )
    return [(int(a), int(b), int(c), int(d)) for a, b, c, d in rows]


def count_cards(store: Store) -> int:
    """Cards in the collection, live or retired."""
    return int(store.execute("SELECT count(*) FROM cards").fetchone()[0])


def with_subdecks(store: Store, deck_ids: list[str]) -> list[str]:
    """The decks and every deck nested under them (``A`` holds ``A::B``)."""
    titles = dict(store.execute("SELECT id, title FROM decks").fetchall())
    prefixes = tuple(f"{titles[d]}::" for d in deck_ids if d in titles)
    nested = [d for d, title in titles.items() if title.startswith(prefixes)]
    return list(dict.fromkeys([*deck_ids, *sorted(nested)]))


def cards_of_deck(store: Store, deck_id: str) -> list[tuple[int, str, int]]:
    """A deck's live cards as (card id, note id, ord)."""
    rows = store.execute(
        "SELECT id, note_id, ord FROM cards WHERE deck_id = ? AND retired = 0 "
        "ORDER BY id",
        (deck_id,),
    )
    return [(int(a), str(b), int(c)) for a, b, c in rows]


#: The page cache while a package's history is written. The bulk import's
#: 256 MiB (deck_rows.bulk_transaction) would fill up with a million review
#: rows and their indexes: peak memory above Anki's own importer (issue 13).
#: With less, SQLite writes pages out during the transaction instead.
HISTORY_CACHE_KIB = 48 * 1024


@contextmanager
def limited_cache(store: Store) -> Iterator[None]:
    """Cap the page cache at HISTORY_CACHE_KIB for a block; then put it back."""
    old = int(store.execute("PRAGMA cache_size").fetchone()[0])
    page_kib = int(store.execute("PRAGMA page_size").fetchone()[0]) // 1024
    old_kib = -old if old < 0 else old * page_kib
    store.execute(f"PRAGMA cache_size = {-min(old_kib, HISTORY_CACHE_KIB)}")
    try:
        yield
    finally:
        store.execute(f"PRAGMA cache_size = {old}")
