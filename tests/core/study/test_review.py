import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from studyapp.core.clock import day_start
from studyapp.core.errors import StudyAppError
from studyapp.core.library import DB_NAME, Library
from studyapp.core.model import CardKind, CardSpec, Deck, Rating, State

from ...conftest import MINI_DECK


def _answer_next(library: Library, now: datetime, rating: Rating) -> int:
    queue = library.review_queue(now=now)
    card = queue.next_card(now)
    assert card is not None
    queue.answer(rating, now=now)
    return card.id


def test_new_cards_come_in_deck_order_with_siblings_kept_apart(
    library: Library, now: datetime
) -> None:
    library.save_settings(replace(library.settings(), bury_siblings=False))
    queue = library.review_queue(now=now)
    seen = []
    while (card := queue.next_card(now)) is not None:
        seen.append((card.note_id, card.ord))
        queue.answer(Rating.EASY, now=now)
    # The reversed card of cathepsin-b and the second cloze wait until the end.
    assert seen == [
        ("myokines", 0),
        ("cathepsin-b", 0),
        ("il6-cloze", 1),
        ("cathepsin-b", 1),
        ("il6-cloze", 2),
    ]


def test_learning_due_first_then_reviews_then_new(
    library: Library, now: datetime
) -> None:
    library.save_settings(replace(library.settings(), bury_siblings=False))
    ids = library.store.card_ids("mini")
    library.store.set_due([ids[1]], now - timedelta(days=1))  # a review due
    first = library.review_queue(now=now)
    card = first.next_card(now)
    assert card is not None
    assert card.id == ids[1]
    first.answer(Rating.AGAIN, now=now)  # now relearning, due in 10 min
    later = now + timedelta(minutes=11)
    library.store.set_due([ids[3]], now - timedelta(hours=1))
    queue = library.review_queue(now=later)
    order = []
    while (card := queue.next_card(later)) is not None:
        order.append((card.id, queue.state().state))
        queue.answer(Rating.EASY, now=later)
    assert order[0] == (ids[1], State.RELEARNING)
    assert order[1] == (ids[3], State.REVIEW)
    assert [s for _, s in order[2:]] == [State.NEW] * 3


def test_daily_new_limit_counts_todays_introductions(
    library: Library, now: datetime
) -> None:
    settings = library.settings()
    library.save_settings(replace(settings, new_per_day=2))
    queue = library.review_queue(now=now)
    assert queue.remaining.new == 2
    _answer_next(library, now, Rating.EASY)
    assert library.review_queue(now=now).remaining.new == 1
    tomorrow = now + timedelta(days=1)
    assert library.review_queue(now=tomorrow).remaining.new == 2


def test_multi_step_undo_restores_states_exactly(
    library: Library, now: datetime
) -> None:
    queue = library.review_queue(now=now)
    before = {}
    answered: list[int] = []
    for rating in (Rating.GOOD, Rating.AGAIN, Rating.EASY):
        card = queue.next_card(now)
        assert card is not None
        before[card.id] = library.store.card_state(card.id)
        queue.answer(rating, now=now + timedelta(seconds=len(answered)))
        answered.append(card.id)
    assert library.store.execute("SELECT count(*) FROM reviews").fetchone()[0] == 3
    for expected in reversed(answered):
        card = queue.undo()
        assert card.id == expected
        assert library.store.card_state(expected) == before[expected]
    assert library.store.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
    assert not queue.can_undo
    with pytest.raises(StudyAppError):
        queue.undo()
    # After undoing everything the session starts from the first card again.
    assert queue.next_card(now) is not None
    assert queue.current is not None
    assert queue.current.id == answered[0]


def test_every_answer_is_committed_before_the_next_card(
    tmp_path: Path, now: datetime
) -> None:
    library = Library.open(tmp_path)
    library.import_paths([MINI_DECK], now=now)
    queue = library.review_queue(now=now)
    other = sqlite3.connect(tmp_path / DB_NAME)
    for count in range(1, 4):
        assert queue.next_card(now) is not None
        queue.answer(Rating.GOOD, now=now)
        # Another connection sees the answer at once: it is committed.
        assert other.execute("SELECT count(*) FROM reviews").fetchone()[0] == count
    other.close()
    library.close()


def test_intervals_are_available_before_answering(
    library: Library, now: datetime
) -> None:
    queue = library.review_queue(now=now)
    queue.next_card(now)
    intervals = queue.intervals(now)
    state = queue.answer(Rating.HARD, now=now)
    assert state.due - now == intervals[Rating.HARD]


def test_reviews_due_later_today_are_shown_until_rollover(
    library: Library, now: datetime
) -> None:
    ids = library.store.card_ids("mini")
    start = library.day_start(now)
    library.store.set_due([ids[0]], start + timedelta(hours=23))
    assert library.review_queue(now=now).remaining.review == 1
    library.store.set_due([ids[0]], start + timedelta(hours=24, minutes=1))
    assert library.review_queue(now=now).remaining.review == 0


def test_day_starts_at_rollover_hour_local_time() -> None:
    zone = timezone(timedelta(hours=2))
    late_night = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 03:30 local
    assert day_start(late_night, 4, zone) == datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    morning = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 05:00 local
    assert day_start(morning, 4, zone) == datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def test_cloze_cards_blank_one_deletion_and_mark_it(library: Library) -> None:
    cloze_ids = [
        c
        for c in library.store.card_ids("mini")
        if library.store.card(c).note_id == "il6-cloze"
    ]
    first, second = (library.store.card(c) for c in cloze_ids)
    assert first.front == "Serum levels of the myokine [...] increase with exercise."
    assert second.front == "Serum levels of the myokine IL-6 increase with [...]."
    assert "<b>IL-6</b>" in first.back


def test_reversed_card_swaps_front_and_back(library: Library) -> None:
    cards = [library.store.card(c) for c in library.store.card_ids("mini")]
    forward, backward = (c for c in cards if c.note_id == "cathepsin-b")
    assert (backward.front, backward.back) == (forward.back, forward.front)


def test_reviews_come_page_by_page_by_due_within_each_decks_limit(
    now: datetime,
) -> None:
    # More due reviews than one page (200), over two decks, one above its limit.
    decks = [
        Deck(
            id=deck_id,
            title=deck_id,
            cards=tuple(
                CardSpec(id=f"c{i}", kind=CardKind.BASIC, front=f"q{i}", back="a")
                for i in range(count)
            ),
            settings={"reviews_per_day": limit},
        )
        for deck_id, count, limit in (("a", 300, 250), ("b", 260, 9999))
    ]
    library = Library.in_memory()
    library.import_decks(decks, now=now)
    due_at = {}
    for offset, deck_id in enumerate(("a", "b")):
        for i, card_id in enumerate(library.store.card_ids(deck_id)):
            due_at[card_id] = now - timedelta(minutes=2 * i + offset)
            library.store.set_due([card_id], due_at[card_id])
    queue = library.review_queue(now=now)
    assert queue.remaining.review == 250 + 260
    seen = []
    while (card := queue.next_card(now)) is not None:
        seen.append(card)
        queue.answer(Rating.GOOD, now=now)
    assert len({c.id for c in seen}) == len(seen) == 250 + 260
    assert [due_at[c.id] for c in seen] == sorted(due_at[c.id] for c in seen)
    assert sum(c.deck_id == "a" for c in seen) == 250
    assert queue.remaining.review == 0
    library.close()
