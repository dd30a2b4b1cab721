"""SQL for FSRS tuning: the review log by scope, stored runs, reschedule undo.

Belongs with the store (all SQL); kept apart so issue 12's move is one file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from studyapp.core.clock import from_ms, to_ms
from studyapp.core.model import CardState, Rating
from studyapp.core.store import lazy_tables
from studyapp.core.store.codecs import (
    state_from_json,
    state_from_row,
    state_to_json,
    state_values,
)
from studyapp.core.store.database import Store
from studyapp.core.study.optimize import LoggedReview, OptimizationResult, StoredRun

_STATE_COLUMNS = (
    "s.card_id, s.state, s.step, s.stability, s.difficulty, s.due, "
    "s.last_review, s.reps, s.lapses"
)


def deck_ids_in(store: Store, scope: str) -> list[str]:
    """The deck ids a scope covers: every deck, or a deck and its subdecks."""
    if not scope:
        return [row[0] for row in store.execute("SELECT id FROM decks ORDER BY id")]
    rows = store.execute(
        "SELECT id FROM decks WHERE id = ? OR substr(id, 1, ?) = ? ORDER BY id",
        (scope, len(scope) + 2, scope + "::"),
    )
    return [row[0] for row in rows]


def logged_reviews(store: Store, deck_ids: Sequence[str]) -> list[LoggedReview]:
    """Every review of the decks' cards, oldest first."""
    marks = ",".join("?" * len(deck_ids))
    rows = store.execute(
        "SELECT r.card_id, r.rating, r.reviewed_at, r.duration_ms FROM reviews r "
        f"JOIN cards c ON c.id = r.card_id WHERE c.deck_id IN ({marks}) "
        "ORDER BY r.reviewed_at, r.id",
        tuple(deck_ids),
    )
    return [LoggedReview(c, Rating(r), from_ms(t), d) for c, r, t, d in rows]


def review_rows(store: Store, deck_ids: Sequence[str]) -> list[tuple[int, int, int]]:
    """(card id, rating, epoch ms) of the decks' reviews, by card, then time."""
    marks = ",".join("?" * len(deck_ids))
    return store.execute(
        # Walks the reviews_card index in order: no sort (a join sorted).
        "SELECT card_id, rating, reviewed_at FROM reviews WHERE card_id IN "
        f"(SELECT id FROM cards WHERE deck_id IN ({marks})) "
        "ORDER BY card_id, reviewed_at",
        tuple(deck_ids),
    ).fetchall()


def count_cards(store: Store, deck_ids: Sequence[str]) -> int:
    """Live cards in the decks."""
    marks = ",".join("?" * len(deck_ids))
    row = store.execute(
        f"SELECT count(*) FROM cards WHERE retired = 0 AND deck_id IN ({marks})",
        tuple(deck_ids),
    ).fetchone()
    return int(row[0])


def save_run(
    store: Store, result: OptimizationResult, *, scope: str, now: datetime
) -> int:
    """Store a run; returns its id."""
    with store.transaction():
        lazy_tables.ensure(store.conn, "optimization_runs")
        cursor = store.execute(
            "INSERT INTO optimization_runs (ran_at, scope, reviews, train_reviews, "
            "test_reviews, split_at, parameters_before, parameters_fitted, "
            "log_loss_current, log_loss_fitted, rmse_bins_current, "
            "rmse_bins_fitted, adopted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                to_ms(now),
                scope,
                result.reviews,
                result.train_reviews,
                result.current.reviews,
                to_ms(result.split_at),
                json.dumps(result.parameters_current),
                json.dumps(result.parameters_fitted),
                result.current.log_loss,
                result.fitted.log_loss,
                result.current.rmse_bins,
                result.fitted.rmse_bins,
                int(result.adopted),
            ),
        )
    assert cursor.lastrowid is not None  # an INSERT always sets it
    return cursor.lastrowid


def runs(store: Store, run_id: int | None = None) -> list[StoredRun]:
    """Stored runs, newest first (or the one with ``run_id``)."""
    if not lazy_tables.exists(store.conn, "optimization_runs"):
        return []
    where, params = ("WHERE o.id = ?", (run_id,)) if run_id is not None else ("", ())
    rows = store.execute(
        "SELECT o.id, o.ran_at, o.scope, o.reviews, o.train_reviews, o.test_reviews, "
        "o.split_at, o.parameters_before, o.parameters_fitted, o.log_loss_current, "
        "o.log_loss_fitted, o.rmse_bins_current, o.rmse_bins_fitted, o.adopted, "
        "(SELECT count(*) FROM reschedule_undo u WHERE u.run_id = o.id) "
        f"FROM optimization_runs o {where} ORDER BY o.id DESC",
        params,
    )
    return [
        StoredRun(
            row[0],
            from_ms(row[1]),
            row[2],
            row[3],
            row[4],
            row[5],
            from_ms(row[6]),
            tuple(json.loads(row[7])),
            tuple(json.loads(row[8])),
            row[9],
            row[10],
            row[11],
            row[12],
            bool(row[13]),
            row[14],
        )
        for row in rows
    ]


def card_states(store: Store, deck_ids: Sequence[str]) -> list[CardState]:
    """The scheduling state of every studied card in the decks."""
    marks = ",".join("?" * len(deck_ids))
    rows = store.execute(
        f"SELECT {_STATE_COLUMNS} FROM card_state s JOIN cards c ON c.id = s.card_id "
        f"WHERE s.last_review IS NOT NULL AND c.deck_id IN ({marks})",
        tuple(deck_ids),
    )
    return [state_from_row(tuple(row)) for row in rows]


def replace_states(
    store: Store, run_id: int, before: Iterable[CardState], after: Iterable[CardState]
) -> None:
    """Write new states, keeping the old ones for undo, in one transaction."""
    with store.transaction():
        lazy_tables.ensure(store.conn, "optimization_runs")
        store.conn.executemany(
            "INSERT OR REPLACE INTO reschedule_undo (run_id, card_id, before) "
            "VALUES (?, ?, ?)",
            ((run_id, s.card_id, state_to_json(s)) for s in before),
        )
        _write_states(store, after)


def undo_states(store: Store, run_id: int) -> int:
    """Put back the states a run's reschedule replaced; returns how many."""
    if not lazy_tables.exists(store.conn, "optimization_runs"):
        return 0
    rows = store.execute(
        "SELECT card_id, before FROM reschedule_undo WHERE run_id = ?", (run_id,)
    ).fetchall()
    with store.transaction():
        _write_states(store, (state_from_json(c, text) for c, text in rows))
        store.execute("DELETE FROM reschedule_undo WHERE run_id = ?", (run_id,))
    return len(rows)


def _write_states(store: Store, states: Iterable[CardState]) -> None:
    store.conn.executemany(
        "UPDATE card_state SET state = ?, step = ?, stability = ?, "
        "difficulty = ?, due = ?, last_review = ?, reps = ?, lapses = ? "
        "WHERE card_id = ?",
        ((*state_values(s)[1:], s.card_id) for s in states),
    )
