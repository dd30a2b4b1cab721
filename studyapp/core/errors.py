"""Errors raised by the core; the GUI and CLI decide how to show them."""

from __future__ import annotations

from dataclasses import dataclass


class StudyAppError(Exception):
    """Base class of every error the core raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a file, with its position (1-based)."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class DeckError(StudyAppError):
    """A deck file has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class StoreError(StudyAppError):
    """The database cannot do what was asked (locked, missing, damaged)."""


class WriteError(StoreError):
    """A write to the collection failed (locked, disk full); nothing of it was saved."""


class PackageError(StudyAppError):
    """An import or export file (Anki package, CSV) is unusable or unsafe."""
