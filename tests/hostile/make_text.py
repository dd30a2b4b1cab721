"""Generators of hostile Anki-style text files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def own_header(own: Any) -> str:
    return "#studyapp:" + json.dumps(own)


def text_file(folder: Path, name: str, headers: list[str], rows: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join(["#separator:tab", "#html:true", *headers, *rows]) + "\n")
    return path


def short_rows_csv(path: Path, size: int) -> Path:
    """A CSV of short distinct rows, ``size`` bytes long."""
    with path.open("w", encoding="utf-8") as out:
        written = number = 0
        while written < size:
            line = f"q{number},a\n"
            out.write(line)
            written += len(line)
            number += 1
    return path
