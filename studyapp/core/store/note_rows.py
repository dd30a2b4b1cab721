"""Writing a deck's notes and cards: added, edited, moved or retired."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from studyapp.core.decks.cloze import cloze_numbers
from studyapp.core.model import CardKind, CardSpec, CardType, ImportSummary
from studyapp.core.store.database import Store


def card_ords(spec: CardSpec) -> list[int]:
    """The review cards a note yields: 0 front, 1 reversed, N cloze N."""
    if spec.type is CardType.CLOZE:
        return cloze_numbers(spec.cloze)
    if spec.type is CardType.REVERSED:
        return [0, 1]
    return [0]


def _json_list(items: tuple[str, ...], known: dict[tuple[str, ...], str]) -> str:
    """``items`` as JSON; ``known`` remembers lists seen before (decks reuse tags)."""
    text = known.get(items)
    if text is None:
        text = known[items] = json.dumps(items, separators=(",", ":"))
    return text


def _note_values(
    deck_id: str, spec: CardSpec, position: int, lists: dict[tuple[str, ...], str]
) -> tuple[Any, ...]:
    """A note's row for _NOTE_INSERT and _NOTE_UPDATE.

    Its content comes first, as _STORED_CONTENT reads it back, then the
    position, deck id and note id.

    No None or bytes among the values: Python's sqlite3 binds str, int and
    float directly but looks every other type up in its adapter registry,
    which took a third of the note inserts at 100,000 cards (benchmarks). So
    "no study" and "no source" are '', stored as NULL by the SQL.
    """
    anchor = spec.source
    return (
        _KIND_VALUES[spec.kind],
        _TYPE_VALUES[spec.type],
        spec.front,
        spec.back,
        spec.cloze,
        _json_list(spec.tags, lists),
        _json_list(spec.steps, lists),
        json.dumps(asdict(spec.study)) if spec.study else "",
        anchor.ref if anchor else "",
        anchor.section if anchor else "",
        anchor.quote if anchor else "",
        position,
        deck_id,
        spec.id,
    )


_CONTENT_FIELDS = 11  # the values of _note_values before the position
_STORED_CONTENT = (
    "kind, type, front, back, cloze, tags, steps, coalesce(study, ''), "
    "coalesce(source_ref, ''), section, quote"
)
_KIND_VALUES = {kind: kind.value for kind in CardKind}
_TYPE_VALUES = {type_: type_.value for type_ in CardType}
# quote_start/quote_end are filled in by Store.quote_span on first display.
_NOTE_INSERT = (
    "INSERT INTO notes (kind, type, front, back, cloze, tags, steps, study, "
    "source_ref, section, quote, quote_start, quote_end, position, deck_id, "
    "note_id) VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), NULLIF(?, ''), ?, ?, "
    "NULL, NULL, ?, ?, ?)"
)
_NOTE_UPDATE = (
    "UPDATE notes SET kind = ?, type = ?, front = ?, back = ?, cloze = ?, tags = ?, "
    "steps = ?, study = NULLIF(?, ''), source_ref = NULLIF(?, ''), section = ?, "
    "quote = ?, quote_start = NULL, quote_end = NULL, position = ?, retired = 0 "
    "WHERE deck_id = ? AND note_id = ?"
)


class NoteWriter:
    """Writes one deck's notes and their cards as they come, then retires the rest.

    Cards are matched by (deck id, card id): edited cards keep their history
    and state, new ones are added, missing ones are retired (kept, hidden).
    ``add`` takes the deck's cards in file order, in one go or in chunks (a
    deck read a chunk at a time, ``decks.stream``); ``finish`` retires what
    did not come and makes the new cards due. Call both inside one
    transaction.
    """

    def __init__(self, store: Store, deck_id: str, now_ms: int) -> None:
        self.store = store
        self.deck_id = deck_id
        self.now_ms = now_ms
        # A note is edited when anything a learner sees differs from what is
        # stored; a new place in the file alone only moves it (not "updated").
        self.existing = {
            row[0]: row[1:]
            for row in store.execute(
                f"SELECT note_id, position, retired, {_STORED_CONTENT} FROM notes "
                "WHERE deck_id = ?",
                (deck_id,),
            )
        }
        self.first_new_card = store.execute(
            "SELECT coalesce(max(id), 0) FROM cards"
        ).fetchone()[0]
        self.kept: set[str] = set()
        self.count = 0  # cards added so far: the next one's position
        self.added = self.updated = self.unchanged = 0
        self._lists: dict[tuple[str, ...], str] = {}

    def add(self, specs: Sequence[CardSpec]) -> None:
        """Write the next cards of the deck (in file order)."""
        deck_id, existing, lists = self.deck_id, self.existing, self._lists
        inserts, updates, moves = [], [], []
        added: list[CardSpec] = []
        edited: list[CardSpec] = []
        for position, spec in enumerate(specs, self.count):
            values = _note_values(deck_id, spec, position, lists)
            old = existing.get(spec.id)
            if old is None:
                inserts.append(values)
                added.append(spec)
            elif old[1] or old[2:] != values[:_CONTENT_FIELDS]:
                updates.append(values)
                edited.append(spec)
            else:
                self.unchanged += 1
                if old[0] != position:  # reordered in the file: new cards follow it
                    moves.append((position, deck_id, spec.id))
        if existing:  # only they can be retired (finish)
            self.kept.update(spec.id for spec in specs)
        self.count += len(specs)
        conn = self.store.conn
        conn.executemany(_NOTE_INSERT, inserts)
        conn.executemany(_NOTE_UPDATE, updates)
        conn.executemany(
            "UPDATE notes SET position = ? WHERE deck_id = ? AND note_id = ?", moves
        )
        if self.existing or edited or not _all_single(added):
            _sync_cards(self.store, deck_id, added, edited)
        else:  # a new deck's plain notes: their cards made by SQLite
            conn.execute(_FIRST_CARDS, (deck_id, self.count - len(specs), self.count))
        self.added += len(inserts)
        self.updated += len(updates)

    def finish(self) -> ImportSummary:
        """Retire the notes that did not come; make the new cards due."""
        deck_id, kept, conn = self.deck_id, self.kept, self.store.conn
        gone = [
            (deck_id, note_id)
            for note_id, (_, retired, *_) in self.existing.items()
            if note_id not in kept and not retired
        ]
        conn.executemany(
            "UPDATE notes SET retired = 1 WHERE deck_id = ? AND note_id = ?", gone
        )
        conn.executemany(
            "UPDATE cards SET retired = 1 WHERE deck_id = ? AND note_id = ?", gone
        )
        # New cards (of new notes, or new ords of edited ones) are the ones
        # above the old largest id: revived cards kept their state.
        new_cards = conn.execute(
            "INSERT INTO card_state (card_id, due) SELECT id, ? FROM cards "
            "WHERE id > ?",
            (self.now_ms, self.first_new_card),
        ).rowcount
        return ImportSummary(
            deck_id,
            added=self.added,
            updated=self.updated,
            unchanged=self.unchanged,
            retired=len(gone),
            cards_added=new_cards,
        )


#: One card (ord 0) for each note of a new deck at positions [?, ?), in
#: their order: 0.2 s less than binding a row each at 100k (issue 21).
_FIRST_CARDS = (
    "INSERT INTO cards (deck_id, note_id, ord) SELECT deck_id, note_id, 0 "
    "FROM notes WHERE deck_id = ? AND position >= ? AND position < ? "
    "ORDER BY position"
)
_MORE_CARDS = frozenset((CardType.CLOZE, CardType.REVERSED))


def _all_single(specs: list[CardSpec]) -> bool:
    """Whether each note yields one card, ord 0 (``card_ords``)."""
    return not any(spec.type in _MORE_CARDS for spec in specs)


def _sync_cards(
    store: Store, deck_id: str, added: list[CardSpec], edited: list[CardSpec]
) -> None:
    """Make each new or edited note's cards match its ords: add, revive, retire."""
    conn = store.conn
    rows: list[tuple[str, str, int]] = []
    for spec in added + edited:
        rows.extend((deck_id, spec.id, ord_) for ord_ in card_ords(spec))
    conn.executemany(
        "INSERT INTO cards (deck_id, note_id, ord) VALUES (?, ?, ?) "
        "ON CONFLICT (deck_id, note_id, ord) DO UPDATE SET retired = 0",
        rows,
    )
    for spec in edited:  # new notes have no cards to retire
        ords = card_ords(spec)
        marks = ", ".join("?" for _ in ords)
        conn.execute(
            f"UPDATE cards SET retired = 1 WHERE deck_id = ? AND note_id = ? "
            f"AND ord NOT IN ({marks})",
            (deck_id, spec.id, *ords),
        )
