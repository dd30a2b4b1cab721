"""Save screenshots of the desktop app on the bundled decks to docs/screenshots/.

Run: ``.venv/bin/python scripts/screenshots.py`` (re-runs itself under
``xvfb-run`` when there is no display and Xvfb is installed; otherwise it
uses Qt's offscreen platform). Every screen, light and dark, at 1100x720
(plain names) and at 800x600 (``-800x600``); ``--light`` or ``--dark`` for
one theme only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QSettings, QSize
from PySide6.QtWidgets import QApplication, QWidget

from studyapp.core.exam.questions import QuestionType
from studyapp.core.exam.session import DEFAULT_TYPES
from studyapp.core.library import Library
from studyapp.core.model import CardType, Rating
from studyapp.gui.app import create_application
from studyapp.gui.help_dialogs import ShortcutsDialog
from studyapp.gui.main_window import MainWindow
from studyapp.gui.theme import Appearance, apply_theme, save_appearance

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SIZES = ((1100, 720), (800, 600))


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
    parser.add_argument("--dark", action="store_true", help="only dark shots")
    parser.add_argument("--light", action="store_true", help="only light shots")
    args = parser.parse_args()
    _ensure_display()
    app = create_application([sys.argv[0]])
    OUT.mkdir(parents=True, exist_ok=True)
    themes = ["light"] * (not args.dark) + ["dark"] * (not args.light)
    for theme in themes:
        # Xvfb has no desktop theme: "dark" sets the app's own dark palette.
        apply_theme(app, Appearance(theme=theme))
        for size in SIZES:
            suffix = "" if size == SIZES[0] else f"-{size[0]}x{size[1]}"
            _shoot(suffix + ("-dark" if theme == "dark" else ""), size, theme)
    sys.stdout.flush()
    # PySide6 can crash while the interpreter tears its wrappers down after
    # many windows; the shots are saved, so leave without that teardown.
    os._exit(0)


def _save(widget: QWidget, name: str) -> None:
    for _ in range(5):
        QApplication.processEvents()
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(f"saved {path.relative_to(ROOT)}")


def _shoot(suffix: str, size: tuple[int, int], theme: str) -> None:
    """Every screen at one size and theme, on a fresh copy of the bundled decks."""
    with tempfile.TemporaryDirectory() as folder:
        library = Library.open(Path(folder) / "data")
        library.import_paths([ROOT / "decks"], now=NOW - timedelta(days=3))
        _study_for_weeks(library)
        _study_a_little(library)
        settings = QSettings(str(Path(folder) / "ui.ini"), QSettings.Format.IniFormat)
        save_appearance(settings, Appearance(theme=theme))
        window = MainWindow(library, settings, clock=lambda: NOW)
        window.resize(*size)
        window.show()
        _shoot_window(window, suffix, size)
        window.close()
        library.close()


def _shoot_window(window: MainWindow, suffix: str, size: tuple[int, int]) -> None:
    tree = window.home.decks
    document = tree.topLevelItem(1)
    if document is not None:
        tree.setCurrentItem(document)
    _save(window, f"main-window{suffix}")

    view = window.start_review(["pedersen-2019-findings"])
    window.toggle_source()
    window.review_splitter.setSizes([size[0] * 6 // 11, size[0] * 5 // 11])
    _save(window, f"review-question-source{suffix}")
    view.reveal_action.trigger()
    _save(window, f"review-source-pane{suffix}")

    view = window.start_review(["pedersen-2019-key-points"])
    while (card := view.current_card) and card.type is not CardType.CLOZE:
        view.reveal_action.trigger()
        view.rating_actions[Rating.GOOD - 1].trigger()
    view.reveal_action.trigger()
    _save(window, f"review-cloze{suffix}")

    view = window.start_review(["correia-2021-neurturin"])
    while view.current_card is not None:
        view.reveal_action.trigger()
        view.rating_actions[Rating.GOOD - 1].trigger()
    _save(window, f"session-summary{suffix}")

    exam = window.open_exam()
    _save(window, f"exam-setup{suffix}")
    exam.setup.count.setValue(6)
    for kind, box in exam.setup.types.items():
        box.setChecked(kind in DEFAULT_TYPES)
    exam.start_exam(replace(exam.setup.spec(), seed=7))
    while (question := exam.current_question) is not None and (
        question.type is not QuestionType.MULTIPLE_CHOICE
    ):
        exam.answer("")
    _save(window, f"exam-question{suffix}")
    while exam.current_question is not None:
        exam.answer("A")
    _save(window, f"exam-results{suffix}")

    planner = window.open_planner()
    _save(window, f"planner{suffix}")
    planner.study_size.setValue(5)
    planner.start_study()
    if planner.review is not None:
        planner.review.reveal_action.trigger()
    _save(window, f"planner-study{suffix}")

    window.close_review()
    dialog = window.open_settings()
    dialog.resize(dialog.sizeHint().boundedTo(QSize(*size)))
    _save(dialog, f"settings{suffix}")
    dialog.close()

    shortcuts = ShortcutsDialog(window)
    shortcuts.resize(shortcuts.size().boundedTo(QSize(size[0] - 20, size[1] - 40)))
    shortcuts.show()
    _save(shortcuts, f"shortcuts{suffix}")
    shortcuts.close()

    window.open_statistics()
    _save(window, f"statistics{suffix}")
    if not suffix:  # the authoring screens, in light at the window's size
        window.resize(1200, 760)
        _authoring_shots(window, _save)


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
