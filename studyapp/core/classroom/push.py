"""Student side: sending the review log and exam answers to the class server.

A push reads answers already committed to the local collection, so a review
never waits for the network. It sends them in batches, each batch one
transaction; the server ignores events it already has (their key is the event
id), so a batch retried after a lost reply inserts nothing twice. The cursor
in class.json moves only after a batch is committed. When the server cannot
be reached the push retries with exponential backoff, then gives up quietly:
everything not sent stays pending and goes with the next push.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from studyapp.core.classroom.config import (
    ClassConfig,
    Cursor,
    load_config,
    save_config,
)
from studyapp.core.classroom.server import ServerUnreachable
from studyapp.core.classroom.student import student_session
from studyapp.core.store.class_events import (
    LocalExamAnswer,
    LocalReview,
    exam_answers_after,
    reviews_after,
)
from studyapp.core.store.database import Store

BATCH = 2_000
ATTEMPTS = 5
MAX_BACKOFF_S = 60.0

_INSERT_REVIEWS = """
INSERT INTO studyapp.review_events (class_id, student_id, deck_id, note_id, ord,
    reviewed_at, rating, duration_ms, state_before, stability, difficulty, due)
SELECT %s, %s, * FROM unnest(%s::text[], %s::text[], %s::int2[],
    %s::timestamptz[], %s::int2[], %s::int4[], %s::int2[], %s::float4[],
    %s::float4[], %s::timestamptz[])
ON CONFLICT DO NOTHING
"""

_INSERT_EXAM_ANSWERS = """
INSERT INTO studyapp.exam_events (class_id, student_id, deck_id, note_id, ord,
    answered_at, position, question_type, source_ref, section, score)
SELECT %s, %s, * FROM unnest(%s::text[], %s::text[], %s::int2[],
    %s::timestamptz[], %s::int4[], %s::text[], %s::text[], %s::text[],
    %s::float4[])
ON CONFLICT DO NOTHING
"""


@dataclass(frozen=True, slots=True)
class PushResult:
    """What one push sent; ``pending`` when it stopped early (offline)."""

    reviews_sent: int = 0
    reviews_new: int = 0  # not on the server before (the rest were retries)
    exam_answers_sent: int = 0
    exam_answers_new: int = 0
    pending: bool = False
    sharing: bool = True
    error: str = ""


def push(
    store: Store,
    data_dir: Path,
    *,
    now: datetime,
    settle: timedelta = timedelta(0),
    batch: int = BATCH,
    attempts: int = ATTEMPTS,
    backoff_s: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    connect: Callable[[ClassConfig], Any] = student_session,
) -> PushResult:
    """Send what the server does not have yet; never raises for being offline.

    Args:
        store: The local collection.
        data_dir: Its folder (holds class.json).
        now: The current time.
        settle: Leave answers younger than this (they may still be undone).
        batch: Events per transaction.
        attempts: Connection attempts before giving up until the next push.
        backoff_s: The first wait between attempts; doubled each time, with
            jitter, up to MAX_BACKOFF_S.
        sleep: How to wait (tests pass a recorder).
        connect: Opens a connection as the student.
    """
    config = load_config(data_dir)
    if config is None or not config.sharing:
        return PushResult(sharing=config is not None and config.sharing)
    until_ms = int((now - settle).timestamp() * 1000)
    totals = [0, 0, 0, 0]
    last_error = ""
    for attempt in range(attempts):
        try:
            with connect(config) as conn:
                config = _send_reviews(
                    conn, store, config, data_dir, until_ms, batch, totals
                )
                _send_exams(conn, store, config, data_dir, totals)
            return _result(totals)
        except ServerUnreachable as error:
            last_error = str(error)
            # Batches committed before the failure stay sent: their cursor
            # was saved; the next attempt starts after them.
            config = load_config(data_dir) or config
            if attempt + 1 < attempts:
                wait = min(MAX_BACKOFF_S, backoff_s * 2**attempt)
                sleep(wait * random.uniform(0.5, 1.0))
    return _result(totals, error=last_error)


def _result(totals: list[int], *, error: str = "") -> PushResult:
    return PushResult(
        reviews_sent=totals[0],
        reviews_new=totals[1],
        exam_answers_sent=totals[2],
        exam_answers_new=totals[3],
        pending=bool(error),
        error=error,
    )


def _save_cursors(data_dir: Path, config: ClassConfig) -> None:
    """Store the cursors into the file as it is now (sharing may have changed)."""
    saved = load_config(data_dir) or config
    save_config(
        data_dir, saved.with_cursors(reviews=config.reviews, exams=config.exams)
    )


def _send_reviews(
    conn: Any,
    store: Store,
    config: ClassConfig,
    data_dir: Path,
    until_ms: int,
    batch: int,
    totals: list[int],
) -> ClassConfig:
    decks = sorted(config.decks)
    while rows := reviews_after(
        store, config.reviews, decks, until_ms=until_ms, limit=batch
    ):
        inserted = conn.execute(
            _INSERT_REVIEWS,
            (config.class_id, config.student_id, *_review_columns(rows)),
        ).rowcount
        conn.commit()
        totals[0] += len(rows)
        totals[1] += inserted
        last = rows[-1]
        config = config.with_cursors(
            reviews=Cursor(last.at_ms, last.row_id), exams=config.exams
        )
        _save_cursors(data_dir, config)
    return config


def _send_exams(
    conn: Any, store: Store, config: ClassConfig, data_dir: Path, totals: list[int]
) -> None:
    rows = exam_answers_after(store, config.exams, sorted(config.decks))
    if not rows:
        return
    inserted = conn.execute(
        _INSERT_EXAM_ANSWERS,
        (config.class_id, config.student_id, *_exam_columns(rows)),
    ).rowcount
    conn.commit()
    totals[2] += len(rows)
    totals[3] += inserted
    last = rows[-1]
    exams = Cursor(last.at_ms, last.exam_id)
    _save_cursors(data_dir, config.with_cursors(reviews=config.reviews, exams=exams))


def _time(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def _review_columns(rows: Sequence[LocalReview]) -> list[list[Any]]:
    return [
        [r.deck_id for r in rows],
        [r.note_id for r in rows],
        [r.ord for r in rows],
        [_time(r.at_ms) for r in rows],
        [r.rating for r in rows],
        [r.duration_ms for r in rows],
        [r.state_before for r in rows],
        [r.stability for r in rows],
        [r.difficulty for r in rows],
        [_time(r.due_ms) for r in rows],
    ]


def _exam_columns(rows: Sequence[LocalExamAnswer]) -> list[list[Any]]:
    return [
        [a.deck_id for a in rows],
        [a.note_id for a in rows],
        [a.ord for a in rows],
        [_time(a.at_ms) for a in rows],
        [a.position for a in rows],
        [a.question_type for a in rows],
        [a.source_ref for a in rows],
        [a.section for a in rows],
        [a.score for a in rows],
    ]


def push_collection(
    data_dir: Path,
    *,
    now: datetime,
    settle: timedelta = timedelta(0),
    attempts: int = ATTEMPTS,
) -> PushResult:
    """Push from the collection in ``data_dir`` on a connection of its own.

    For a background thread while the app studies: the app's own connection
    keeps writing answers (WAL lets this one read beside it).
    """
    from studyapp.core.library import DB_NAME  # the library sits above push

    config = load_config(data_dir)
    if config is None or not config.sharing:
        return PushResult(sharing=False)
    store = Store.open(data_dir / DB_NAME)
    try:
        return push(store, data_dir, now=now, settle=settle, attempts=attempts)
    finally:
        store.close()
