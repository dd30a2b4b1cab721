"""Scheduling, review history and media into an exported Anki collection.

genanki writes the notes and cards of a package as new cards. This adds,
into that same collection (schema 11): each studied card's Anki type,
queue, due, interval and FSRS memory state (``data`` s/d), its suspended /
buried / flag state, and one revlog row per answer in our review log, so
Anki's importer "with scheduling" sees the same reviews and non-new cards.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from studyapp.core.clock import to_ms
from studyapp.core.interop.anki_media import STORED_NAME, referenced
from studyapp.core.model import CardState, CardType, Deck, State
from studyapp.core.store import anki_rows
from studyapp.core.store.anki_rows import HeldCard
from studyapp.core.store.database import Store

DAY_S = 86_400


@dataclass(frozen=True, slots=True)
class ExportedHistory:
    """What went into the package beyond the notes."""

    scheduled_cards: int = 0
    revlog_rows: int = 0
    media_files: tuple[Path, ...] = ()


def add_history(
    db: sqlite3.Connection,
    store: Store,
    decks: Iterable[Deck],
    guid_of: dict[tuple[str, str], str],
) -> ExportedHistory:
    """Write card states and the review log into genanki's collection ``db``.

    Args:
        db: The collection genanki wrote, still open.
        store: Our store, to read states and reviews from.
        decks: The exported decks.
        guid_of: The Anki note guid of each (deck id, note id).
    """
    # genanki's collection says nothing of its scheduler, which Anki reads as
    # the old v1 one and then renumbers learning answers (3 -> 4): say v2.
    db.execute("UPDATE col SET conf = json_set(conf, '$.schedVer', 2)")
    crt = int(db.execute("SELECT crt FROM col").fetchone()[0])
    anki_cards = {
        (str(guid), int(ord_)): int(cid)
        for cid, guid, ord_ in db.execute(
            "SELECT c.id, n.guid, c.ord FROM cards c JOIN notes n ON n.id = c.nid"
        )
    }
    used_ids: set[int] = set()
    scheduled = rows = 0
    for deck in decks:
        cloze = {spec.id for spec in deck.cards if spec.type is CardType.CLOZE}
        for card_id, note_id, ord_ in anki_rows.cards_of_deck(store, deck.id):
            guid = guid_of.get((deck.id, note_id))
            anki_ord = ord_ - 1 if note_id in cloze else ord_
            anki_id = anki_cards.get((guid or "", anki_ord))
            if anki_id is None:
                continue
            state = store.card_state(card_id)
            held = anki_rows.held_state(store, card_id)
            if state.state is not State.NEW or held.suspended or held.flag:
                _write_card(db, anki_id, state, held, crt)
                scheduled += state.state is not State.NEW
            rows += _write_revlog(db, anki_id, store, card_id, used_ids)
    return ExportedHistory(scheduled_cards=scheduled, revlog_rows=rows)


def _write_card(
    db: sqlite3.Connection, anki_id: int, state: CardState, held: HeldCard, crt: int
) -> None:
    kind = int(state.state)  # Anki's card types match ours: 0 new ... 3 relearn
    due_s = to_ms(state.due) // 1000
    if state.state is State.REVIEW:
        due, queue = (due_s - crt) // DAY_S, 2
    elif state.state is State.NEW:
        due, queue = 0, 0
    else:
        due, queue = due_s, 1  # intraday learning: due in epoch seconds
    last_s = to_ms(state.last_review) // 1000 if state.last_review else due_s
    interval = max(0, (due_s - last_s) // DAY_S) if state.state is State.REVIEW else 0
    if held.suspended:
        queue = -1
    elif held.buried_until_ms:
        queue = -3
    data = ""
    if state.stability is not None and state.difficulty is not None:
        memory = {"s": round(state.stability, 4), "d": round(state.difficulty, 3)}
        data = json.dumps({**memory, "lrt": last_s}, separators=(",", ":"))
    db.execute(
        "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, "
        "reps = ?, lapses = ?, left = ?, flags = ?, data = ? WHERE id = ?",
        (
            kind,
            queue,
            due,
            interval,
            2500 if kind else 0,
            state.reps,
            state.lapses,
            1001 if queue == 1 else 0,
            held.flag,
            data,
            anki_id,
        ),
    )


def _write_revlog(
    db: sqlite3.Connection,
    anki_id: int,
    store: Store,
    card_id: int,
    used_ids: set[int],
) -> int:
    rows = []
    for time_ms, rating, duration_ms, revlog_type in anki_rows.anki_history(
        store, card_id
    ):
        revlog_id = time_ms
        while revlog_id in used_ids:  # revlog ids are unique: Anki bumps them too
            revlog_id += 1
        used_ids.add(revlog_id)
        rows.append((revlog_id, anki_id, rating, duration_ms, revlog_type))
    db.executemany(
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
        "VALUES (?, ?, -1, ?, 0, 0, 2500, ?, ?)",
        rows,
    )
    return len(rows)


def media_of(decks: Iterable[Deck], media_dir: Path | None) -> list[Path]:
    """The stored media files the decks' notes use, that exist in ``media_dir``."""
    if media_dir is None:
        return []
    names: set[str] = set()
    for deck in decks:
        for spec in deck.cards:
            for text in (spec.front, spec.back, spec.cloze):
                if "<img" in text or "[sound:" in text:
                    images, sounds = referenced(text)
                    names |= images | sounds
    found = (media_dir / name for name in sorted(names) if STORED_NAME.match(name))
    return [path for path in found if path.is_file()]
