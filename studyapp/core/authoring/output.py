"""A draft as a deck file: YAML, with comments saying what to check."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

from studyapp.core.authoring.document import SourceDocument
from studyapp.core.authoring.draft import DraftResult
from studyapp.core.decks.writer import DeckDumper, card_to_data
from studyapp.core.errors import StudyAppError
from studyapp.core.model import CardSpec


def draft_to_yaml(
    result: DraftResult,
    *,
    text_path: str,
    deck_id: str | None = None,
    title: str | None = None,
    cards: tuple[CardSpec, ...] | None = None,
) -> str:
    """Write a draft as a deck file in the YAML deck format.

    Args:
        result: What ``draft_deck`` found.
        text_path: The source text's path as the deck file should name it
            (relative to the deck's folder or one of its parents).
        deck_id: The deck's id; ``<source id>-draft`` when omitted.
        title: The deck's title; the document's title plus "(draft)" if omitted.
        cards: The cards to write (e.g. those accepted in review); all drafted
            cards when omitted.

    Returns:
        The YAML text, with the warnings as comments at the top and a
        "# check:" comment above each card whose wording was made up from a
        sentence.

    Raises:
        StudyAppError: If there is no card to write (a deck needs a card); the
            message lists the warnings.
    """
    chosen = result.cards if cards is None else cards
    if not chosen:
        raise StudyAppError("nothing to draft: " + "; ".join(result.warnings))
    deck: dict[str, Any] = {
        "id": deck_id or f"{result.source_id}-draft",
        "title": title or f"{result.title} (draft)",
        "document": result.source_id,
        "description": "Drafted by studyapp draft; check every card before use.",
    }
    data = {
        "deck": deck,
        "sources": [{"id": result.source_id, "title": result.title, "text": text_path}],
        "cards": [card_to_data(card) for card in chosen],
    }
    header = [f"# Draft deck from {text_path}: review every card before use."]
    header += [f"# warning: {warning}" for warning in result.warnings]
    body = yaml.dump(
        data, Dumper=DeckDumper, sort_keys=False, allow_unicode=True, width=88
    )
    return "\n".join(header) + "\n" + _mark_checks(body, result.checks)


def _mark_checks(body: str, checks: dict[str, str]) -> str:
    if not checks:
        return body
    out: list[str] = []
    for line in body.splitlines(keepends=True):
        found = re.match(r"^(\s*)- id: (\S+)\s*$", line)
        if found:
            card_id = found.group(2).strip("'\"")
            if card_id in checks:
                out.append(f"{found.group(1)}# check: {checks[card_id]}\n")
        out.append(line)
    return "".join(out)


def source_text_path(document: SourceDocument, source_id: str, folder: Path) -> Path:
    """Where the deck's source text lives; extracted text is saved beside the deck.

    A plain-text document inside ``folder`` (or below it) is its own source
    text. Any other document, a PDF, web page or Markdown file, or a text
    file elsewhere, is saved as ``<source id>.txt`` in ``folder``: the text
    the cards quote, as a reader of the document sees it. A deck's source
    text must live in the deck's folder tree (see deck-format.md).
    """
    folder.mkdir(parents=True, exist_ok=True)
    if document.kind == "text" and document.path.resolve().is_relative_to(
        folder.resolve()
    ):
        return document.path
    text_file = folder / f"{source_id}.txt"
    text_file.write_text(document.text, encoding="utf-8")
    return text_file


def write_draft(
    result: DraftResult,
    document: SourceDocument,
    deck_path: Path,
    *,
    cards: tuple[CardSpec, ...] | None = None,
    deck_id: str | None = None,
) -> Path:
    """Write the deck file (and the extracted source text beside it).

    Returns:
        The deck file's path.
    """
    folder = deck_path.parent
    text_file = source_text_path(document, result.source_id, folder)
    text_path = os.path.relpath(text_file.resolve(), folder.resolve())
    deck_path.write_text(
        draft_to_yaml(result, text_path=text_path, deck_id=deck_id, cards=cards),
        encoding="utf-8",
    )
    return deck_path
