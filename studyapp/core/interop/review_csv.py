"""Export the review log as CSV, one row per answer, for instructors' spreadsheets."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from studyapp.core.clock import from_ms, to_ms
from studyapp.core.csv_safe import SafeWriter
from studyapp.core.model import Rating, State
from studyapp.core.store import stats_queries as queries
from studyapp.core.store.database import Store

COLUMNS = (
    "review_id",
    "reviewed_at",
    "deck_id",
    "deck_title",
    "note_id",
    "card_id",
    "card_ord",
    "kind",
    "front",
    "rating",
    "rating_name",
    "duration_s",
    "state_before",
    "due_after",
    "stability_after",
    "difficulty_after",
)


def export_history(
    store: Store,
    out: Path,
    *,
    deck_ids: list[str] | None = None,
    since: datetime | None = None,
) -> int:
    """Write the review log to a CSV file, oldest answer first.

    Times are ISO 8601 UTC. The file is UTF-8 with a byte-order mark so that
    spreadsheet programs read accents right; it is written to a temporary
    file and renamed, so a failed export leaves no half file behind.

    Args:
        store: The open store.
        out: The CSV file to write (replaced if it exists).
        deck_ids: Only these decks' reviews (all when None).
        since: Only answers given at or after this time.

    Returns:
        How many reviews were written.
    """
    rows = queries.review_log_rows(
        store,
        deck_ids=deck_ids,
        since_ms=None if since is None else to_ms(since),
    )
    partial = out.with_name(f".{out.name}.partial")
    count = 0
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as file:
            writer = SafeWriter(file)
            writer.writerow(COLUMNS)
            for row in rows:
                writer.writerow(_csv_row(row))
                count += 1
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return count


def _csv_row(row: tuple[Any, ...]) -> list[object]:
    (review_id, at, deck_id, title, note_id, card_id, ord_, kind, front) = row[:9]
    rating, duration_ms, before, due, stability, difficulty = row[9:]
    return [
        review_id,
        _iso(at),
        deck_id or "",
        title,
        note_id or "",
        card_id,
        "" if ord_ is None else ord_,
        kind,
        front,
        rating,
        _name(Rating, rating),
        f"{int(duration_ms or 0) / 1000:.3f}",
        _name(State, before),
        _iso(due),
        "" if stability is None else f"{float(stability):.4f}",
        "" if difficulty is None else f"{float(difficulty):.4f}",
    ]


def _iso(ms: object) -> str:
    if not isinstance(ms, int):
        return ""
    return from_ms(ms).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _name(enum_type: type[Rating] | type[State], value: Any) -> str:
    try:
        return enum_type(value).name.lower()
    except ValueError:
        return ""
