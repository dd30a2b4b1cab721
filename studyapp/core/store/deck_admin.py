"""Whole-deck changes in SQL: rename, delete (kept in memory for undo), move notes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from studyapp.core.errors import StoreError
from studyapp.core.store import lazy_tables
from studyapp.core.store.database import Store

# Child tables first: the order rows are deleted in, reversed to put them back.
_DECK_TABLES = (
    ("reviews", "card_id IN (SELECT id FROM cards WHERE deck_id = ?)"),
    ("card_state", "card_id IN (SELECT id FROM cards WHERE deck_id = ?)"),
    ("cards", "deck_id = ?"),
    ("notes", "deck_id = ?"),
    ("settings", "scope = ?"),
    ("decks", "id = ?"),
)


@dataclass(frozen=True, slots=True)
class DeckRows:
    """Every row of one deck, its cards' states and answers: a deleted deck."""

    deck_id: str
    tables: tuple[tuple[str, tuple[str, ...], tuple[tuple[Any, ...], ...]], ...]
    exam_links: tuple[tuple[int, int, int], ...]  # (exam, position, card id)

    @property
    def card_count(self) -> int:
        """How many review cards the deck had."""
        return next(len(rows) for name, _, rows in self.tables if name == "cards")


def title(store: Store, deck_id: str) -> str:
    """A deck's title.

    Raises:
        StoreError: If there is no such deck.
    """
    row = store.execute("SELECT title FROM decks WHERE id = ?", (deck_id,)).fetchone()
    if row is None:
        raise StoreError(f"no deck with id '{deck_id}'")
    return str(row[0])


def rename(store: Store, deck_id: str, new_title: str) -> None:
    """Set a deck's title in the database."""
    with store.transaction():
        store.execute("UPDATE decks SET title = ? WHERE id = ?", (new_title, deck_id))


def delete(store: Store, deck_id: str) -> DeckRows:
    """Delete a deck with its cards, states and answers; returns what was removed.

    Exam answers keep their copied text; their link to a deleted card is
    cleared (and put back by ``restore``).
    """
    title(store, deck_id)  # raises for an unknown deck
    with store.transaction():
        links: list[Any] = []
        if lazy_tables.exists(store.conn, "exams"):
            links = store.execute(
                "SELECT exam_id, position, card_id FROM exam_answers WHERE card_id "
                "IN (SELECT id FROM cards WHERE deck_id = ?)",
                (deck_id,),
            ).fetchall()
            store.execute(
                "UPDATE exam_answers SET card_id = NULL WHERE card_id IN "
                "(SELECT id FROM cards WHERE deck_id = ?)",
                (deck_id,),
            )
        saved = []
        for table, where in _DECK_TABLES:
            cursor = store.execute(f"SELECT * FROM {table} WHERE {where}", (deck_id,))
            columns = tuple(d[0] for d in cursor.description)
            saved.append((table, columns, tuple(cursor.fetchall())))
            store.execute(f"DELETE FROM {table} WHERE {where}", (deck_id,))
    return DeckRows(deck_id, tuple(saved), tuple(links))


def restore(store: Store, rows: DeckRows) -> None:
    """Put a deleted deck back exactly (undo of ``delete``)."""
    with store.transaction():
        for table, columns, values in reversed(rows.tables):
            marks = ", ".join("?" * len(columns))
            store.conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values
            )
        if rows.exam_links:  # there were exams when the deck was deleted
            store.conn.executemany(
                "UPDATE exam_answers SET card_id = ? "
                "WHERE exam_id = ? AND position = ?",
                ((card, exam, position) for exam, position, card in rows.exam_links),
            )


def move_notes(
    store: Store, from_deck: str, to_deck: str, note_ids: Sequence[str]
) -> None:
    """Move notes (and their cards, with their history) to another deck.

    Raises:
        StoreError: If the other deck already has a note with one of the ids.
    """
    marks = ", ".join("?" * len(note_ids))
    clash = store.execute(
        f"SELECT note_id FROM notes WHERE deck_id = ? AND note_id IN ({marks})",
        (to_deck, *note_ids),
    ).fetchall()
    if clash:
        names = ", ".join(row[0] for row in clash)
        raise StoreError(f"deck '{to_deck}' already has cards with ids {names}")
    with store.transaction():
        # The cards' key points at the notes' key: check both once moved.
        store.execute("PRAGMA defer_foreign_keys = ON")
        last = store.execute(
            "SELECT coalesce(max(position), -1) FROM notes WHERE deck_id = ?",
            (to_deck,),
        ).fetchone()[0]
        for offset, note_id in enumerate(note_ids, start=1):
            store.execute(
                "UPDATE notes SET deck_id = ?, position = ? "
                "WHERE deck_id = ? AND note_id = ?",
                (to_deck, last + offset, from_deck, note_id),
            )
            store.execute(
                "UPDATE cards SET deck_id = ? WHERE deck_id = ? AND note_id = ?",
                (to_deck, from_deck, note_id),
            )


def note_ids_of_cards(store: Store, card_ids: Sequence[int]) -> list[tuple[str, str]]:
    """The distinct (deck id, note id) of some review cards, in card order."""
    marks = ", ".join("?" * len(card_ids))
    rows = store.execute(
        f"SELECT deck_id, note_id FROM cards WHERE id IN ({marks}) ORDER BY id",
        tuple(card_ids),
    ).fetchall()
    return list(dict.fromkeys((str(d), str(n)) for d, n in rows))


def path_of(store: Store, deck_id: str) -> str:
    """The deck file a deck was imported from ("" when none)."""
    row = store.execute("SELECT path FROM decks WHERE id = ?", (deck_id,)).fetchone()
    return str(row[0]) if row else ""
