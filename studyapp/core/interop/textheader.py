"""The header lines of Anki's text format: ``#separator:tab``, ``#html:true``..."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studyapp.core.decks.schema import DECK_ID, SOURCE_KEYS
from studyapp.core.errors import DeckError, Problem
from studyapp.core.model import CardKind
from studyapp.core.settings import settings_problems

# Anki's names, in the order Anki tries them when a file names none.
SEPARATORS = {
    "tab": "\t",
    "pipe": "|",
    "semicolon": ";",
    "colon": ":",
    "comma": ",",
    "space": " ",
}
OWN_KEY = "studyapp"  # header key of our deck metadata; Anki ignores unknown keys
_OWN_KEYS = frozenset(
    ("id", "title", "kind", "document", "description", "settings", "sources")
)
_SOURCE_KEYS = frozenset((*SOURCE_KEYS, "text_path"))
SOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


@dataclass
class Header:
    """What the ``#key:value`` lines at the top of a file say."""

    lines: int = 0
    separator: str = ""
    html: bool | None = None
    tags: tuple[str, ...] = ()
    columns: list[str] = field(default_factory=list)
    deck: str = ""
    notetype: str = "Basic"
    notetype_column: int = 0  # 1-based; 0 when absent
    deck_column: int = 0
    tags_column: int = 0
    guid_column: int = 0
    own: dict[str, Any] | None = None  # our deck metadata, in files we wrote
    own_line: int = 0


def read_header(text: str, path: Path) -> Header:
    """Read the header lines at the top of ``text``, as Anki reads them.

    Lines starting with ``#`` at the top are headers when they name a known
    key (``#separator:``, ``#html:``, ``#tags:``, ``#columns:``, ``#deck:``,
    ``#notetype:``, ``#... column:``) and comments otherwise.

    Raises:
        DeckError: If our own ``#studyapp:`` line is not a JSON object.
    """
    header = Header()
    lines = io.StringIO(text, newline="")
    columns = ""
    for number, raw in enumerate(lines):
        line = raw.rstrip("\r\n")
        if number == 0 and line.startswith("tags:"):  # Anki's old header
            header.tags = tuple(line[5:].split())
        elif not line.startswith("#"):
            break
        key, colon, value = line[1:].partition(":")
        if colon and not line.startswith("tags:"):
            try:
                columns = _header_value(header, key.strip().lower(), value) or columns
            except (ValueError, TypeError, RecursionError) as error:
                reason = (
                    "nested too deeply" if isinstance(error, RecursionError) else error
                )
                problem = Problem(str(path), number + 1, 1, f"bad header: {reason}")
                raise DeckError([problem]) from error
        header.lines = number + 1
    if not header.separator:
        header.separator = _guess_separator(text, path, header.lines)
    if columns:
        header.columns = next(csv.reader([columns], delimiter=header.separator), [])
    return header


def _header_value(header: Header, key: str, value: str) -> str:
    """Store one header value; return the raw ``#columns:`` line, else ''."""
    number = int(value) if value.strip().isdigit() else 0
    if key == "separator":
        name = value.strip().lower()
        header.separator = SEPARATORS.get(
            name, value if value in SEPARATORS.values() else ""
        )
    elif key == "html" and value.strip().lower() in ("true", "false"):
        header.html = value.strip().lower() == "true"
    elif key == "tags":
        header.tags = tuple(value.split())
    elif key == "columns":
        return value
    elif key in ("deck", "notetype"):
        setattr(header, key, value.strip())
    elif key in ("notetype column", "deck column", "tags column", "guid column"):
        setattr(header, key.replace(" ", "_"), number)
    elif key == OWN_KEY:
        header.own = check_own(json.loads(value))
        header.own_line = header.lines + 1
    return ""


def check_own(own: Any) -> dict[str, Any]:
    """Our ``#studyapp:`` deck metadata, checked like a deck file's ``deck:``.

    Raises:
        ValueError: Naming the first bad key (never echoing a whole value).
    """
    if not isinstance(own, dict):
        raise ValueError(f"#{OWN_KEY}: expected a JSON object")
    for key, value in own.items():
        if key not in _OWN_KEYS:
            raise ValueError(f"#{OWN_KEY}: unknown key '{str(key)[:40]}'")
        if key in ("title", "document", "description") and not isinstance(value, str):
            raise ValueError(f"#{OWN_KEY}: '{key}' must be text")
    deck_id = own.get("id", "")
    if "id" in own and not (isinstance(deck_id, str) and DECK_ID.fullmatch(deck_id)):
        raise ValueError(f"#{OWN_KEY}: deck id may use only a-z, 0-9, '.', '_' and '-'")
    CardKind(own.get("kind", "basic"))
    for _, message in settings_problems(own.get("settings", {})):
        raise ValueError(f"#{OWN_KEY}: settings: {message}")
    sources = own.get("sources", [])
    if not isinstance(sources, list) or not all(_good_source(s) for s in sources):
        raise ValueError(
            f"#{OWN_KEY}: 'sources' must be a list of sources with an id and "
            "a title, each value text (authors a list of text)"
        )
    return own


def _good_source(source: Any) -> bool:
    if not isinstance(source, dict) or not source.keys() <= _SOURCE_KEYS:
        return False
    if not isinstance(source.get("id"), str) or not SOURCE_ID.fullmatch(source["id"]):
        return False
    if not isinstance(source.get("title"), str) or source.get("text", ""):
        return False
    authors = source.get("authors", [])
    texts = [v for k, v in source.items() if k != "authors"]
    return isinstance(authors, list) and all(
        isinstance(v, str) for v in (*texts, *authors)
    )


def _guess_separator(text: str, path: Path, skip: int) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "," if suffix == ".csv" else "\t"
    lines = itertools.islice(io.StringIO(text, newline=""), skip, skip + 50)
    sample = "".join(lines)[:8192]
    return next((sep for sep in SEPARATORS.values() if sep in sample), "\t")
