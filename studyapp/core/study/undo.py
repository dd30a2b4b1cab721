"""Undo across the app: a stack of named steps that outlives review sessions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from studyapp.core.errors import StudyAppError

MAX_STEPS = 100


@dataclass(frozen=True, slots=True)
class UndoStep:
    """One thing that can be taken back.

    Attributes:
        label: What was done, for the menu: "Suspend 12 cards".
        revert: Puts the collection back as it was before the step.
        key: Identifies the step for whoever made it (a review session
            removes its own answer's step when it undoes it itself).
    """

    label: str
    revert: Callable[[], None]
    key: object = None


class UndoHistory:
    """Named steps, newest last; undoing runs the newest step's revert."""

    def __init__(self) -> None:
        self._steps: list[UndoStep] = []

    def push(self, label: str, revert: Callable[[], None], key: object = None) -> None:
        """Record a step that has just been done."""
        self._steps.append(UndoStep(label, revert, key))
        del self._steps[:-MAX_STEPS]

    @property
    def label(self) -> str | None:
        """The newest step's label, or None when there is nothing to undo."""
        return self._steps[-1].label if self._steps else None

    @property
    def top_key(self) -> object:
        """The newest step's key (None when empty or unkeyed)."""
        return self._steps[-1].key if self._steps else None

    def undo(self) -> str:
        """Take back the newest step; returns its label.

        The step is dropped even when its revert fails (the collection has
        changed under it), so the next undo is not blocked.

        Raises:
            StudyAppError: If there is nothing to undo.
        """
        if not self._steps:
            raise StudyAppError("nothing to undo")
        step = self._steps.pop()
        step.revert()
        return step.label

    def discard(self, key: object) -> None:
        """Forget the newest step with ``key`` (its maker undid it itself)."""
        for index in range(len(self._steps) - 1, -1, -1):
            if self._steps[index].key == key:
                del self._steps[index]
                return

    def clear(self) -> None:
        """Forget every step (after a restore replaced the collection)."""
        self._steps.clear()
