"""Write decks as YAML deck files (the format of docs/deck-format.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from studyapp.core.decks.sources import find_text_file
from studyapp.core.model import CardSpec, CardType, Deck, Source


class DeckDumper(yaml.SafeDumper):
    """Safe dumper that indents list items under their key, as the decks do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Never indentless: list items sit two spaces in from their key."""
        super().increase_indent(flow, False)


def deck_to_yaml(deck: Deck, folder: Path | None = None) -> str:
    """A deck as the text of a deck file.

    Args:
        deck: The deck.
        folder: Where the file will be written; source text paths are made
            relative to it when the deck's own file still finds them.
    """
    meta: dict[str, Any] = {"id": deck.id, "title": deck.title, "kind": deck.kind.value}
    if deck.document:
        meta["document"] = deck.document
    if deck.description:
        meta["description"] = deck.description
    if deck.settings:
        meta["settings"] = deck.settings
    data: dict[str, Any] = {"deck": meta}
    if deck.sources:
        data["sources"] = [_source_data(s, deck, folder) for s in deck.sources]
    data["cards"] = [card_to_data(card) for card in deck.cards]
    return yaml.dump(
        data, Dumper=DeckDumper, sort_keys=False, allow_unicode=True, width=88
    )


def _source_data(source: Source, deck: Deck, folder: Path | None) -> dict[str, Any]:
    data: dict[str, Any] = {"id": source.id, "title": source.title}
    for key in ("citation", "doi", "url", "date", "kind"):
        if getattr(source, key):
            data[key] = getattr(source, key)
    if source.authors:
        data["authors"] = list(source.authors)
    if source.text_path:
        data["text"] = source.text_path
        found = find_text_file(source.text_path, Path(deck.path).parent)
        if folder is not None and deck.path and found is not None:
            data["text"] = os.path.relpath(found.resolve(), folder.resolve())
    return data


def card_to_data(card: CardSpec) -> dict[str, Any]:
    """A card spec as the mapping a deck file holds."""
    data: dict[str, Any] = {"id": card.id, "kind": card.kind.value}
    if card.type is not CardType.BASIC:
        data["type"] = card.type.value
    if card.cloze:
        data["cloze"] = card.cloze
        if card.back:  # a cloze note's extra text
            data["back"] = card.back
    else:
        data["front"] = card.front
        data["back"] = card.back
    data["tags"] = list(card.tags)
    if card.steps:
        data["steps"] = list(card.steps)
    if card.study is not None:
        study: dict[str, Any] = {"authors": card.study.authors, "year": card.study.year}
        for key in ("journal", "title", "reference", "doi"):
            value = getattr(card.study, key)
            if value:
                study[key] = value
        data["study"] = study
    if card.source is not None:
        data["source"] = {
            "ref": card.source.ref,
            "section": card.source.section,
            "quote": card.source.quote,
        }
    return data
