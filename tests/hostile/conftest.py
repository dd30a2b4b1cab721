from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.hostile.sandbox import setup_collection


@pytest.fixture(scope="session")
def seeded_collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A collection with the bundled decks, made once per session."""
    folder = tmp_path_factory.mktemp("seed") / "data"
    setup_collection(folder)
    return folder


@pytest.fixture
def data_dir(seeded_collection: Path, tmp_path: Path) -> Path:
    """A fresh copy of the seeded collection for one test."""
    folder = tmp_path / "data"
    shutil.copytree(seeded_collection, folder, ignore=shutil.ignore_patterns("*.lock"))
    return folder


@pytest.fixture
def attack_dir(tmp_path: Path) -> Path:
    """The folder the hostile file lives in."""
    folder = tmp_path / "attack"
    folder.mkdir()
    return folder
