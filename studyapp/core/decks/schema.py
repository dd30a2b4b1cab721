"""Check the parsed data of a deck file and build the Deck value object."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from studyapp.core.decks.card_checks import (
    CARD_KEYS,
    MAX_DECK_CARDS,
    CardChecker,
    too_many_cards,
)
from studyapp.core.decks.files import CARD_ID, DECK_ID
from studyapp.core.decks.problems import Checker, Located, Where, shown
from studyapp.core.decks.sources import find_text_file
from studyapp.core.model import CardKind, Deck, Source
from studyapp.core.safety.files import UnsafeFileError, read_regular
from studyapp.core.settings import SETTING_KEYS, settings_problems

MAX_SOURCE_BYTES = 20 * 1024 * 1024

TOP_KEYS = ("deck", "sources", "cards")
DECK_KEYS = ("id", "title", "kind", "document", "description", "settings")
SOURCE_KEYS: tuple[str, ...] = ("id", "title", "authors", "citation", "doi", "url")
SOURCE_KEYS += ("date", "kind", "text")
__all__ = ["CARD_ID", "CARD_KEYS", "DECK_ID", "MAX_DECK_CARDS", "check_deck"]


def check_deck(data: Any, path: Path) -> tuple[Deck | None, list[Located]]:
    """Check parsed deck data; return the deck (if usable) and every problem."""
    checker = Checker()
    top = checker.mapping(data, (), TOP_KEYS, "file")
    if not top:
        if data is None:
            checker.problems = [
                Located((), "file is empty; a deck needs deck: and cards:")
            ]
        return None, checker.problems
    deck, cards = check_head(checker, top, path)
    value = top.get("cards")
    specs = []
    if not isinstance(value, list) or not value:
        checker.add(
            ("cards",) if value is not None else (), "cards: expected a list of cards"
        )
    elif len(value) > MAX_DECK_CARDS:
        checker.add(("cards",), too_many_cards(f"{len(value):,}"))
    else:
        specs = cards.check(value)
    if checker.problems or deck is None:
        return None, checker.problems
    return replace(deck, cards=tuple(specs)), checker.problems


def check_head(
    checker: Checker, top: dict[str, Any], path: Path
) -> tuple[Deck | None, CardChecker]:
    """Check all but the cards: the deck (with no cards yet) and their checker.

    The deck is None if anything is wrong; problems go to ``checker``.
    """
    meta = checker.mapping(top.get("deck"), ("deck",), DECK_KEYS, "deck")
    deck_id = checker.text(meta, "id", ("deck",), "deck", required=True)
    if deck_id and not DECK_ID.match(deck_id):
        checker.add(
            ("deck", "id"),
            f"deck: id '{deck_id}' may use only a-z, 0-9, '.', '_' and '-'",
        )
    title = checker.text(meta, "title", ("deck",), "deck", required=True)
    kind = CardKind.BASIC
    if "kind" in meta:
        kind = checker.enum(meta["kind"], CardKind, ("deck", "kind"), "deck")
    settings = _check_settings(checker, meta.get("settings"))
    sources = _check_sources(checker, top.get("sources"), path)
    cards = CardChecker(checker, kind or CardKind.BASIC, sources)
    if checker.problems:
        return None, cards
    deck = Deck(
        id=deck_id,
        title=title,
        kind=kind,
        document=checker.text(meta, "document", ("deck",), "deck", required=False),
        description=checker.text(
            meta, "description", ("deck",), "deck", required=False
        ),
        sources=tuple(sources.values()),
        cards=(),
        settings=settings,
        path=str(path),
    )
    return deck, cards


def _check_settings(checker: Checker, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    settings = checker.mapping(value, ("deck", "settings"), SETTING_KEYS, "deck")
    for key, message in settings_problems(settings):
        if key in SETTING_KEYS:
            checker.add(("deck", "settings", key), f"settings: {message}")
    return dict(settings)


def _check_sources(checker: Checker, value: Any, path: Path) -> dict[str, Source]:
    if value is None:
        return {}
    if not isinstance(value, list):
        checker.add(("sources",), "sources: expected a list of sources")
        return {}
    sources: dict[str, Source] = {}
    for index, item in enumerate(value):
        where: Where = ("sources", index)
        data = checker.mapping(item, where, SOURCE_KEYS, f"source {index + 1}")
        if not isinstance(item, dict):
            continue
        source_id = checker.text(data, "id", where, "source", required=True)
        label = f"source '{source_id}'"
        if source_id in sources:
            checker.add((*where, "id"), f"{label}: duplicate source id")
        text_path = checker.text(data, "text", where, label, required=False)
        text = _read_source(checker, text_path, path, (*where, "text"), label)
        sources[source_id] = Source(
            id=source_id,
            title=checker.text(data, "title", where, label, required=True),
            citation=checker.text(data, "citation", where, label, required=False),
            doi=checker.text(data, "doi", where, label, required=False),
            url=checker.text(data, "url", where, label, required=False),
            authors=checker.text_list(data, "authors", where, label),
            date=checker.text(data, "date", where, label, required=False),
            kind=checker.text(data, "kind", where, label, required=False),
            text_path=text_path,
            text=text,
        )
    return sources


def _read_source(
    checker: Checker, text_path: str, deck_path: Path, where: Where, label: str
) -> str:
    if not text_path:
        return ""
    found = find_text_file(text_path, deck_path.resolve().parent)
    if found is None:
        checker.add(
            where,
            f"{label}: text file {shown(text_path)} not found in the deck's folder "
            "(or a folder below it) or in the bundled sources; put it next to "
            "the deck",
        )
        return ""
    try:
        data = read_regular(found, MAX_SOURCE_BYTES, what="source text")
        return data.decode("utf-8-sig")
    except UnsafeFileError as error:
        checker.add(where, f"{label}: {error}")
    except UnicodeDecodeError:
        checker.add(where, f"{label}: the source text is not UTF-8; save it as UTF-8")
    return ""
