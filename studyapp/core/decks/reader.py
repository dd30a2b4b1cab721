"""Read YAML deck files, validate them and report problems as file:line:col."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from studyapp.core.decks.files import DECK_SUFFIXES, find_deck_files
from studyapp.core.decks.schema import check_deck
from studyapp.core.decks.stream import MAX_DECK_BYTES, DeckStream, NotStreamableError
from studyapp.core.decks.yaml_fast import parse as parse_fast
from studyapp.core.errors import DeckError, Problem
from studyapp.core.model import Deck
from studyapp.core.safety.files import UnsafeFileError, check_regular, read_regular
from studyapp.core.store.gcpause import gc_paused

__all__ = [
    "DECK_SUFFIXES",
    "MAX_DECK_BYTES",
    "find_deck_files",
    "load_deck",
    "validate_paths",
]
#: A deck file that cannot be read in chunks (``decks.stream``) is read and
#: parsed whole, up to this size: the worst such file (48 MiB of the
#: shortest cards behind a YAML tag) peaks near 1.1 GiB (SECURITY.md).
MAX_WHOLE_BYTES = 48 * 1024 * 1024
_TOO_BIG_TO_READ_WHOLE = (
    "the deck file is {:.0f} MiB; a deck file over {} MiB is read a chunk of "
    "cards at a time, so it must list its cards last, as a plain list under "
    "'cards:', with no YAML tags (!), anchors (&) or aliases (*): write them "
    "out, or split it into smaller files"
)


def load_deck(path: Path) -> Deck:
    """Read and validate one deck file.

    Args:
        path: The YAML file.

    Returns:
        The deck, with its sources' texts loaded.

    Raises:
        DeckError: Listing every problem in the file, each with line and column.
    """
    try:
        with gc_paused(), DeckStream(path) as stream:
            deck = stream.checked_deck()
            cards = [card for chunk in stream.chunks() for card in chunk]
            return replace(deck, cards=tuple(cards))
    except NotStreamableError:
        return load_whole(path)


def load_whole(path: Path) -> Deck:
    """``load_deck`` for any file: read whole (yaml-rs, else PyYAML's safe loader)."""
    text = _read_text(path)
    with gc_paused():
        data = parse_fast(text)
        problems: list[Problem] = []
        if data is None:  # PyYAML: loaded only for such files (25 ms)
            from studyapp.core.decks import yaml_safe

            data, problems = yaml_safe.parse(path, text)
        deck, located = check_deck(data, path)
    if located:
        from studyapp.core.decks import yaml_safe

        problems.extend(yaml_safe.place(path, text, located))
    if problems or deck is None:
        problems.sort(key=lambda p: (p.line, p.column))
        raise DeckError(problems)
    return deck


def validate_paths(paths: Iterable[Path]) -> list[Problem]:
    """Validate deck files (folders are searched); return every problem found."""
    problems: list[Problem] = []
    files = find_deck_files(paths)
    if not files:
        return [Problem(str(p), 1, 1, "no deck files (*.yaml) found") for p in paths]
    for file in files:
        try:
            load_deck(file)
        except DeckError as error:
            problems.extend(error.problems)
    return problems


def _read_text(path: Path) -> str:
    where = str(path)
    try:
        size = check_regular(path, MAX_DECK_BYTES, what="deck file")
        if size > MAX_WHOLE_BYTES:
            raise UnsafeFileError(
                _TOO_BIG_TO_READ_WHOLE.format(size / 2**20, MAX_WHOLE_BYTES >> 20)
            )
        data = read_regular(path, MAX_WHOLE_BYTES, what="deck file")
    except UnsafeFileError as error:
        raise DeckError([Problem(where, 1, 1, str(error))]) from None
    try:
        return data.decode("utf-8-sig")  # a byte-order mark is accepted
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = "not UTF-8 text; save the file as UTF-8"
        raise DeckError([Problem(where, line, 1, message)]) from None
