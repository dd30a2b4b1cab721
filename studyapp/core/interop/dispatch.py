"""Import and export by file type: YAML decks, Anki packages, CSV/TSV text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from studyapp.core.decks.writer import deck_to_yaml
from studyapp.core.errors import PackageError
from studyapp.core.interop.anki_export import write_anki_package
from studyapp.core.interop.anki_import import read_anki_package
from studyapp.core.interop.textfile import (
    read_text_notes,
    write_plain_csv,
    write_text_notes,
)
from studyapp.core.model import Deck
from studyapp.core.store.database import Store

ANKI_SUFFIXES = (".apkg", ".colpkg")
TEXT_SUFFIXES = (".txt", ".tsv", ".csv")
EXPORT_FORMATS = ("apkg", "colpkg", "txt", "csv", "yaml")
# A deck id as part of a file name: never a path, whatever is stored.
_SAFE_NAME = re.compile(r"[^a-z0-9._-]+")


def classify(paths: Iterable[Path]) -> tuple[list[Path], list[Path], list[Path]]:
    """Files by how they are imported: (deck files and folders, text, packages)."""
    paths = list(paths)
    packages = [p for p in paths if p.is_file() and p.suffix.lower() in ANKI_SUFFIXES]
    texts = [p for p in paths if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES]
    decks = [p for p in paths if p not in packages and p not in texts]
    return decks, texts, packages


def is_foreign(path: Path) -> bool:
    """Whether ``path`` is an Anki package or a text file rather than a deck file."""
    return path.suffix.lower() in ANKI_SUFFIXES + TEXT_SUFFIXES


def read_foreign(path: Path, scratch: Path | None = None) -> list[Deck]:
    """Decks from an Anki package (.apkg, .colpkg) or text (.txt, .tsv, .csv).

    ``scratch`` is where packages are unpacked (see safety/scratch.py).

    Raises:
        PackageError: For an unreadable or unsafe package.
        DeckError: For text rows that cannot be read, each with its line.
    """
    suffix = path.suffix.lower()
    if suffix in ANKI_SUFFIXES:
        return read_anki_package(path, scratch)
    if suffix in TEXT_SUFFIXES:
        return [read_text_notes(path)]
    raise PackageError(
        f"{path}: not an Anki package or text file ({suffix or 'no suffix'})"
    )


def export_format(path: Path) -> str:
    """The export format a file name asks for, from its suffix."""
    suffix = path.suffix.lower().lstrip(".")
    fmt = {"tsv": "txt", "yml": "yaml"}.get(suffix, suffix)
    if fmt not in EXPORT_FORMATS:
        names = ", ".join(f".{f}" for f in EXPORT_FORMATS)
        raise PackageError(f"{path}: cannot export to '.{suffix}'; use one of {names}")
    return fmt


def export_decks(
    decks: list[Deck],
    path: Path,
    store: Store | None = None,
    media_dir: Path | None = None,
) -> list[Path]:
    """Write decks to ``path`` in the format its suffix names.

    An Anki package holds every deck; the other formats hold one deck a file,
    so several decks are written as ``<stem>-<deck id><suffix>``.

    With ``store``, an Anki package also carries each card's scheduling and
    review log, and with ``media_dir`` the media its notes use.

    Returns:
        The files written.
    """
    fmt = export_format(path)
    if fmt in ("apkg", "colpkg"):  # a .colpkg: the same, read as a whole collection
        write_anki_package(decks, path, store=store, media_dir=media_dir)
        return [path]
    written = []
    for deck in decks:
        name = _SAFE_NAME.sub("-", deck.id.lower()).strip("-.")[:100] or "deck"
        target = path if len(decks) == 1 else path.with_stem(f"{path.stem}-{name}")
        if fmt == "yaml":
            text = deck_to_yaml(deck, target.parent)
            target.write_text(text, encoding="utf-8")
        elif fmt == "csv":
            write_plain_csv(deck, target)
        else:
            write_text_notes(deck, target)
        written.append(target)
    return written
