"""Deck files and ids: what is light enough to load at start (no parser)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

#: A deck id; ``parent::child`` names a nested deck (Anki's separator).
DECK_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*(?:::[a-z0-9][a-z0-9._-]*)*$")
CARD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
DECK_SUFFIXES = (".yaml", ".yml")


def find_deck_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the deck files under them, sorted; keep files as given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.suffix in DECK_SUFFIXES)
            )
        else:
            found.append(path)
    return found
