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
from pathlib import Path
from typing import Any

import pytest

from studyapp.core.library import Library
from studyapp.core.study import scheduling
from tests.data.replay.make_snapshots import HERE, NOW, PACKAGES, stored


def snapshot(name: str) -> dict[str, Any]:
    with gzip.open(HERE / name.replace(".apkg", ".json.gz"), "rt") as file:
        data: dict[str, Any] = json.load(file)
    return data


@pytest.mark.parametrize("fast", [True, False], ids=["replayer", "fsrs"])
@pytest.mark.parametrize("name", PACKAGES)
def test_import_stores_what_the_snapshot_holds(
    name: str, fast: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scheduling, "fast_replay", lambda: fast)
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
