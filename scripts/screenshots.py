"""Save screenshots of the desktop app on the bundled decks to docs/screenshots/.

Run: ``.venv/bin/python scripts/screenshots.py`` (re-runs itself under
``xvfb-run`` when there is no display and Xvfb is installed; otherwise it
uses Qt's offscreen platform). ``--dark`` adds dark-palette shots.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from studyapp.core.library import Library
from studyapp.core.model import CardType, Rating
from studyapp.gui.app import create_application
from studyapp.gui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _ensure_display() -> None:
    """Re-run under Xvfb when there is no display; else fall back to offscreen."""
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if shutil.which("xvfb-run") and not os.environ.get("STUDYAPP_UNDER_XVFB"):
        env = {**os.environ, "STUDYAPP_UNDER_XVFB": "1"}
        command = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24"]
        sys.exit(subprocess.call([*command, sys.executable, *sys.argv], env=env))
    os.environ["QT_QPA_PLATFORM"] = "offscreen"


def main() -> int:
    """Open the app on the bundled decks and save the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dark", action="store_true", help="also dark-palette shots")
    args = parser.parse_args()
    _ensure_display()
    app = create_application([sys.argv[0]])
    if args.dark:
        # Ask for the dark scheme; Xvfb has no desktop theme to honour the
        # request, so also set the palette Fusion uses for dark desktops.
        app.styleHints().setColorScheme(Qt.ColorScheme.Dark)
        app.setPalette(_dark_palette())
    OUT.mkdir(parents=True, exist_ok=True)
    suffix = "-dark" if args.dark else ""

    def save(widget: QWidget, name: str) -> None:
        for _ in range(5):
            QApplication.processEvents()
        path = OUT / f"{name}{suffix}.png"
        widget.grab().save(str(path))
        print(f"saved {path.relative_to(ROOT)}")

    with tempfile.TemporaryDirectory() as folder:
        library = Library.open(Path(folder) / "data")
        library.import_paths([ROOT / "decks"], now=NOW - timedelta(days=3))
        _study_for_weeks(library)
        _study_a_little(library)
        settings = QSettings(str(Path(folder) / "ui.ini"), QSettings.Format.IniFormat)
        window = MainWindow(library, settings, clock=lambda: NOW)
        window.resize(1200, 760)
        window.show()
        tree = window.home.decks
        document = tree.topLevelItem(1)
        if document is not None:
            tree.setCurrentItem(document)
        save(window, "main-window")

        view = window.start_review(["pedersen-2019-findings"])
        window.toggle_source()
        window.review_splitter.setSizes([640, 560])
        view.reveal_action.trigger()
        save(window, "review-source-pane")

        view = window.start_review(["pedersen-2019-key-points"])
        while (card := view.current_card) and card.type is not CardType.CLOZE:
            view.reveal_action.trigger()
            view.rating_actions[Rating.GOOD - 1].trigger()
        view.reveal_action.trigger()
        save(window, "review-cloze")

        dialog = window.open_settings()
        save(dialog, "settings")
        dialog.close()

        window.resize(1200, 1000)
        window.open_statistics()
        save(window, "statistics")
        window.resize(1200, 760)
        _authoring_shots(window, save)
        window.close()
        library.close()
    return 0


def _authoring_shots(window: MainWindow, save: Callable[[QWidget, str], None]) -> None:
    """The card browser, the editor with an inline error, a passage made a card."""
    browser = window.authoring.open_browser("deck:pedersen-2019 kind:glossary")
    browser.resize(1300, 720)
    browser.select_rows([2])
    browser.flag(1)
    browser.select_rows([5])
    browser.toggle_suspend()
    browser.select_rows([0])
    save(browser, "card-browser")
    card_id = browser.selected_ids()[0]
    browser.close()

    editor = window.authoring.open_editor(card_id)
    assert editor is not None
    editor.set_value("quote", "Myokines are made in the liver")
    editor.set_value("front", "")
    editor.check_now()
    save(editor, "card-editor-error")
    editor.close()

    view = window.start_review(["pedersen-2019-key-points"])
    if not window.source_pane.isVisibleTo(window.review_splitter):
        window.toggle_source()
    window.review_splitter.setSizes([560, 640])
    pane = window.source_pane
    text = pane.browser.toPlainText()
    wanted = "Exercise increases muscular expression of kynurenine aminotransferases"
    start = text.index(wanted)
    cursor = pane.browser.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(wanted), cursor.MoveMode.KeepAnchor)
    pane.browser.setTextCursor(cursor)
    pane.browser.setFocus()
    save(window, "source-selection")
    pane.new_card_action.trigger()
    editor = window.authoring.editor
    assert editor is not None
    editor.set_value(
        "front", "What does exercise increase in muscle, regarding kynurenine?"
    )
    editor.set_value("back", "Expression of kynurenine aminotransferases.")
    editor.check_now()
    save(editor, "new-card-from-passage")
    editor.close()
    view.hide()


def _dark_palette() -> QPalette:
    """A dark palette like Fusion's own for a dark desktop."""
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    palette = QPalette()
    colours = {
        role.Window: "#2b2b2b",
        role.WindowText: "#f0f0f0",
        role.Base: "#1e1e1e",
        role.AlternateBase: "#262626",
        role.Text: "#f0f0f0",
        role.Button: "#353535",
        role.ButtonText: "#f0f0f0",
        role.ToolTipBase: "#353535",
        role.ToolTipText: "#f0f0f0",
        role.Highlight: "#2f65ca",
        role.HighlightedText: "#ffffff",
        role.PlaceholderText: "#a0a0a0",
        role.Link: "#7fb6ff",
    }
    for which, colour in colours.items():
        palette.setColor(which, QColor(colour))
    for which in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, which, QColor("#8a8a8a"))
    return palette


def _study_for_weeks(library: Library) -> None:
    """Study the neurturin deck most days of the past weeks (for the statistics)."""
    deck = "correia-2021-neurturin"
    turn = 0
    for days_ago in range(24, 3, -1):
        if days_ago % 6 == 0:
            continue  # a day off now and then
        moment = NOW - timedelta(days=days_ago, hours=2)
        queue = library.review_queue([deck], now=moment)
        for _ in range(25):
            if queue.next_card(moment) is None:
                break
            queue.reveal()
            turn += 1
            choice = (Rating.AGAIN, Rating.GOOD, Rating.GOOD, Rating.HARD)[turn % 4]
            if turn % 7 == 0:
                choice = Rating.EASY
            queue.answer(choice, now=moment, duration_ms=12_000)
            moment += timedelta(seconds=50)


def _study_a_little(library: Library) -> None:
    """Answer some cards over the past days so the counts look lived in."""
    for days_ago, deck in (
        (3, "pedersen-2019-key-points"),
        (2, "pedersen-2019-glossary"),
    ):
        moment = NOW - timedelta(days=days_ago)
        queue = library.review_queue([deck], now=moment)
        for index in range(10):
            if queue.next_card(moment) is None:
                break
            queue.reveal()
            choice = Rating.AGAIN if index % 4 == 0 else Rating.GOOD
            queue.answer(choice, now=moment, duration_ms=8000)
            moment += timedelta(seconds=20)
    moment = NOW - timedelta(minutes=30)
    queue = library.review_queue(None, now=moment)
    for index in range(6):
        if queue.next_card(moment) is None:
            break
        queue.reveal()
        queue.answer(
            Rating.HARD if index == 2 else Rating.GOOD, now=moment, duration_ms=35_000
        )
        moment += timedelta(seconds=40)


if __name__ == "__main__":
    sys.exit(main())
