"""Pushing the review log: batched, idempotent, retried, catching up offline."""

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import psycopg

from studyapp.core.classroom.config import ClassConfig, Cursor, load_config, save_config
from studyapp.core.classroom.push import push
from studyapp.core.classroom.server import ServerUnreachable
from studyapp.core.classroom.student import set_sharing, student_session
from studyapp.core.model import Rating

from .conftest import ClassDb
from .helpers import answer, enrol, two_classes


def _server_counts(db: ClassDb) -> tuple[int, int]:
    with psycopg.connect(db.admin) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM studyapp.review_events),"
            " (SELECT coalesce(sum(reviews), 0) FROM studyapp.card_progress)"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def test_a_retried_push_inserts_nothing_twice(
    class_db: ClassDb, tmp_path: Path, now: datetime
) -> None:
    two_classes(class_db)
    ann = enrol(class_db, tmp_path / "ann", "bio", "alice", now)
    done = answer(ann.library, 5, now, Rating.AGAIN)  # learning: cards come back
    done += answer(ann.library, 5, now + timedelta(minutes=30))
    later = now + timedelta(hours=2)
    first = push(ann.library.store, ann.data_dir, now=later, batch=3)
    assert (first.reviews_sent, first.reviews_new) == (done, done)
    assert _server_counts(class_db) == (done, done)
    # The reply was lost: the cursor never moved, the same batches go again.
    config = load_config(ann.data_dir)
    assert config is not None
    save_config(ann.data_dir, config.with_cursors(reviews=Cursor(), exams=Cursor()))
    again = push(ann.library.store, ann.data_dir, now=later, batch=3)
    assert (again.reviews_sent, again.reviews_new) == (done, 0)
    assert _server_counts(class_db) == (done, done)  # rollup counted once too
    # Nothing new: nothing sent.
    assert push(ann.library.store, ann.data_dir, now=later).reviews_sent == 0


def test_offline_answers_wait_then_catch_up_with_backoff(
    class_db: ClassDb, tmp_path: Path, now: datetime
) -> None:
    two_classes(class_db)
    ann = enrol(class_db, tmp_path / "ann", "bio", "alice", now)
    config = load_config(ann.data_dir)
    assert config is not None
    online = config.url
    # The server goes away (nothing listens on port 9): answers still work.
    save_config(ann.data_dir, replace(config, url="postgresql://127.0.0.1:9/x"))
    done = answer(ann.library, 4, now)
    waits: list[float] = []
    later = now + timedelta(hours=1)
    offline = push(ann.library.store, ann.data_dir, now=later, sleep=waits.append)
    assert offline.pending
    assert "cannot reach" in offline.error
    assert offline.reviews_sent == 0
    assert len(waits) == 4  # five attempts, a wait between each
    for attempt, wait in enumerate(waits):  # doubling, with jitter
        assert 0.5 * 2**attempt <= wait <= 2**attempt
    offline_config = load_config(ann.data_dir)
    assert offline_config is not None
    assert offline_config.reviews == Cursor()
    # Back online, more answers later: everything goes, in order.
    done += answer(ann.library, 4, later)
    save_config(ann.data_dir, replace(offline_config, url=online))
    caught_up = push(ann.library.store, ann.data_dir, now=later + timedelta(hours=1))
    assert not caught_up.pending
    assert caught_up.reviews_new == done == _server_counts(class_db)[0]


def test_a_dropped_connection_is_retried_and_keeps_committed_batches(
    class_db: ClassDb, tmp_path: Path, now: datetime
) -> None:
    two_classes(class_db)
    ann = enrol(class_db, tmp_path / "ann", "bio", "alice", now)
    done = answer(ann.library, 5, now)
    attempts: list[int] = []

    def flaky(config: ClassConfig):  # type: ignore[no-untyped-def]
        attempts.append(1)
        if len(attempts) == 1:
            raise ServerUnreachable("cannot reach the class server: test")
        return student_session(config)

    waits: list[float] = []
    result = push(
        ann.library.store,
        ann.data_dir,
        now=now + timedelta(hours=1),
        connect=flaky,
        sleep=waits.append,
        batch=2,
    )
    assert len(attempts) == 2
    assert len(waits) == 1
    assert result.reviews_new == done == _server_counts(class_db)[0]


def test_sharing_off_sends_nothing_and_a_settle_time_holds_back_fresh_answers(
    class_db: ClassDb, tmp_path: Path, now: datetime
) -> None:
    two_classes(class_db)
    ann = enrol(class_db, tmp_path / "ann", "bio", "alice", now)
    answer(ann.library, 3, now)  # at now, now+1 min, now+2 min
    set_sharing(ann.data_dir, False)
    off = push(ann.library.store, ann.data_dir, now=now + timedelta(hours=1))
    assert not off.sharing
    assert off.reviews_sent == 0
    assert _server_counts(class_db)[0] == 0
    set_sharing(ann.data_dir, True)
    # Answers younger than the settle time may still be undone: kept back.
    early = push(
        ann.library.store,
        ann.data_dir,
        now=now + timedelta(minutes=3),
        settle=timedelta(minutes=2),
    )
    assert early.reviews_sent == 2
    assert (
        push(ann.library.store, ann.data_dir, now=now + timedelta(hours=1)).reviews_sent
        == 1
    )
