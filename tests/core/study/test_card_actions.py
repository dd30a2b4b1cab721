from datetime import datetime, timedelta

import pytest

from studyapp.core.errors import StudyAppError
from studyapp.core.library import Library
from studyapp.core.model import Rating, State


def _queue_ids(library: Library, now: datetime) -> list[int]:
    queue = library.review_queue(now=now)
    seen = []
    while (card := queue.next_card(now)) is not None:
        seen.append(card.id)
        queue.drop_current()
    return seen


def test_suspended_and_buried_cards_leave_the_queue_until_released(
    library: Library, now: datetime
) -> None:
    every = _queue_ids(library, now)
    assert len(every) == 5
    library.cards.suspend(every[:2])
    library.cards.bury(every[2:3], now=now)
    assert _queue_ids(library, now) == every[3:]
    counts = library.deck_counts(now=now)[0]
    assert counts.new == 2
    # Buried until the next study day; suspended until unsuspended.
    tomorrow = now + timedelta(days=1)
    assert _queue_ids(library, tomorrow) == every[2:]
    library.cards.unsuspend(every[:1])
    assert _queue_ids(library, tomorrow) == [every[0], *every[2:]]


def test_each_action_is_one_named_undo_step(library: Library, now: datetime) -> None:
    ids = library.cards.find("", now=now)
    assert library.cards.suspend(ids) == 5
    assert library.cards.flag(ids[:1], 4) == 1
    assert library.undo_history.label == "Flag 4 on 1 card"
    assert library.undo() == "Flag 4 on 1 card"
    assert library.cards.find("is:flagged", now=now) == []
    assert library.undo_history.label == "Suspend 5 cards"
    library.undo()
    assert library.cards.find("is:suspended", now=now) == []
    with pytest.raises(StudyAppError, match="nothing to undo"):
        library.undo()


def test_toggle_suspend_is_ankis_at_key(library: Library, now: datetime) -> None:
    ids = library.cards.find("", now=now)
    library.cards.toggle_suspend(ids[:2])
    library.cards.toggle_suspend(ids[:3])  # not all suspended: suspend
    assert library.cards.find("is:suspended", now=now) == ids[:3]
    library.cards.toggle_suspend(ids[:3])  # all suspended: unsuspend
    assert library.cards.find("is:suspended", now=now) == []


def test_reset_and_set_due_are_undone_exactly(library: Library, now: datetime) -> None:
    queue = library.review_queue(now=now)
    card = queue.next_card(now)
    assert card is not None
    queue.reveal()
    queue.answer(Rating.GOOD, now=now)
    before = library.store.card_state(card.id)
    library.cards.reset([card.id], now=now)
    assert library.store.card_state(card.id).state is State.NEW
    assert library.undo() == "Reset 1 card"
    assert library.store.card_state(card.id) == before
    library.cards.set_due([card.id], now + timedelta(days=9))
    assert library.cards.find("prop:due=9", now=now) == [card.id]
    library.undo()
    assert library.store.card_state(card.id) == before
    assert len(library.cards.history(card.id)) == 1


def test_an_answer_is_undone_after_the_session_is_left(
    library: Library, now: datetime
) -> None:
    queue = library.review_queue(now=now)
    card = queue.next_card(now)
    assert card is not None
    queue.answer(Rating.EASY, now=now)
    del queue  # the session ended
    assert library.undo_history.label == "Answer (Easy)"
    library.undo()
    assert library.store.card_state(card.id).state is State.NEW
    assert library.cards.history(card.id) == []


def test_undo_in_the_session_removes_the_history_step(
    library: Library, now: datetime
) -> None:
    library.cards.flag(library.cards.find("", now=now), 1)
    queue = library.review_queue(now=now)
    assert queue.next_card(now) is not None
    queue.answer(Rating.GOOD, now=now)
    queue.undo()
    assert library.undo_history.label == "Flag 1 on 5 cards"


def test_history_undo_of_the_live_session_puts_the_card_back(
    library: Library, now: datetime
) -> None:
    queue = library.review_queue(now=now)
    card = queue.next_card(now)
    assert card is not None
    queue.answer(Rating.GOOD, now=now)
    library.undo()
    assert queue.current is not None
    assert queue.current.id == card.id
    assert not queue.can_undo
