from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from studyapp.core.decks import reader, stream
from studyapp.core.decks.reader import load_whole
from studyapp.core.decks.stream import DeckStream
from studyapp.core.errors import DeckError
from studyapp.core.library import Library
from studyapp.core.model import Deck

from ..conftest import DATA, ROOT

DECKS = ROOT / "decks"


def _record(calls: list[tuple[int, int, str]]) -> Callable[[int, int, str], None]:
    return lambda done, total, name: calls.append((done, total, name))


def test_progress_reports_each_file_then_the_write(now: datetime) -> None:
    files = sorted(DECKS.rglob("*.yaml"))
    calls: list[tuple[int, int, str]] = []
    library = Library.in_memory()
    try:
        library.import_paths([DECKS], now=now, progress=_record(calls))
    finally:
        library.close()
    total = len(files)
    assert [(d, t) for d, t, _name in calls] == [(d, total) for d in range(total + 1)]
    assert sorted(name for _d, _t, name in calls[:-1]) == sorted(f.name for f in files)
    assert calls[-1] == (total, total, "")


def test_each_file_is_parsed_once(
    now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[Path] = []
    real_load = load_whole

    def counting_load(path: Path) -> Deck:
        parsed.append(path)
        return real_load(path)

    class CountingStream(DeckStream):
        def __init__(self, path: Path) -> None:
            parsed.append(path)
            super().__init__(path)

    monkeypatch.setattr(reader, "load_whole", counting_load)
    monkeypatch.setattr(stream, "DeckStream", CountingStream)
    calls: list[tuple[int, int, str]] = []
    library = Library.in_memory()
    try:
        library.import_paths([DATA / "decks"], now=now, progress=_record(calls))
    finally:
        library.close()
    assert [p.name for p in parsed] == ["mini.yaml"]
    assert calls == [(0, 1, "mini.yaml"), (1, 1, "")]


def test_a_refused_import_reports_the_files_read_but_not_the_write(
    now: datetime,
) -> None:
    broken = DATA / "broken" / "duplicate-id.yaml"
    calls: list[tuple[int, int, str]] = []
    library = Library.in_memory()
    try:
        with pytest.raises(DeckError):
            library.import_paths(
                [DATA / "decks" / "mini.yaml", broken], now=now, progress=_record(calls)
            )
    finally:
        library.close()
    assert calls == [(0, 2, "mini.yaml"), (1, 2, "duplicate-id.yaml")]


def test_skipped_unchanged_files_are_reported_too(now: datetime) -> None:
    mini = DATA / "decks" / "mini.yaml"
    calls: list[tuple[int, int, str]] = []
    library = Library.in_memory()
    try:
        library.import_paths([mini], now=now)
        (summary,) = library.import_paths([mini], now=now, progress=_record(calls))
    finally:
        library.close()
    assert summary.skipped
    assert calls == [(0, 1, "mini.yaml"), (1, 1, "")]
