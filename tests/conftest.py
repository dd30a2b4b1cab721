import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studyapp.core.library import Library
from studyapp.core.store.database import Store
from studyapp.core.study.scheduling import Scheduler

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"
MINI_DECK = DATA / "decks" / "mini.yaml"


@pytest.fixture
def now() -> datetime:
    return datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def store() -> Iterator[Store]:
    store = Store.open(None)
    yield store
    store.close()


@pytest.fixture
def scheduler() -> Scheduler:
    return Scheduler(enable_fuzzing=False)


@pytest.fixture
def library(now: datetime) -> Iterator[Library]:
    """An in-memory collection holding the mini deck (5 cards, 3 notes)."""
    library = Library.in_memory()
    library.import_paths([MINI_DECK], now=now)
    yield library
    library.close()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder, also set as $STUDYAPP_DATA_DIR."""
    folder = tmp_path / "data"
    monkeypatch.setenv("STUDYAPP_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def deck_file(tmp_path: Path) -> Path:
    """A copy of the mini deck with a copy of its source text (for edits).

    The source text sits in the deck's folder tree, where a deck's sources
    must be.
    """
    path = tmp_path / "decks" / "mini.yaml"
    sources = path.parent / "resources" / "sources"
    sources.mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "sources" / "pedersen-2019.txt", sources)
    shutil.copy(MINI_DECK, path)
    return path


@pytest.fixture
def lib(deck_file: Path, now: datetime) -> Iterator[Library]:
    """An in-memory collection holding the copied mini deck (edits hit the copy)."""
    library = Library.in_memory()
    library.import_paths([deck_file], now=now)
    yield library
    library.close()
