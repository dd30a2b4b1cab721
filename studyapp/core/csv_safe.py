"""CSV cells that a spreadsheet will not run as formulas (OWASP's advice).

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is a formula to Excel, LibreOffice and Google Sheets (``=cmd|' /C calc'!A0``).
Every CSV StudyApp writes goes through ``SafeWriter``, which puts a ``'`` in
front of such cells (and of a cell that already starts with ``'`` and then
one of them, so ``restore_cell`` gives every value back exactly).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """The cell as written: a text starting like a formula gets a ``'``."""
    if isinstance(value, str) and value.lstrip("'").startswith(TRIGGERS):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """The value ``neutralise`` was given (for files StudyApp wrote)."""
    if value.startswith("'") and value.lstrip("'").startswith(TRIGGERS):
        return value[1:]
    return value


class SafeWriter:
    """A ``csv.writer`` that neutralises every cell."""

    def __init__(self, file: Any, **options: Any) -> None:
        self._writer = csv.writer(file, **options)

    def writerow(self, row: Iterable[object]) -> None:
        """Write one row."""
        self._writer.writerow([neutralise(cell) for cell in row])
