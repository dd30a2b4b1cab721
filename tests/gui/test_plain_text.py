"""Finding 6 (issue 20): text from data is never Qt rich text outside card faces."""

from __future__ import annotations

import ast
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from studyapp.core.library import Library
from studyapp.core.model import CardKind, CardSpec, Deck
from studyapp.gui.main_window import MainWindow
from studyapp.gui.plain import MarkupLabel

from .conftest import FakeClock, show_window

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<img src=/dev/zero width=4000 height=4000><b>Evil</b>"


def test_hostile_deck_title_shows_as_plain_text(
    qtbot: QtBot, qsettings: QSettings, clock: FakeClock, now: datetime
) -> None:
    library = Library.in_memory()
    deck = Deck(
        id="evil",
        title=HOSTILE,
        cards=(CardSpec(id="a", kind=CardKind.BASIC, front="front", back="back"),),
        path="evil.apkg",
    )
    library.import_decks([deck], now=now)
    window = show_window(qtbot, MainWindow(library, qsettings, clock))
    tree = window.home.decks
    leaves = [tree.topLevelItem(0)]
    while leaves[-1].childCount():
        leaves.append(leaves[-1].child(0))
    tip = leaves[-1].toolTip(0)
    assert "&lt;img" in tip
    assert "<img" not in tip
    view = window.start_review([])
    labels = view.findChildren(QLabel) + window.findChildren(QLabel)
    shown = [label for label in labels if "<img" in label.text()]
    assert shown  # the caption names the deck
    for label in labels:
        if isinstance(label, MarkupLabel):  # coloured counts, never data
            assert "Evil" not in label.text()
            continue
        assert label.textFormat().name == "PlainText", label.objectName()
    for label in shown:
        assert label.sizeHint().width() < 2000
        assert label.sizeHint().height() < 200
    library.close()


def test_no_bare_qlabel_in_the_gui() -> None:
    """Every label is a PlainLabel (gui/plain.py); a bare QLabel guesses rich text."""
    offenders = []
    for path in sorted((ROOT / "studyapp" / "gui").glob("*.py")):
        if path.name == "plain.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("QLabel", "QToolTip")
            ):
                offenders.append(f"{path.name}:{node.lineno}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "QMessageBox"
                and node.func.attr in ("warning", "critical", "information")
            ):
                offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders
