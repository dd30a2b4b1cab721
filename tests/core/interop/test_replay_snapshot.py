"""Importing a package with history stores exactly what it stored before (snapshots).

tests/data/replay holds two packages made with Anki's library and, for each,
every card state and review row that importing it into a fresh collection
stored with the replay through fsrs's ``review_card`` (commit cca3cbf, see
make_snapshots.py). The replay in milliseconds must give the same rows, bit
for bit: every float, due time and "state before" JSON.
"""

from __future__ import annotations

import gzip
import json
import os
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from studyapp.core.interop import anki_history
from studyapp.core.interop.anki_revlog import RevlogRow
from studyapp.core.interop.history_replay import ReplayPool
from studyapp.core.library import Library
from studyapp.core.study import scheduling
from studyapp.core.study.scheduling import Scheduler
from tests.data.replay.make_snapshots import HERE, NOW, PACKAGES, stored

START_MS = 1_700_000_000_000


def snapshot(name: str) -> dict[str, Any]:
    with gzip.open(HERE / name.replace(".apkg", ".json.gz"), "rt") as file:
        data: dict[str, Any] = json.load(file)
    return data


@pytest.mark.parametrize(
    ("fast", "pool"),
    [(True, False), (True, True), (False, False)],
    ids=["replayer", "pool", "fsrs"],
)
@pytest.mark.parametrize("name", PACKAGES)
def test_import_stores_what_the_snapshot_holds(
    name: str, fast: bool, pool: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scheduling, "fast_replay", lambda: fast)
    if pool:  # worker processes, small batches: the rows must come back in order
        monkeypatch.setattr(anki_history, "POOL_MIN_ROWS", 0)
        monkeypatch.setattr(anki_history, "BATCH_CARDS", 7)
        monkeypatch.setattr(os, "cpu_count", lambda: 2)
    expected = snapshot(name)
    library = Library.open(tmp_path / "collection")
    try:
        summary = library.import_package(HERE / name, now=NOW)
        got = json.loads(json.dumps(stored(library.store.conn)))
    finally:
        library.close()
    assert summary.history.reviews_added == len(expected["reviews"]) > 100
    assert len(got["cards"]) == len(expected["cards"])
    for ours, theirs in zip(got["cards"], expected["cards"], strict=True):
        assert ours == theirs
    for ours, theirs in zip(got["reviews"], expected["reviews"], strict=True):
        assert ours == theirs


def test_the_snapshots_hold_varied_histories() -> None:
    """Learning, review and relearning answers, lapses, resets and fuzz."""
    rows = [row for name in PACKAGES for row in snapshot(name)["reviews"]]
    cards = [card for name in PACKAGES for card in snapshot(name)["cards"]]
    assert {row[5] for row in rows} == {0, 1, 2, 3}  # state before
    assert {row[3] for row in rows} == {1, 2, 3, 4}  # ratings
    assert max(card[9] for card in cards) >= 2  # lapses
    assert any('"step": 1' in row[6] for row in rows)


def test_a_worker_error_comes_back_and_the_pool_stops() -> None:
    replayer = Scheduler().replayer()
    assert replayer is not None
    pool: ReplayPool[str] = ReplayPool(2, window=1)
    try:
        good = [(0, 1, [RevlogRow(START_MS, 7, 3, 1000, 0, "answer")])]
        bad = [(0, 2, [RevlogRow(START_MS, 7, 9, 1000, 0, "answer")])]  # no rating 9
        list(pool.submit([replayer], good, "good"))
        done = list(pool.submit([replayer], bad, "bad"))
        assert [meta for _, meta in done] == ["good"]
        with pytest.raises(IndexError):
            list(pool.drain())
    finally:
        pool.close()


def test_a_broken_pool_imports_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(anki_history, "POOL_MIN_ROWS", 0)
    monkeypatch.setattr(anki_history, "BATCH_CARDS", 7)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    closed: list[bool] = []

    def broken(self: ReplayPool[object]) -> object:
        raise BrokenProcessPool("a worker died")

    monkeypatch.setattr(ReplayPool, "_next", broken)
    real_close = ReplayPool.close

    def close(self: ReplayPool[object]) -> None:
        closed.append(True)
        real_close(self)

    monkeypatch.setattr(ReplayPool, "close", close)
    library = Library.open(tmp_path / "collection")
    try:
        with pytest.raises(BrokenProcessPool):
            library.import_package(HERE / "bench.apkg", now=NOW)
        assert library.store.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0
        assert library.store.execute("SELECT count(*) FROM cards").fetchone()[0] == 0
    finally:
        library.close()
    assert closed == [True]
