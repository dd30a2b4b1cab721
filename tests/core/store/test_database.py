import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from studyapp.core.library import Library
from studyapp.core.model import Rating
from studyapp.core.store.database import Store
from studyapp.core.study.scheduling import Scheduler, apply_answer

from ...conftest import MINI_DECK


def test_an_answer_is_committed_before_save_answer_returns(
    tmp_path: Path, now: datetime, scheduler: Scheduler
) -> None:
    library = Library.open(tmp_path)
    try:
        library.import_paths([MINI_DECK], now=now)
        store = library.store
        card_id = store.card_ids("mini")[0]
        _, record = apply_answer(
            store.card_state(card_id), Rating.GOOD, now=now, scheduler=scheduler
        )
        review_id = store.save_answer(record)
        other = sqlite3.connect(tmp_path / "studyapp.sqlite3")
        try:
            seen = other.execute(
                "SELECT card_id, rating FROM reviews WHERE id = ?", (review_id,)
            ).fetchall()
        finally:
            other.close()
        assert seen == [(card_id, 3)]
        # WAL with FULL sync: the commit waited for the WAL's fsync, so the
        # answer also survives a power cut, not only the process dying.
        assert store.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert store.execute("PRAGMA synchronous").fetchone() == (2,)
    finally:
        library.close()


def test_undo_review_restores_the_state_before_and_drops_the_row(
    library: Library, now: datetime, scheduler: Scheduler
) -> None:
    store = library.store
    card_id = store.card_ids("mini")[0]
    before = store.card_state(card_id)
    after, record = apply_answer(before, Rating.EASY, now=now, scheduler=scheduler)
    review_id = store.save_answer(record)
    assert store.card_state(card_id) == after
    assert store.undo_review(review_id) == before
    assert store.card_state(card_id) == before
    assert store.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0


def test_due_reviews_come_in_due_order_and_new_cards_in_deck_order(
    library: Library, now: datetime, scheduler: Scheduler
) -> None:
    store = library.store
    ids = store.card_ids("mini")
    assert [e.card_id for e in store.new_entries("mini", 10)] == ids
    for offset, card_id in enumerate(reversed(ids[:3])):
        answered = now + timedelta(minutes=offset)
        _, record = apply_answer(
            store.card_state(card_id), Rating.GOOD, now=answered, scheduler=scheduler
        )
        store.save_answer(record)
    learning = store.learning_entries(None, before=now + timedelta(days=1))
    assert [e.card_id for e in learning] == list(reversed(ids[:3]))
    assert [e.card_id for e in store.new_entries("mini", 10)] == ids[3:]


def test_an_in_memory_store_starts_with_the_whole_schema(store: Store) -> None:
    tables = {
        row[0]
        for row in store.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert {"decks", "notes", "cards", "card_state", "reviews", "sources"} <= tables
