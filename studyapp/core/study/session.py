"""What a study session is, whatever chooses its cards.

The review queue (cards due by the schedule) and the planner's study
session (cards chosen for an exam) both are one; the review screen shows
either the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from studyapp.core.model import Card, CardState, Rating


@dataclass(frozen=True, slots=True)
class Remaining:
    """Cards left in the session, by kind."""

    learning: int
    review: int
    new: int

    @property
    def total(self) -> int:
        """All cards left."""
        return self.learning + self.review + self.new


@dataclass(frozen=True, slots=True)
class TypedAnswer:
    """What the learner typed for a typed card and how it was judged.

    ``overridden`` means the grader said wrong and the learner said "I was
    right"; it is recorded as such beside the review.
    """

    typed: str
    graded_right: bool
    overridden: bool = False


Passage = tuple[str, str]  # (source ref, quote)


class Session(Protocol):
    """What the review screen needs of a session.

    The review queue has it, and so has the planner's study session over
    chosen cards; the screen shows either the same way.
    """

    revealed: bool

    @property
    def remaining(self) -> Remaining:
        """Cards left, counting the one shown."""

    @property
    def can_undo(self) -> bool:
        """Whether an answer of this session can be taken back."""

    def next_card(self, now: datetime) -> Card | None:
        """The card to show now, or None when the session is done."""

    def reveal(self) -> None:
        """Show the answer of the current card."""

    def intervals(self, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give the current card."""

    def answer(
        self,
        rating: Rating,
        *,
        now: datetime,
        duration_ms: int = 0,
        typed: TypedAnswer | None = None,
    ) -> CardState:
        """Rate the current card and commit the answer."""

    def undo(self) -> Card:
        """Take back the last answer; its card becomes the current one."""

    @property
    def last_answer_key(self) -> object:
        """The undo-history key of the session's last answer still undoable."""

    def reload_current(self) -> Card | None:
        """Read the current card again (after it was edited)."""

    def drop_current(self) -> None:
        """Take the current card out of the session (suspended or buried)."""
