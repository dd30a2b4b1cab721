"""The store's write path for decks: import, update, retire, read back."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, NamedTuple

from studyapp.core.clock import to_ms
from studyapp.core.model import (
    CardKind,
    CardSpec,
    CardType,
    Deck,
    ImportSummary,
    Source,
    SourceAnchor,
    Study,
)
from studyapp.core.store import database
from studyapp.core.store.database import Store
from studyapp.core.store.gcpause import gc_paused
from studyapp.core.store.note_rows import NoteWriter


class StoredFiles(NamedTuple):
    """What the last import of a deck file recorded about its files."""

    deck_id: str
    file_hash: str
    source_files: tuple[str, ...]
    file_stats: str


def stored_files(store: Store, path: str) -> StoredFiles | None:
    """The deck imported from ``path``, with the hash and stats of its files."""
    row = store.execute(
        "SELECT id, content_hash, source_files, file_stats FROM decks WHERE path = ?",
        (path,),
    ).fetchone()
    if row is None:
        return None
    return StoredFiles(row[0], row[1], tuple(json.loads(row[2])), row[3])


def remember_files(
    store: Store,
    deck_id: str,
    path: str,
    file_stats: str,
    source_files: tuple[str, ...],
) -> None:
    """Record where a deck's unchanged files are now, and their stats.

    The next import then skips them without reading them.
    """
    with store.transaction():
        store.execute(
            "UPDATE decks SET path = ?, file_stats = ?, source_files = ? WHERE id = ?",
            (path, file_stats, json.dumps(list(source_files)), deck_id),
        )


def stored_hash(store: Store, deck_id: str) -> str | None:
    """The content hash a deck's last import stored (None: a new deck)."""
    row = store.execute(
        "SELECT content_hash FROM decks WHERE id = ?", (deck_id,)
    ).fetchone()
    return None if row is None else row[0]


def remember_hash(store: Store, deck_id: str, file_hash: str, file_stats: str) -> None:
    """Record the hash and stats of the files a deck was just imported from."""
    store.execute(
        "UPDATE decks SET content_hash = ?, file_stats = ? WHERE id = ?",
        (file_hash, file_stats, deck_id),
    )


def import_deck(
    store: Store,
    deck: Deck,
    *,
    now: datetime,
    file_hash: str = "",
    file_stats: str = "",
    source_files: tuple[str, ...] = (),
) -> ImportSummary:
    """Import or update one deck in one transaction.

    Cards are matched by (deck id, card id): edited cards keep their history
    and state, new ones are added, missing ones are retired (kept, hidden).

    Args:
        store: The open store.
        deck: The validated deck.
        now: The import time; new cards become due then.
        file_hash: Hash of the deck file and its source texts; if it equals
            the stored one the import is skipped, since nothing changed.
        file_stats: Sizes and times of those files when hashed, if not racy;
            equal stats later let a re-import skip hashing.
        source_files: The source text files that went into ``file_hash``.

    Returns:
        What changed.
    """
    row = store.execute(
        "SELECT content_hash FROM decks WHERE id = ?", (deck.id,)
    ).fetchone()
    if file_hash and row is not None and row[0] == file_hash:
        # Same content, perhaps moved or touched.
        remember_files(store, deck.id, deck.path, file_stats, source_files)
        return ImportSummary(deck.id, skipped=True)
    now_ms = to_ms(now)
    with gc_paused(), store.transaction():
        start_deck(store, deck, (file_hash, file_stats), source_files, now_ms)
        notes = NoteWriter(store, deck.id, now_ms)
        notes.add(deck.cards)
        return notes.finish()


BULK_CACHE_KIB = 32 * 1024


@contextmanager
def small_transaction(store: Store) -> Iterator[None]:
    """A small import's transaction, in WAL mode with NORMAL sync.

    Answers commit with FULL sync (an fsync of the WAL each). An import can
    be done again from its file, so it skips that fsync (a third of a 1,000
    card import, docs/benchmarks.md): a power cut right after it may lose
    it, never an answer before it, and the next answer's fsync keeps it.
    """
    if store.memory:
        with store.transaction():
            yield
        return
    store.execute("PRAGMA synchronous = NORMAL")
    try:
        with store.transaction():
            yield
    finally:
        store.execute(f"PRAGMA synchronous = {database.SYNCHRONOUS}")


