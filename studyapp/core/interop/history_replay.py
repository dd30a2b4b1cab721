"""Replaying cards' Anki histories: one card, or batches of cards in worker processes.

The replay of one card needs nothing of another's, so a big history is
replayed in a pool of processes while the importing process reads the
revlog and writes the rows. Results come back in the order the batches
went out, so the review log's rows are written in the same order as
without a pool; the writing (and its one transaction) stays with the
caller, and at most ``window`` batches are out at a time.
"""

from __future__ import annotations

import multiprocessing
import sys
import types
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Generic, TypeVar

from studyapp.core.interop.anki_revlog import RevlogRow
from studyapp.core.store.anki_rows import ImportedReview
from studyapp.core.study.replay import Final, Replayer, Row

#: Replays answers ((time ms, rating)) on a new card due at a time (ms).
Replay = Callable[[int, int, Sequence[tuple[int, int]]], tuple[list[Row], Final]]
#: What replaying one card gives: its log rows, its final state (card_state
#: values less the card id) and how many resets its history had.
CardResult = tuple[list[ImportedReview], Final, int]
_Meta = TypeVar("_Meta")


def new_values(due_ms: int) -> Final:
    """A new card's card_state values (less the card id), due at ``due_ms``."""
    return (0, None, None, None, due_ms, None, 0, 0)  # type: ignore[return-value]


def card_history(replay: Replay, card_id: int, rows: Sequence[RevlogRow]) -> CardResult:
    """Replay one card's rows (answers, resets, already logged answers).

    A reset makes the card new again from there; rows of kind "logged"
    (answers already in the review log) are replayed but not returned.
    """
    reviews: list[ImportedReview] = []
    start_ms = abs(rows[0][0])
    final = new_values(start_ms)
    resets = 0
    segment: list[RevlogRow] = []
    for row in [*rows, None]:
        if row is not None and row[5] != "reset":
            segment.append(row)
            continue
        if segment:
            answers = [(abs(r[0]), r[2]) for r in segment]
            replayed, final = replay(card_id, start_ms, answers)
            reviews.extend(
                (card_id, r[0], r[2], r[3], *answer, r[0], r[4])
                for r, answer in zip(segment, replayed, strict=True)
                if r[5] == "answer"
            )
            segment = []
        if row is not None:  # a reset: the card is new again from here
            resets += 1
            start_ms = row[0]
            final = new_values(start_ms)
    return reviews, final, resets


#: Cards to replay: (which of the batch's replayers, card id, its rows).
Batch = Sequence[tuple[int, int, Sequence[RevlogRow]]]


def replay_batch(replayers: Sequence[Replayer], batch: Batch) -> list[CardResult]:
    """:func:`card_history` for each card of a batch (in a worker)."""
    return [
        card_history(replayers[which].replay, card_id, rows)
        for which, card_id, rows in batch
    ]


def _ready() -> None:
    """A worker's first task: nothing (the pool starts its processes with it)."""


@contextmanager
def _no_main() -> Iterator[None]:
    """A main module without a file or spec, while workers are started."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


class ReplayPool(Generic[_Meta]):
    """Batches of cards replayed in worker processes, results in order.

    Each batch carries the caller's ``meta`` (e.g. which cards it holds),
    handed back with its results.
    """

    def __init__(self, workers: int, window: int) -> None:
        self.window = window
        self._executor = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn")
        )
        self._pending: deque[tuple[Future[list[CardResult]], _Meta]] = deque()
        # The workers start now, all of them, each told of no main module:
        # spawn would otherwise run the program's main script again in each
        # worker (see multiprocessing's "safe importing of main module").
        with _no_main():
            started = [self._executor.submit(_ready) for _ in range(workers)]
        for future in started:
            future.result()

    def submit(
        self, replayers: Sequence[Replayer], batch: Batch, meta: _Meta
    ) -> Iterator[tuple[list[CardResult], _Meta]]:
        """Send a batch out; yield the results of the oldest while too many are out."""
        future = self._executor.submit(replay_batch, replayers, batch)
        self._pending.append((future, meta))
        while len(self._pending) > self.window:
            yield self._next()

    def drain(self) -> Iterator[tuple[list[CardResult], _Meta]]:
        """Yield the results of every batch still out, oldest first."""
        while self._pending:
            yield self._next()

    def _next(self) -> tuple[list[CardResult], _Meta]:
        future, meta = self._pending.popleft()
        return future.result(), meta  # a worker's error is raised here

    def close(self) -> None:
        """Stop the workers; batches not yet replayed are dropped."""
        self._pending.clear()
        self._executor.shutdown(wait=True, cancel_futures=True)
