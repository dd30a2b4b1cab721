from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from studyapp.core.library import Library
from studyapp.core.model import State
from studyapp.gui.main_window import MainWindow

from .conftest import FakeClock, show_window

TYPED_DECK = """deck:
  id: typed
  title: Typed answers
  kind: glossary
cards:
  - id: acid
    type: typed
    front: What do kynurenine aminotransferases convert kynurenine to?
    back: Kynurenic acid
  - id: minutes
    type: typed
    front: How many minutes of activity a week are recommended?
    back: 150 min
"""


def typed_window(
    qtbot: QtBot, tmp_path: Path, now: datetime, qsettings: QSettings, clock: FakeClock
) -> tuple[MainWindow, Library]:
    deck = tmp_path / "typed.yaml"
    deck.write_text(TYPED_DECK, encoding="utf-8")
    library = Library.in_memory()
    library.import_paths([deck], now=now)
    return show_window(qtbot, MainWindow(library, qsettings, clock)), library


def test_typed_answer_is_checked_on_enter_and_rated_with_keys(
    qtbot: QtBot, tmp_path: Path, now: datetime, qsettings: QSettings, clock: FakeClock
) -> None:
    window, library = typed_window(qtbot, tmp_path, now, qsettings, clock)
    try:
        view = window.start_review(["typed"])
        card = view.current_card
        assert card is not None
        assert view.typed.isVisible()
        assert view.typed.line.hasFocus()
        qtbot.keyClicks(view.typed.line, "kynurenic acd 1")
        assert view.typed.line.text() == "kynurenic acd 1"  # keys go to the box
        assert not library.store.execute("SELECT 1 FROM reviews").fetchone()
        view.typed.line.setText("kynurenic acd")
        qtbot.keyClick(view.typed.line, Qt.Key.Key_Return)
        assert "matches" in view.typed.verdict.text()
        with qtbot.waitSignal(view.card_answered):
            qtbot.keyClick(view, Qt.Key.Key_3)
        assert library.store.card_state(card.id).state is State.LEARNING

        qtbot.keyClicks(view.typed.line, "60 min")
        qtbot.keyClick(view.typed.line, Qt.Key.Key_Return)
        assert "not the answer" in view.typed.verdict.text()
        window.close()
    finally:
        library.close()


def test_answer_box_is_hidden_for_other_cards(window: MainWindow) -> None:
    view = window.start_review(["mini"])
    assert not view.typed.isVisible()
