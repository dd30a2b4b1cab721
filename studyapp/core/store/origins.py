"""Where stored decks and sources came from, so an import updates only its own."""

from __future__ import annotations

from typing import NamedTuple

from studyapp.core.store.database import Store


class Origin(NamedTuple):
    """The file a stored deck was imported from, and its notes' ids."""

    path: str
    note_ids: frozenset[str]


def deck_origin(store: Store, deck_id: str) -> Origin | None:
    """Where the stored deck ``deck_id`` came from; None if there is none."""
    row = store.execute("SELECT path FROM decks WHERE id = ?", (deck_id,)).fetchone()
    if row is None:
        return None
    notes = store.execute("SELECT note_id FROM notes WHERE deck_id = ?", (deck_id,))
    return Origin(str(row[0] or ""), frozenset(str(n) for (n,) in notes))


def deck_ids(store: Store) -> set[str]:
    """Every stored deck id."""
    return {str(i) for (i,) in store.execute("SELECT id FROM decks")}


def source_fields(store: Store, source_id: str) -> tuple[str, ...] | None:
    """A stored source's title, citation, doi, url, authors, date, kind, text_path."""
    row = store.execute(
        "SELECT title, citation, doi, url, authors, date, kind, text_path "
        "FROM sources WHERE id = ?",
        (source_id,),
    ).fetchone()
    return None if row is None else tuple(str(v) for v in row)
