"""Generators of hostile Anki packages (legacy schema 11, built with sqlite3)."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

MODEL_ID = 1342697561419
DECK_ID = 1
BASIC = {
    str(MODEL_ID): {
        "id": MODEL_ID,
        "name": "Basic",
        "type": 0,
        "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}],
        "tmpls": [{"name": "Card 1", "ord": 0, "qfmt": "{{Front}}"}],
    }
}
ENDLESS = (
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
    f"SELECT n AS id, 'g' || n AS guid, {MODEL_ID} AS mid, '' AS tags, "
    "printf('%.*c', 1000, 'x') || char(31) || 'b' AS flds FROM r"
)

Note = tuple[Any, Any, Any, Any, Any]  # id, guid, mid, tags, flds


def basic_notes(count: int = 2) -> list[Note]:
    return [
        (i + 1, f"guid{i}", MODEL_ID, "tag", f"front {i}\x1fback {i}")
        for i in range(count)
    ]


def make_apkg(
    path: Path,
    *,
    notes: Sequence[Note] | None = None,
    deck_name: str = "Hostile deck",
    models: Any = None,
    decks_json: str | None = None,
    notes_view: str | None = None,
    col_view: str | None = None,
    extra_sql: Sequence[str] = (),
    card_deck: int = DECK_ID,
) -> Path:
    """Write an .apkg whose collection is shaped by the arguments."""
    database = path.with_suffix(".anki2")
    database.unlink(missing_ok=True)
    db = sqlite3.connect(database)
    models_json = json.dumps(BASIC if models is None else models)
    decks = decks_json or json.dumps(
        {str(card_deck): {"id": card_deck, "name": deck_name}}
    )
    if col_view:
        db.execute(f"CREATE VIEW col AS {col_view}")
    else:
        db.execute("CREATE TABLE col (models TEXT, decks TEXT)")
        db.execute("INSERT INTO col VALUES (?, ?)", (models_json, decks))
    if notes_view:
        db.execute(f"CREATE VIEW notes AS {notes_view}")
    else:
        db.execute("CREATE TABLE notes (id, guid, mid, tags, flds)")
        db.executemany("INSERT INTO notes VALUES (?, ?, ?, ?, ?)", notes or [])
    # Anki's own columns the importer reads (card states, flags, FSRS data).
    db.execute("CREATE TABLE cards (id, nid, did, odid, ord, type, queue, flags, data)")
    db.execute("CREATE TABLE revlog (id, cid, ease, time, type, factor)")
    rows = [(n[0], card_deck, 0, 0) for n in (notes or basic_notes(0))]
    if notes_view:
        rows = [(i, card_deck, 0, 0) for i in range(1, 4)]
    db.executemany(
        "INSERT INTO cards VALUES (?, ?, ?, ?, ?, 0, 0, 0, '')",
        [(1000 + i, *row) for i, row in enumerate(rows)],
    )
    for sql in extra_sql:
        db.execute(sql)
    db.commit()
    db.close()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(database, "collection.anki2")
        archive.writestr("media", "{}")
    database.unlink()
    return path
