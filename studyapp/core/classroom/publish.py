"""Instructor side: publishing deck files (and their source texts) to a class."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from studyapp.core.classroom.server import ClassError, session
from studyapp.core.decks.reader import load_deck
from studyapp.core.decks.sources import find_text_file
from studyapp.core.model import CardSpec, CardType, Deck
from studyapp.core.store.note_rows import card_ords


@dataclass(frozen=True, slots=True)
class Published:
    """What publishing one deck did."""

    deck_id: str
    version: int
    changed: bool  # False: the same content was already the latest version
    cards: int


@dataclass(frozen=True, slots=True)
class DeckUpload:
    """A deck file with its source texts, ready to send."""

    deck: Deck
    yaml: str
    sources: dict[str, str]  # text path as written in the deck -> text
    content_hash: str


def read_upload(path: Path) -> DeckUpload:
    """Read and check a deck file and its source texts (DeckError if invalid)."""
    deck = load_deck(path)
    yaml = path.read_text(encoding="utf-8")
    sources: dict[str, str] = {}
    for source in deck.sources:
        if not source.text_path:
            continue
        found = find_text_file(source.text_path, path.parent)
        if found is None:
            raise ClassError(f"{path}: source text {source.text_path} not found")
        sources[source.text_path] = found.read_text(encoding="utf-8")
    digest = hashlib.sha256(yaml.encode())
    for name in sorted(sources):
        digest.update(b"\0" + name.encode() + b"\0" + sources[name].encode())
    return DeckUpload(deck, yaml, sources, digest.hexdigest())


def card_rows(deck: Deck) -> list[tuple[str, int, str, str, str, str, int]]:
    """(note id, ord, source ref, section, quote, prompt, position) per card."""
    rows = []
    for position, spec in enumerate(deck.cards):
        anchor = spec.source
        for ord_ in card_ords(spec):
            rows.append(
                (
                    spec.id,
                    ord_,
                    anchor.ref if anchor else "",
                    anchor.section if anchor else "",
                    anchor.quote if anchor else "",
                    _prompt(spec, ord_),
                    position,
                )
            )
    return rows


def _prompt(spec: CardSpec, ord_: int) -> str:
    if spec.type is CardType.CLOZE:
        return spec.cloze
    return spec.back if ord_ == 1 else spec.front


def publish(url: str, class_id: str, paths: Sequence[Path]) -> list[Published]:
    """Upload each deck as a new version of the class's copy, all or nothing.

    A deck whose content is unchanged since its latest version is left as is.
    Re-publishing an edited deck adds a version; cards keep their ids (deck id
    plus card key), so students' history carries over when they pull it.
    """
    uploads = [read_upload(path) for path in paths]  # all checked before sending
    results = []
    with session(url) as conn:
        for upload in uploads:
            deck_id = upload.deck.id
            latest = conn.execute(
                "SELECT version, content_hash FROM studyapp.deck_versions"
                " WHERE class_id = %s AND deck_id = %s"
                " ORDER BY version DESC LIMIT 1",
                (class_id, deck_id),
            ).fetchone()
            rows = card_rows(upload.deck)
            if latest is not None and latest[1] == upload.content_hash:
                results.append(Published(deck_id, latest[0], False, len(rows)))
                continue
            version = latest[0] + 1 if latest else 1
            conn.execute(
                "INSERT INTO studyapp.deck_versions"
                " (class_id, deck_id, version, content_hash, yaml, sources)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                (
                    class_id,
                    deck_id,
                    version,
                    upload.content_hash,
                    upload.yaml,
                    json.dumps(upload.sources),
                ),
            )
            conn.execute(
                "DELETE FROM studyapp.deck_cards WHERE class_id = %s AND deck_id = %s",
                (class_id, deck_id),
            )
            with conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO studyapp.deck_cards (class_id, deck_id, note_id,"
                    " ord, source_ref, section, quote, prompt, position)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    [(class_id, deck_id, *row) for row in rows],
                )
            results.append(Published(deck_id, version, True, len(rows)))
    return results
