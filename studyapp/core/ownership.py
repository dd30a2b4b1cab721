"""An import from a foreign file (Anki package, text file) updates only its own decks.

A package's deck named "Pedersen 2019 glossary" gets the id of the bundled
deck ``pedersen-2019-glossary``; a text file's ``#studyapp:`` header can name
any deck id or source id. Such a deck may update a stored deck only if it
has the same origin: the same file, or (a package exported again) a
foreign file sharing notes (Anki guids) with it. Otherwise it is imported
under a new id, and the summary says so. A source id already used with other details is
renamed the same way, so a global source is never overwritten.
"""

from __future__ import annotations

import json
from dataclasses import astuple, replace

from studyapp.core.decks.files import DECK_ID
from studyapp.core.errors import DeckError, Problem
from studyapp.core.model import Deck, Source
from studyapp.core.store import origins
from studyapp.core.store.database import Store

_FOREIGN = (".apkg", ".colpkg", ".txt", ".tsv", ".csv")


def claim(store: Store, decks: list[Deck]) -> list[tuple[Deck, str]]:
    """The decks with ids they may use, each with a note ('' when unchanged).

    Raises:
        DeckError: If a deck id is not a valid id.
    """
    taken = origins.deck_ids(store)
    claimed: list[tuple[Deck, str]] = []
    for deck in decks:
        if not DECK_ID.fullmatch(deck.id) or len(deck.id) > 200:
            where = Problem(deck.path, 1, 1, f"deck id {deck.id[:60]!r} is not valid")
            raise DeckError([where])
        note = ""
        if deck.id in taken and not _owns(store, deck):
            new_id = _own_or_free_id(store, deck, taken)
            note = (
                f"deck id '{deck.id}' belongs to a deck from another file; "
                f"imported as '{new_id}'"
            )
            deck = replace(deck, id=new_id)
        deck, renamed = _claim_sources(store, deck)
        if renamed:
            note = "; ".join(filter(None, [note, renamed]))
        taken.add(deck.id)
        claimed.append((deck, note))
    return claimed


def _owns(store: Store, deck: Deck) -> bool:
    origin = origins.deck_origin(store, deck.id)
    if origin is None or origin.path == deck.path:
        return True
    if not origin.path.lower().endswith(_FOREIGN):
        return False  # a YAML deck is never taken over by a foreign file
    return bool(origin.note_ids & {card.id for card in deck.cards})


def _own_or_free_id(store: Store, deck: Deck, taken: set[str]) -> str:
    """The id an earlier import of this file gave the deck, else a free one."""
    number = 2
    while (candidate := f"{deck.id}-{number}") in taken:
        if _owns(store, replace(deck, id=candidate)):
            return candidate
        number += 1
    return candidate


def _claim_sources(store: Store, deck: Deck) -> tuple[Deck, str]:
    renames: dict[str, str] = {}
    sources: list[Source] = []
    for source in deck.sources:
        stored = origins.source_fields(store, source.id)
        if stored is not None and stored != _fields(source):
            new_id = f"{deck.id}--{source.id}"[:200]
            renames[source.id] = new_id
            source = replace(source, id=new_id)
        sources.append(source)
    if not renames:
        return deck, ""
    cards = tuple(
        replace(card, source=replace(card.source, ref=renames[card.source.ref]))
        if card.source is not None and card.source.ref in renames
        else card
        for card in deck.cards
    )
    names = ", ".join(f"'{old}'" for old in renames)
    note = f"source {names} is used by another deck; kept as this deck's own"
    return replace(deck, sources=tuple(sources), cards=cards), note


def _fields(source: Source) -> tuple[str, ...]:
    values = astuple(source)
    authors = json.dumps(list(source.authors))
    # title, citation, doi, url, authors, date, kind, text_path (as stored)
    return (*map(str, values[1:5]), authors, *map(str, values[6:9]))
