"""Write decks as an Anki package (.apkg) with genanki."""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import re
import sqlite3
import tempfile
import time
import warnings
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import genanki

from studyapp.core.decks.richtext import sanitize_with_media
from studyapp.core.errors import PackageError
from studyapp.core.interop.anki_export_history import (
    ExportedHistory,
    add_history,
    media_of,
)
from studyapp.core.model import CardSpec, CardType, Deck, Source
from studyapp.core.store.database import Store

# Model ids must never change: Anki matches note types by id on re-import.
_MODEL_VERSION = "studyapp-1"
_CSS = """.card { font-family: arial; font-size: 20px; text-align: center; }
.source { font-size: 14px; color: #555; margin-top: 1em; }"""
_SOURCE = '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}'
_ANSWER = "{{FrontSide}}\n\n<hr id=answer>\n\n"
_TEMPLATES: dict[CardType, list[dict[str, str]]] = {
    CardType.BASIC: [
        {"name": "Card 1", "qfmt": "{{Front}}", "afmt": _ANSWER + "{{Back}}" + _SOURCE}
    ],
    CardType.REVERSED: [
        {"name": "Card 1", "qfmt": "{{Front}}", "afmt": _ANSWER + "{{Back}}" + _SOURCE},
        {"name": "Card 2", "qfmt": "{{Back}}", "afmt": _ANSWER + "{{Front}}" + _SOURCE},
    ],
    CardType.TYPED: [
        {
            "name": "Card 1",
            "qfmt": "{{Front}}\n\n{{type:Back}}",
            "afmt": "{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}" + _SOURCE,
        }
    ],
    CardType.CLOZE: [
        {
            "name": "Cloze",
            "qfmt": "{{cloze:Text}}",
            "afmt": "{{cloze:Text}}<br>\n{{Extra}}" + _SOURCE,
        }
    ],
}
_MODEL_NAMES = {
    CardType.BASIC: "StudyApp Basic",
    CardType.REVERSED: "StudyApp Basic (and reversed card)",
    CardType.TYPED: "StudyApp Basic (type in the answer)",
    CardType.CLOZE: "StudyApp Cloze",
}


def write_anki_package(
    decks: list[Deck],
    path: Path | str,
    *,
    store: Store | None = None,
    media_dir: Path | None = None,
) -> ExportedHistory:
    """Write decks to one ``.apkg`` file that Anki can import.

    Each card becomes a note with the fields Front, Back and Source (Text,
    Extra and Source for cloze cards). Note guids and model and deck ids are
    derived from our ids, so exporting an edited deck again updates the
    notes in Anki instead of duplicating them. Tags lose their spaces
    (Anki splits tags on whitespace): ``a b`` becomes ``a_b``.

    Args:
        decks: The decks to write; each becomes an Anki deck named by title.
        path: The package to create or replace.
        store: With it, each card's scheduling and review log go along
            (anki_export_history), so Anki keeps the learner's history.
        media_dir: With it, the media files the notes use go along.

    Returns:
        What went in beyond the notes.

    Raises:
        PackageError: If the file cannot be written.
    """
    models = {kind: _model(kind) for kind in CardType}
    package_decks = []
    for deck in decks:
        anki_deck = genanki.Deck(
            _stable_id("deck", deck.id), deck.title, html.escape(deck.description)
        )
        sources = {source.id: source for source in deck.sources}
        for card in deck.cards:
            anki_deck.add_note(_note(deck, card, sources, models[card.type]))
        package_decks.append(anki_deck)
    history = _History(store, decks, media_of(decks, media_dir))
    try:
        _write_package(genanki.Package(package_decks), Path(path), history)
    except (OSError, sqlite3.Error) as error:
        raise PackageError(f"{path}: cannot write Anki package: {error}") from error
    return history.result


class _History:
    """The history and media to add to genanki's collection, and what was added."""

    def __init__(self, store: Store | None, decks: list[Deck], media: list[Path]):
        self.store = store
        self.decks = decks
        self.media = media
        self.result = ExportedHistory(media_files=tuple(media))

    def add(self, db: sqlite3.Connection) -> None:
        if self.store is None:
            return
        guids = {
            (deck.id, card.id): note_guid(deck.id, card.id)
            for deck in self.decks
            for card in deck.cards
        }
        added = add_history(db, self.store, self.decks, guids)
        self.result = replace(added, media_files=tuple(self.media))


