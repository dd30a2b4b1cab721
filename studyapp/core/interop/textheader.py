"""The header lines of Anki's text format: ``#separator:tab``, ``#html:true``..."""

from __future__ import annotations

import csv
import io
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studyapp.core.errors import DeckError, Problem
from studyapp.core.model import CardKind

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
            except (ValueError, TypeError) as error:
                problem = Problem(str(path), number + 1, 1, f"bad header: {error}")
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
        own = json.loads(value)
        if not isinstance(own, dict):
            raise TypeError(f"#{OWN_KEY}: expected a JSON object")
        CardKind(own.get("kind", "basic"))  # checked here to report this line
        header.own = own
        header.own_line = header.lines + 1
    return ""


def _guess_separator(text: str, path: Path, skip: int) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "," if suffix == ".csv" else "\t"
    lines = itertools.islice(io.StringIO(text, newline=""), skip, skip + 50)
    sample = "".join(lines)[:8192]
    return next((sep for sep in SEPARATORS.values() if sep in sample), "\t")
