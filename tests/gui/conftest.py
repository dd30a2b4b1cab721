from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from studyapp.core.library import Library
from studyapp.gui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
DECKS = ROOT / "decks"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The offscreen platform plugin warns whenever a top-level window's size
    # limits change; it is not a fault of the app, so it must not fail tests.
    marker = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
    for item in items:
        if "tests/gui" in item.nodeid:
            item.add_marker(marker)


@dataclass
class FakeClock:
    """The time the GUI reads; tests move it by hand."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(now: datetime) -> FakeClock:
    return FakeClock(now)


@pytest.fixture
def qsettings(tmp_path: Path) -> QSettings:
    """Window settings in a temporary ini file, never the user's own."""
    return QSettings(str(tmp_path / "studyapp.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def bundled(now: datetime) -> Iterator[Library]:
    """An in-memory collection holding every bundled deck."""
    library = Library.in_memory()
    library.import_paths([DECKS], now=now)
    yield library
    library.close()


@pytest.fixture
def window(
    qtbot: QtBot, library: Library, qsettings: QSettings, clock: FakeClock
) -> MainWindow:
    """The main window over the mini deck, shown and active."""
    return show_window(qtbot, MainWindow(library, qsettings, clock))


def show_window(qtbot: QtBot, window: MainWindow) -> MainWindow:
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.isActiveWindow)
    return window