def _write_package(package: Any, path: Path, history: _History) -> None:
    """Like genanki's ``write_to_file``, but its database lives in a temp dir.

    genanki's own method leaves its temporary database behind.
    """
    with tempfile.TemporaryDirectory(prefix="studyapp-apkg-") as tmp:
        database = Path(tmp) / "collection.anki2"
        db = sqlite3.connect(database)
        try:
            # genanki lints fields for tags it does not know, e.g. "a < b > c"
            # in a card's text; the text is ours to sanitise when shown.
            with warnings.catch_warnings():
                warnings.filterwarnings(
                    "ignore", message="^Field contained the following invalid HTML"
                )
                now = time.time()
                package.write_to_db(db.cursor(), now, itertools.count(int(now * 1000)))
            history.add(db)
            db.commit()
        finally:
            db.close()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(database, "collection.anki2")
            names = {}
            for number, file in enumerate(history.media):
                archive.write(file, str(number))
                names[str(number)] = file.name
            archive.writestr("media", json.dumps(names))


def note_guid(deck_id: str, card_id: str) -> str:
    """The Anki note guid of one of our cards; stable across exports."""
    return str(genanki.guid_for(deck_id, card_id))


def _note(deck: Deck, card: CardSpec, sources: dict[str, Source], model: Any) -> Any:
    source = _source_html(card, sources)
    # Anki renders fields as HTML: only the sanitised subset leaves StudyApp.
    back = sanitize_with_media(card.back, keep_sounds=True)
    if card.steps:  # a mechanism's chain, shown under the answer
        items = "".join(f"<li>{html.escape(step)}</li>" for step in card.steps)
        back += f"<ol>{items}</ol>"
    first = sanitize_with_media(
        card.cloze if card.type is CardType.CLOZE else card.front, keep_sounds=True
    )
    fields = [first, back, source]
    return genanki.Note(
        model=model,
        fields=fields,
        tags=anki_tags(card.tags),
        guid=note_guid(deck.id, card.id),
    )


def anki_tags(tags: tuple[str, ...]) -> list[str]:
    """Tags as Anki accepts them: no whitespace inside, no empty ones, no repeats."""
    cleaned = (re.sub(r"\s+", "_", tag.strip()) for tag in tags)
    return list(dict.fromkeys(tag for tag in cleaned if tag))


def _source_html(card: CardSpec, sources: dict[str, Source]) -> str:
    """The Source field: quote, section and citation, then the study if any."""
    parts: list[str] = []
    anchor = card.source
    if anchor is not None:
        if anchor.quote:
            parts.append(f"<q>{html.escape(anchor.quote)}</q>")
        source = sources.get(anchor.ref)
        cited = [anchor.section]
        if source is not None:
            cited += [source.title, source.citation]
            if source.doi:
                cited.append(f"doi:{source.doi}")
        parts.append(html.escape(" — ".join(part for part in cited if part)))
    study = card.study
    if study is not None:
        cited = [f"{study.authors} ({study.year})", study.title, study.journal]
        if study.doi:
            cited.append(f"doi:{study.doi}")
        parts.append(html.escape(". ".join(part for part in cited if part)))
    return "<br>".join(part for part in parts if part)


def _model(kind: CardType) -> Any:
    is_cloze = kind is CardType.CLOZE
    names = ["Text", "Extra", "Source"] if is_cloze else ["Front", "Back", "Source"]
    return genanki.Model(
        _stable_id("model", f"{_MODEL_VERSION}:{kind.value}"),
        _MODEL_NAMES[kind],
        fields=[{"name": name} for name in names],
        templates=_TEMPLATES[kind],
        css=_CSS,
        model_type=genanki.Model.CLOZE if is_cloze else genanki.Model.FRONT_BACK,
    )


def _stable_id(namespace: str, key: str) -> int:
    """An id in genanki's suggested range [2**30, 2**31), derived from ``key``."""
    digest = hashlib.blake2b(f"{namespace}:{key}".encode(), digest_size=8).digest()
    return (1 << 30) + int.from_bytes(digest, "big") % (1 << 30)
