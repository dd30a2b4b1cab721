"""Read-only aggregate queries for what the app shows about the collection."""

from __future__ import annotations

from studyapp.core.store.database import Store


def document_titles(store: Store) -> dict[str, str]:
    """A readable title for each deck document: the title of a source it cites.

    Decks name their document with a short id (``pedersen-2019``); the deck
    tree shows the title of the source most of that document's cards quote.
    Documents without sources are left out.
    """
    rows = store.execute(
        # CROSS JOIN: from the decks that name a document to their notes, not
        # through every note by position (0.14 s at 100k cards; docs/benchmarks.md).
        "SELECT d.document, s.title, count(*) AS uses FROM decks d "
        "CROSS JOIN notes n ON n.deck_id = d.id "
        "JOIN sources s ON s.id = n.source_ref "
        "WHERE d.document != '' GROUP BY d.document, s.id "
        "ORDER BY d.document, uses DESC, s.title"
    ).fetchall()
    titles: dict[str, str] = {}
    for document, title, _uses in rows:
        titles.setdefault(str(document), str(title))
    return titles


def totals(store: Store) -> tuple[int, int]:
    """How many review cards and answers the collection holds."""
    cards = store.execute("SELECT count(*) FROM cards").fetchone()[0]
    reviews = store.execute("SELECT count(*) FROM reviews").fetchone()[0]
    return int(cards), int(reviews)


def has_decks(store: Store) -> bool:
    """Whether the collection holds any deck at all."""
    return store.execute("SELECT 1 FROM decks LIMIT 1").fetchone() is not None