@contextmanager
def bulk_transaction(store: Store) -> Iterator[None]:
    """A transaction for a big import, through a rollback journal.

    In WAL mode every page is written twice, to the WAL and then into the
    database at the checkpoint. A rollback journal keeps only the pages that
    existed before, so an import into new pages writes each page once (issue
    6: the commit took 0.2 s instead of 0.5 s at 100,000 cards). Sync is FULL
    meanwhile: NORMAL is not power-safe without WAL. Should the process die,
    SQLite rolls the journal back on the next open, which turns WAL on again.
    While another connection has the database open, SQLite refuses to leave
    WAL mode, and this is a plain transaction. A reader arriving meanwhile and
    holding a read transaction blocks the commit: after the busy timeout the
    import fails with "database is locked" and nothing is written.
    """
    conn = store.conn
    switched = False
    if not store.memory:
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError:  # "database is locked": another reader
            mode = "wal"
        switched = mode == "delete"
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    try:
        if switched:
            conn.execute("PRAGMA synchronous = FULL")
        # 32 MiB. A cache that held the whole import (256 MiB) wrote each page
        # once, at the commit, but held a 100k import's 74 MB of pages: with
        # 32 MiB the import peaked 40 MiB lower and took no more CPU time
        # (3.56-3.71 s against 3.84-3.91 s, issue 21), the keys coming in order.
        conn.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
        with store.transaction():
            yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
        if switched:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError:
                pass  # a reader came meanwhile: the import stands; the next open
                # turns WAL on again
            else:
                conn.execute(f"PRAGMA synchronous = {database.SYNCHRONOUS}")


def stored_deck(store: Store, deck_id: str) -> Deck:
    """A stored deck (its live cards) as a Deck, for export."""
    row = store.execute(
        "SELECT id, title, kind, document, description, path, settings FROM decks "
        "WHERE id = ?",
        (deck_id,),
    ).fetchone()
    if row is None:
        raise KeyError(deck_id)
    notes = store.execute(
        "SELECT note_id, kind, type, front, back, cloze, tags, steps, study, "
        "source_ref, section, quote FROM notes WHERE deck_id = ? AND retired = 0 "
        "ORDER BY position",
        (deck_id,),
    ).fetchall()
    refs = sorted({n[9] for n in notes if n[9]})
    return Deck(
        id=row[0],
        title=row[1],
        kind=CardKind(row[2]),
        document=row[3],
        description=row[4],
        path=row[5],
        settings=json.loads(row[6]),
        sources=tuple(store.source(ref) for ref in refs),
        cards=tuple(_spec_from_row(n) for n in notes),
    )


def _spec_from_row(row: tuple[Any, ...]) -> CardSpec:
    study = json.loads(row[8]) if row[8] else None
    return CardSpec(
        id=row[0],
        kind=CardKind(row[1]),
        type=CardType(row[2]),
        front=row[3],
        back=row[4],
        cloze=row[5],
        tags=tuple(json.loads(row[6])),
        steps=tuple(json.loads(row[7])),
        study=Study(**study) if study else None,
        source=SourceAnchor(row[9], row[10], row[11]) if row[9] else None,
    )


def start_deck(
    store: Store,
    deck: Deck,
    file_hash_stats: tuple[str, str],
    source_files: tuple[str, ...],
    now_ms: int,
) -> None:
    """Write a deck's own row and its sources; its notes come next (NoteWriter)."""
    store.execute(
        "INSERT INTO decks (id, title, kind, document, description, path, settings, "
        "content_hash, file_stats, source_files, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET title = excluded.title, kind = excluded.kind, "
        "document = excluded.document, description = excluded.description, "
        "path = excluded.path, settings = excluded.settings, "
        "content_hash = excluded.content_hash, file_stats = excluded.file_stats, "
        "source_files = excluded.source_files, "
        "imported_at = excluded.imported_at",
        (
            deck.id,
            deck.title,
            deck.kind.value,
            deck.document,
            deck.description,
            deck.path,
            json.dumps(deck.settings),
            *file_hash_stats,
            json.dumps(list(source_files)),
            now_ms,
        ),
    )
    _save_sources(store, deck.sources)


def _save_sources(store: Store, sources: tuple[Source, ...]) -> None:
    for source in sources:
        store.execute(
            "INSERT OR REPLACE INTO sources (id, title, citation, doi, url, authors, "
            "date, kind, text_path, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                source.id,
                source.title,
                source.citation,
                source.doi,
                source.url,
                json.dumps(list(source.authors)),
                source.date,
                source.kind,
                source.text_path,
                source.text,
            ),
        )


def file_settings(store: Store, deck_id: str) -> dict[str, Any]:
    """The settings a deck's file gives (empty for an unknown deck)."""
    row = store.execute(
        "SELECT settings FROM decks WHERE id = ?", (deck_id,)
    ).fetchone()
    # Bad stored JSON counts as no settings; `check` reports and repairs it.
    return _json_object(row[0]) if row else {}


def _json_object(text: Any) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}
