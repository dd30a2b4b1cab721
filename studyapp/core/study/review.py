"""The review queue: which card comes next, answers, and multi-step undo."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from studyapp.core.clock import to_ms, truncate_ms
from studyapp.core.errors import StudyAppError
from studyapp.core.model import Card, CardState, Rating, SchedulerSettings, State
from studyapp.core.store.database import QueueEntry, Store
from studyapp.core.store.study_rows import notes_answered_since
from studyapp.core.study.answer import record_answer
from studyapp.core.study.scheduling import Scheduler
from studyapp.core.study.session import Passage, Remaining, TypedAnswer
from studyapp.core.study.undo import UndoHistory

LEARN_AHEAD = timedelta(minutes=20)  # Anki's default: finish steps early
_PAGE = 200  # due reviews fetched at a time


@dataclass(slots=True)
class _Lane:
    """Queue entries consumed from the front, fetched a page at a time.

    ``size`` is how many the lane holds in all; it is known before they are
    fetched, so a session shows its counts without fetching every card.
    """

    fetch: Callable[[], list[QueueEntry]]  # the page after ``entries``
    size: int
    entries: list[QueueEntry] = field(default_factory=list)
    at: int = 0

    def __len__(self) -> int:
        return self.size - self.at

    def peek(self) -> QueueEntry | None:
        """The next entry, fetching a page if needed; None when done."""
        if self.at == len(self.entries) and self.at < self.size:
            page = self.fetch()
            if not page:  # the database changed under the session
                self.size = self.at
            self.entries += page
        return self.entries[self.at] if self.at < len(self.entries) else None


def left_today(
    store: Store,
    settings: SchedulerSettings,
    deck_id: str,
    day_start: datetime,
    *,
    new_cards: bool,
) -> int:
    """How many more new (or review) cards the deck's daily limit allows today.

    Negative when the limit was lowered after more were studied.
    """
    limit = settings.new_per_day if new_cards else settings.reviews_per_day
    return limit - store.count_reviews_since(day_start, [deck_id], new_only=new_cards)


class ReviewQueue:
    """Due cards of some decks, answered one at a time.

    Learning cards due now come first, then reviews due today, then new cards
    within each deck's daily limit. Once a card of a note was answered today
    its siblings (reversed, other cloze deletions) are buried until the next
    day, as in Anki; with the deck's ``bury_siblings`` off they only wait
    until the end of the session. A card quoting a passage already answered
    in the session waits until its end too (``separate_passages``). Every
    answer is committed before the next card is shown.
    """

    def __init__(
        self,
        store: Store,
        scheduler_for: Callable[[str], Scheduler],
        deck_ids: list[str] | None = None,
        *,
        now: datetime,
        day_start: datetime,
        history: UndoHistory | None = None,
    ) -> None:
        self._store = store
        self._history = history
        self._scheduler_for = scheduler_for
        self._deck_ids = deck_ids
        self._day_start = day_start
        self._learning = store.learning_entries(deck_ids, before=now + LEARN_AHEAD)
        # Reviews and new cards are counted now and fetched a page at a time
        # as the session goes: a first queue over 10,000 due cards needs only
        # the first few (benchmarks).
        self._review_before = day_start + timedelta(days=1)
        self._reviews_left = self._review_limits(deck_ids)
        self._reviews_after: tuple[int, int] | None = None
        self._reviews = _Lane(self._next_reviews, size=sum(self._reviews_left.values()))
        new_limits = self._new_limits(deck_ids)
        self._new = _Lane(
            lambda: self._new_entries(new_limits), size=sum(new_limits.values())
        )
        self._buried: list[QueueEntry] = []
        self._answered_notes: set[tuple[str, str]] = set()
        # Notes answered earlier today: their other cards stay buried.
        self._notes_today = notes_answered_since(store, day_start, deck_ids)
        self._dropped: list[QueueEntry] = []  # buried until the next day
        self._passages: list[Passage | None] = []  # of the answers, in order
        self._undo: list[tuple[int, QueueEntry]] = []
        self.current: Card | None = None
        self._current_entry: QueueEntry | None = None
        self.revealed = False

    def _left_today(self, deck_id: str, *, new_cards: bool) -> int:
        settings = self._scheduler_for(deck_id).settings
        return left_today(
            self._store, settings, deck_id, self._day_start, new_cards=new_cards
        )

    def _review_limits(self, deck_ids: list[str] | None) -> dict[str, int]:
        """How many due reviews each deck offers today, within its daily limit."""
        due = self._store.count_due_reviews(deck_ids, before=self._review_before)
        limits = {}
        for deck_id, count in due.items():
            left = min(count, self._left_today(deck_id, new_cards=False))
            if left > 0:
                limits[deck_id] = left
        return limits

    def _next_reviews(self) -> list[QueueEntry]:
        """The next page of due reviews, by due time, within the daily limits."""
        kept: list[QueueEntry] = []
        while not kept:
            page = self._store.due_reviews(
                self._deck_ids,
                before=self._review_before,
                after=self._reviews_after,
                limit=_PAGE,
            )
            if not page:
                break
            last = page[-1]
            self._reviews_after = (last.due_ms, last.card_id)
            for entry in page:
                if self._reviews_left.get(entry.deck_id, 0) > 0:
                    self._reviews_left[entry.deck_id] -= 1
                    kept.append(entry)
        return kept

    def _new_limits(self, deck_ids: list[str] | None) -> dict[str, int]:
        """How many new cards each deck offers today, within its daily limit."""
        decks = self._store.deck_ids() if deck_ids is None else sorted(set(deck_ids))
        limits = {}
        for deck_id in decks:
            left = self._left_today(deck_id, new_cards=True)
            if left > 0 and (count := self._store.count_new(deck_id, left)):
                limits[deck_id] = count
        return limits

    def _new_entries(self, limits: dict[str, int]) -> list[QueueEntry]:
        """New cards deck by deck (sorted by id), each deck's in deck order.

        All of them in one page: ``limits`` is emptied, so should the lane ask
        again (only if the database changed since they were counted) it gets
        none rather than cards it already holds.
        """
        entries: list[QueueEntry] = []
        for deck_id, limit in limits.items():
            entries += self._store.new_entries(deck_id, limit)
        limits.clear()
        return entries

    @property
    def remaining(self) -> Remaining:
        """Cards left, counting the one shown."""
        return Remaining(
            learning=len(self._learning),
            review=self._ahead(self._reviews)
            + sum(e.state == State.REVIEW for e in self._buried),
            new=self._ahead(self._new)
            + sum(e.state == State.NEW for e in self._buried),
        )

    def _ahead(self, lane: _Lane) -> int:
        """Entries left in a lane, less the fetched ones that will be buried."""
        fetched = lane.entries[lane.at :]
        return len(lane) - sum(self._will_bury(e) for e in fetched)

    def _will_bury(self, entry: QueueEntry) -> bool:
        note = (entry.deck_id, entry.note_id)
        return self._scheduler_for(entry.deck_id).settings.bury_siblings and (
            note in self._answered_notes or note in self._notes_today
        )

    @property
    def can_undo(self) -> bool:
        """Whether an answer of this session can be taken back."""
        return bool(self._undo)

    def next_card(self, now: datetime) -> Card | None:
        """The card to show now, or None when the session is done."""
        if self._current_entry is not None:
            return self.current
        entry = self._take(now)
        if entry is None:
            return None
        self._current_entry = entry
        self.current = self._store.card(entry.card_id)
        self.revealed = False
        return self.current

    def reveal(self) -> None:
        """Show the answer of the current card."""
        if self.current is None:
            raise StudyAppError("no card is being shown")
        self.revealed = True

    def intervals(self, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give the current card."""
        entry = self._require_current()
        state = self._store.card_state(entry.card_id)
        return self._scheduler_for(entry.deck_id).preview(state, truncate_ms(now))

    def state(self) -> CardState:
        """The scheduling state of the current card."""
        return self._store.card_state(self._require_current().card_id)

    def answer(
        self,
        rating: Rating,
        *,
        now: datetime,
        duration_ms: int = 0,
        typed: TypedAnswer | None = None,
    ) -> CardState:
        """Rate the current card; the answer is committed before returning.

        Args:
            rating: How well the learner recalled the card.
            now: When the answer was given; timezone-aware UTC.
            duration_ms: How long the card was on screen.
            typed: For typed cards, what was typed and how it was judged.

        Returns:
            The card's new scheduling state.
        """
        entry = self._require_current()
        after, review_id = record_answer(
            self._store,
            self._scheduler_for(entry.deck_id),
            entry.card_id,
            rating,
            now=now,
            duration_ms=duration_ms,
            typed=typed,
        )
        self._undo.append((review_id, entry))
        self._passages.append(passage_of(self.current))
        if self._history is not None:
            self._history.push(
                f"Answer ({rating.name.title()})",
                lambda: self._undo_answer(review_id),
                key=("review", review_id),
            )
        self._answered_notes.add((entry.deck_id, entry.note_id))
        if after.state in (State.LEARNING, State.RELEARNING) and after.due < (
            self._day_start + timedelta(days=1)
        ):
            requeued = QueueEntry(
                entry.card_id,
                entry.deck_id,
                entry.note_id,
                after.state,
                to_ms(after.due),
            )
            bisect.insort(self._learning, requeued, key=lambda e: e.due_ms)
        self.current, self._current_entry, self.revealed = None, None, False
        return after

    def undo(self) -> Card:
        """Take back the last answer; its card becomes the current one again.

        Raises:
            StudyAppError: If nothing was answered in this session.
        """
        if not self._undo:
            raise StudyAppError("nothing to undo")
        review_id, entry = self._undo.pop()
        self._passages.pop()
        self._store.undo_review(review_id)
        if self._history is not None:
            self._history.discard(("review", review_id))
        self._learning = [e for e in self._learning if e.card_id != entry.card_id]
        if self._current_entry is not None:
            self._put_back(self._current_entry)
        if not any(
            e.deck_id == entry.deck_id and e.note_id == entry.note_id
            for _, e in self._undo
        ):
            self._answered_notes.discard((entry.deck_id, entry.note_id))
            if (entry.deck_id, entry.note_id) not in self._notes_today:
                self._unbury(entry)
        self._current_entry = entry
        self.current = self._store.card(entry.card_id)
        self.revealed = False
        return self.current

    @property
    def last_answer_key(self) -> object:
        """The undo-history key of this session's last answer still undoable."""
        return ("review", self._undo[-1][0]) if self._undo else None

    def reload_current(self) -> Card | None:
        """Read the current card again (after it was edited)."""
        if self._current_entry is not None:
            self.current = self._store.card(self._current_entry.card_id)
        return self.current

    def _undo_answer(self, review_id: int) -> None:
        """The undo history's way back: through the session while it can."""
        if self._undo and self._undo[-1][0] == review_id:
            self.undo()
        else:
            self._store.undo_review(review_id)

    def drop_current(self) -> None:
        """Take the current card out of the session (it was suspended or buried)."""
        entry = self._require_current()
        self._learning = [e for e in self._learning if e.card_id != entry.card_id]
        self.current, self._current_entry, self.revealed = None, None, False

    def _put_back(self, entry: QueueEntry) -> None:
        if entry.state in (State.LEARNING, State.RELEARNING):
            bisect.insort(self._learning, entry, key=lambda e: e.due_ms)
            return
        lane = self._new if entry.state == State.NEW else self._reviews
        if lane.at > 0 and lane.entries[lane.at - 1] is entry:
            lane.at -= 1
        else:
            self._buried.insert(0, entry)

    def _require_current(self) -> QueueEntry:
        if self._current_entry is None:
            raise StudyAppError("no card is being shown; call next_card first")
        return self._current_entry

    def _take(self, now: datetime) -> QueueEntry | None:
        now_ms = to_ms(now)
        if self._learning and self._learning[0].due_ms <= now_ms:
            return self._learning.pop(0)
        for lane in (self._reviews, self._new):
            entry = self._take_from(lane)
            if entry is not None:
                return entry
        if self._learning and self._learning[0].due_ms <= to_ms(now + LEARN_AHEAD):
            return self._learning.pop(0)
        if self._buried:
            # Of the cards kept back, one that does not quote the passage
            # just answered, if there is one.
            last = self._passages[-1] if self._passages else None
            for index, entry in enumerate(self._buried):
                if last is None or self._passage(entry) != last:
                    return self._buried.pop(index)
            return self._buried.pop(0)
        return None

    def _take_from(self, lane: _Lane) -> QueueEntry | None:
        while (entry := lane.peek()) is not None:
            lane.at += 1
            note = (entry.deck_id, entry.note_id)
            settings = self._scheduler_for(entry.deck_id).settings
            if self._will_bury(entry):
                self._dropped.append(entry)  # a sibling was answered today
                continue
            if note in self._answered_notes:
                self._buried.append(entry)  # a sibling was answered: keep apart
                continue
            if settings.separate_passages and self._passages:
                passage = self._passage(entry)
                if passage is not None and passage in self._passages:
                    self._buried.append(entry)  # same passage: keep apart
                    continue
            return entry
        return None

    def _passage(self, entry: QueueEntry) -> Passage | None:
        return passage_of(self._store.card(entry.card_id))

    def _unbury(self, entry: QueueEntry) -> None:
        """Bring back the siblings buried because of an answer now undone."""
        note = (entry.deck_id, entry.note_id)
        back = [e for e in self._dropped if (e.deck_id, e.note_id) == note]
        self._dropped = [e for e in self._dropped if e not in back]
        self._buried = back + self._buried

    @property
    def buried(self) -> int:
        """Siblings of cards answered today, buried until the next day."""
        return len(self._dropped)


def passage_of(card: Card | None) -> Passage | None:
    """The source passage a card quotes, if it quotes one."""
    if card is None or card.source is None or not card.source.quote:
        return None
    return (card.source.ref, card.source.quote)
