"""Anki's review log and card states, read from a package's collection.

Anki's revlog types: 0 learn, 1 review, 2 relearn, 3 filtered (cram),
4 manual, 5 rescheduled. Answers (ease 1-4) of types 0-2, and of type 3
when the filtered deck rescheduled (factor not 0), are the learner's
history. As Anki's FSRS does, manual and rescheduled rows (set due date,
reset) and ease-0 rows are not answers; a reset ("Forget": type 4 with
factor 0) makes the card new again, so its replay starts afresh there.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import NamedTuple, TypeVar

from studyapp.core.interop.anki_notetypes import card_id_for_guid

ANSWER_TYPES = (0, 1, 2, 3)
MANUAL, RESCHEDULED, FILTERED = 4, 5, 3
QUEUE_SUSPENDED = -1
QUEUE_BURIED = (-2, -3)  # by the scheduler, by the user
_Row = TypeVar("_Row")
LATEST_MS = 4_102_444_800_000  # 2100-01-01: a later revlog time is damage


class AnkiCard(NamedTuple):
    """One Anki card: which note and ord it is, and its queue state."""

    anki_id: int
    note_id: str  # our note id (from the Anki note's guid)
    anki_ord: int
    suspended: bool
    buried: bool
    flag: int  # 0 none, 1 red ... 7 purple
    memory: tuple[float, float] | None  # FSRS (stability, difficulty) Anki stored
    studied: bool  # not new in Anki (type 1-3)


class RevlogRow(NamedTuple):
    """One revlog row: ``kind`` 'answer', 'reset' or 'skip' (see the module)."""

    anki_id: int  # ms since the epoch: when it happened
    card: int  # Anki card id
    ease: int
    duration_ms: int
    type: int
    kind: str


class CollectionError(Exception):
    """The collection's cards or review log cannot be read."""


def read_cards(db: sqlite3.Connection) -> Iterator[AnkiCard]:
    """Every card of the collection with its note's guid, in card id order.

    Raises:
        CollectionError: If the collection is damaged.
    """
    return _guarded(_cards(db), "cards")


def _guarded(rows: Iterator[_Row], what: str) -> Iterator[_Row]:
    """The rows, a damaged collection's errors turned into CollectionError."""
    try:
        yield from rows
    except (sqlite3.Error, ValueError, TypeError) as error:
        raise CollectionError(f"cannot read its {what}: {error}") from error


def _cards(db: sqlite3.Connection) -> Iterator[AnkiCard]:
    rows = db.execute(
        "SELECT c.id, n.guid, c.ord, c.queue, c.flags, c.data, c.type FROM cards c "
        "JOIN notes n ON n.id = c.nid ORDER BY c.id"
    )
    for card_id, guid, ord_, queue, flags, data, type_ in rows:
        yield AnkiCard(
            anki_id=int(card_id),
            note_id=card_id_for_guid(str(guid)),
            anki_ord=int(ord_),
            suspended=queue == QUEUE_SUSPENDED,
            buried=queue in QUEUE_BURIED,
            flag=int(flags) & 7,
            memory=memory_state(data),
            studied=type_ != 0,
        )


def memory_state(data: object) -> tuple[float, float] | None:
    """The FSRS memory state Anki keeps in a card's ``data`` JSON, if any."""
    if not isinstance(data, str) or '"s"' not in data:
        return None
    try:
        values = json.loads(data)
        return float(values["s"]), float(values["d"])
    except (ValueError, KeyError, TypeError):
        return None


def classify(anki_id: int, ease: int, type_: int, factor: int) -> str:
    """Whether a revlog row is an answer, a reset or neither (see the module)."""
    if not 0 < anki_id < LATEST_MS:
        return "skip"  # no plausible time: the id is the answer's time
    if type_ == MANUAL and factor == 0 and ease == 0:
        return "reset"
    if not 1 <= ease <= 4 or type_ not in ANSWER_TYPES:
        return "skip"
    if type_ == FILTERED and factor == 0:
        return "skip"  # cram in a filtered deck that does not reschedule
    return "answer"


def read_revlog(db: sqlite3.Connection) -> Iterator[RevlogRow]:
    """The revlog, card by card and in time order within a card.

    Streams: SQLite sorts on disk when it must, so a million rows are never
    all in memory.

    Raises:
        CollectionError: If the collection is damaged.
    """
    return _guarded(_revlog(db), "review log")


def _revlog(db: sqlite3.Connection) -> Iterator[RevlogRow]:
    rows = db.execute(
        "SELECT id, cid, ease, time, type, factor FROM revlog ORDER BY cid, id"
    )
    make = tuple.__new__  # RevlogRow(...) without its Python-level __new__
    for anki_id, card, ease, duration, type_, factor in rows:
        anki_id, ease, type_ = int(anki_id), int(ease), int(type_)
        kind = classify(anki_id, ease, type_, int(factor))
        yield make(
            RevlogRow, (anki_id, int(card), ease, max(0, int(duration)), type_, kind)
        )
