"""Browsing and changing review cards: search, list, suspend, bury, flag, reset.

Every change is one transaction and one named step in the undo history.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from studyapp.core.clock import to_ms
from studyapp.core.model import Card, CardState, State
from studyapp.core.query import CardRow, HistoryRow
from studyapp.core.store import card_marks, search_sql
from studyapp.core.store.database import Store
from studyapp.core.study.scheduling import forgetting_curve, new_state
from studyapp.core.study.search import parse
from studyapp.core.study.undo import UndoHistory

FLAG_COUNT = 7  # Anki's flags 1..7; 0 is no flag


def cards_label(verb: str, count: int) -> str:
    """'Suspend 12 cards', 'Suspend 1 card': the undo menu's wording."""
    return f"{verb} {count} card{'' if count == 1 else 's'}"


class CardActions:
    """The card browser's core: find cards by query and act on them.

    Args:
        store: The collection.
        history: Where each change records how to take it back.
        day_start: The start of the study day containing a time.
    """

    def __init__(
        self,
        store: Store,
        history: UndoHistory,
        day_start: Callable[[datetime], datetime],
    ) -> None:
        self._store = store
        self._history = history
        self._day_start = day_start

    def _clock(self, now: datetime) -> search_sql.SearchClock:
        decay, factor = forgetting_curve()
        return search_sql.SearchClock(
            to_ms(now), to_ms(self._day_start(now)), decay, factor
        )

    def find(
        self,
        query: str,
        *,
        now: datetime,
        order: str = "card",
        descending: bool = False,
    ) -> list[int]:
        """The ids of the live review cards matching ``query``, sorted by ``order``.

        Raises:
            SearchError: If the query cannot be read.
        """
        return search_sql.find_card_ids(
            self._store,
            parse(query),
            self._clock(now),
            order=order,
            descending=descending,
        )

    def rows(self, card_ids: Sequence[int], *, now: datetime) -> list[CardRow]:
        """The listing rows of some cards, in the order given."""
        return search_sql.card_rows(self._store, card_ids, self._clock(now))

    def card(self, card_id: int) -> Card:
        """One card with its content."""
        return self._store.card(card_id)

    def passage(self, card_id: int, context: int = 300) -> tuple[str, str, str] | None:
        """The card's quote in its source: (before, quote, after).

        ``before`` and ``after`` hold up to ``context`` characters; None when
        the card has no source or its quote is not found there.
        """
        span = self._store.quote_span(card_id)
        card = self._store.card(card_id)
        if span is None or card.source is None:
            return None
        text = self._store.source(card.source.ref).text
        start, end = span
        return (
            text[max(0, start - context) : start],
            text[start:end],
            text[end : end + context],
        )

    def history(self, card_id: int) -> list[HistoryRow]:
        """A card's answers, oldest first."""
        return card_marks.history(self._store, card_id)

    # Changes ----------------------------------------------------------------

    def _mark(self, verb: str, card_ids: Sequence[int], **values: object) -> int:
        saved = card_marks.marks(self._store, card_ids)
        if not saved:
            return 0
        card_marks.set_marks(self._store, [m.card_id for m in saved], **values)
        self._history.push(
            cards_label(verb, len(saved)),
            lambda: card_marks.restore_marks(self._store, saved),
        )
        return len(saved)

    def suspend(self, card_ids: Sequence[int]) -> int:
        """Keep cards out of reviews until unsuspended; returns how many."""
        return self._mark("Suspend", card_ids, suspended=1)

    def unsuspend(self, card_ids: Sequence[int]) -> int:
        """Let suspended cards be reviewed again; returns how many."""
        return self._mark("Unsuspend", card_ids, suspended=0)

    def toggle_suspend(self, card_ids: Sequence[int]) -> int:
        """Suspend the cards, or unsuspend them if all are suspended (Anki's @)."""
        current = card_marks.marks(self._store, card_ids)
        if current and all(m.suspended for m in current):
            return self.unsuspend(card_ids)
        return self.suspend(card_ids)

    def bury(self, card_ids: Sequence[int], *, now: datetime) -> int:
        """Keep cards out of reviews until the next study day; returns how many."""
        until = self._day_start(now) + timedelta(days=1)
        return self._mark("Bury", card_ids, buried_until=to_ms(until))

    def flag(self, card_ids: Sequence[int], flag: int) -> int:
        """Flag cards 1..7, or clear the flag with 0; returns how many."""
        if not 0 <= flag <= FLAG_COUNT:
            raise ValueError(f"flag {flag}: expected 0 to {FLAG_COUNT}")
        verb = f"Flag {flag} on" if flag else "Remove flag from"
        return self._mark(verb, card_ids, flag=flag)

    def _restate(
        self,
        verb: str,
        card_ids: Sequence[int],
        change: Callable[[CardState], CardState],
    ) -> int:
        before = card_marks.states(self._store, card_ids)
        if not before:
            return 0
        card_marks.write_states(self._store, [change(state) for state in before])
        self._history.push(
            cards_label(verb, len(before)),
            lambda: card_marks.write_states(self._store, before),
        )
        return len(before)

    def reset(self, card_ids: Sequence[int], *, now: datetime) -> int:
        """Make cards new again (their answers stay in the log); returns how many."""
        return self._restate(
            "Reset", card_ids, lambda state: new_state(state.card_id, now)
        )

    def set_due(self, card_ids: Sequence[int], due: datetime) -> int:
        """Make cards due at ``due``; new ones become review cards, as in Anki."""

        def change(state: CardState) -> CardState:
            if state.state is State.NEW:
                return replace(
                    state,
                    state=State.REVIEW,
                    due=due,
                    stability=state.stability or 1.0,
                    difficulty=state.difficulty or 5.0,
                    last_review=state.last_review or due - timedelta(days=1),
                )
            return replace(state, due=due)

        return self._restate("Set due date of", card_ids, change)
