"""Issue 17: the review screen as a learner meets it (bugs 1, 3-9, 11, 14)."""

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from studyapp.core.library import Library
from studyapp.core.model import CardType, Rating
from studyapp.gui.card_text import CardTextView
from studyapp.gui.main_window import MainWindow
from studyapp.gui.settings_dialog import SettingsDialog

from .conftest import DECKS, FakeClock, show_window

LONG_TITLE = (
    "A deck with a very long title about muscle-brain crosstalk, myokines, "
    "neurotrophic factors and the motor neurons that exercise keeps alive"
)
EXTRA_DECK = f"""deck:
  id: extra
  title: {LONG_TITLE}
  kind: basic
cards:
  - id: bold
    front: Which <b>bold</b> word is only emphasis?
    back: The bold one.
  - id: script
    front: Question 17 <b>bold</b><script>alert(1)</script>
    back: An answer.
  - id: identity
    type: typed
    front: What does neurturin help motor neurons keep?
    back: Their identity (motor neuron identity).
  - id: long
    front: {"A question that goes on and on. " * 80}
    back: Short.
"""


def extra_library(tmp_path: Path, now: datetime) -> Library:
    deck = tmp_path / "extra.yaml"
    deck.write_text(EXTRA_DECK, encoding="utf-8")
    library = Library.in_memory()
    library.import_paths([deck, DECKS], now=now)
    return library


def open_window(
    qtbot: QtBot, library: Library, qsettings: QSettings, clock: FakeClock
) -> MainWindow:
    return show_window(qtbot, MainWindow(library, qsettings, clock))


def key(qtbot: QtBot, which: Qt.Key) -> None:
    """Press a key where the focus is, as a learner would."""
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, which)


def test_bug1_source_pane_gives_nothing_away_before_the_answer(
    qtbot: QtBot, bundled: Library, qsettings: QSettings, clock: FakeClock
) -> None:
    window = open_window(qtbot, bundled, qsettings, clock)
    view = window.start_review(["pedersen-2019-findings"])
    qtbot.keyClick(view, Qt.Key.Key_S)
    pane = window.source_pane
    card = view.current_card
    assert card is not None
    assert card.study is not None
    assert card.source is not None
    # The question side: no study line, and the quoted passage is masked.
    assert pane.study_text == ""
    assert pane.reference_text == ""
    assert pane.highlighted() == []
    covered = [" ".join(text.split()) for text in pane.masked()]
    assert any(card.source.quote[:30] in text for text in covered), covered
    for bar in pane.browser.extraSelections():  # covered: text as background
        assert bar.format.foreground().color() == bar.format.background().color()
    assert pane.section_text == f"Section: {card.source.section}"
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert pane.study_text.startswith("Study: ")
    assert card.source.quote[:30] in " ".join(pane.highlighted()[0].split())


def test_bug3_space_on_the_summary_keeps_the_summary(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = window.start_review(["mini"])
    while view.current_card is not None:
        key(qtbot, Qt.Key.Key_Space)
        key(qtbot, Qt.Key.Key_4)
    summary = view.findChild(QLabel, "summary")
    assert summary is not None
    assert summary.isVisible()
    key(qtbot, Qt.Key.Key_Space)
    assert window.review is view
    assert summary.isVisible()
    key(qtbot, Qt.Key.Key_Z)  # plain Z does nothing either
    assert window.review is view


def test_bug4_space_after_clicking_source_shows_the_answer(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = window.start_review(["mini"])
    source = next(b for b in view.findChildren(QPushButton) if b.isCheckable())
    qtbot.mouseClick(source, Qt.MouseButton.LeftButton)
    assert window.source_pane.isVisible()
    key(qtbot, Qt.Key.Key_Space)
    assert view.rating_buttons[Rating.GOOD].isVisible()
    assert window.source_pane.isVisible()


def test_bug5_deck_list_and_session_count_learning_cards_alike(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = window.start_review(["mini"])
    key(qtbot, Qt.Key.Key_Space)
    key(qtbot, Qt.Key.Key_3)  # Good: back in 10 minutes
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    listed = int(window.home.decks.topLevelItem(0).text(2))
    session = window.start_review(["mini"])
    assert listed == 1
    assert session._queue.remaining.learning == listed


def test_bug6_card_text_scroll_bar_is_not_black(
    qtbot: QtBot, tmp_path: Path, now: datetime, qsettings: QSettings, clock: FakeClock
) -> None:
    from studyapp.gui.theme import apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app)  # the app's own stylesheet, as when it runs
    library = extra_library(tmp_path, now)
    window = open_window(qtbot, library, qsettings, clock)
    view = window.start_review(["extra"])
    while (card := view.current_card) is not None and card.note_id != "long":
        view.reveal_action.trigger()
        view.rating_actions[Rating.EASY - 1].trigger()
    front = view.findChild(CardTextView, "cardText")
    assert front is not None
    bar = front.verticalScrollBar()
    assert bar.isVisible()
    image = bar.grab().toImage()
    groove = QColor(image.pixel(image.width() // 2, image.height() - 30))
    assert groove.lightness() > 60, groove.name()
    library.close()


def test_bug7_typed_answer_graded_on_key_content_with_override(
    qtbot: QtBot, tmp_path: Path, now: datetime, qsettings: QSettings, clock: FakeClock
) -> None:
    library = extra_library(tmp_path, now)
    window = open_window(qtbot, library, qsettings, clock)
    view = window.start_review(["extra"])
    while (card := view.current_card) is not None and card.type is not CardType.TYPED:
        view.reveal_action.trigger()
        view.rating_actions[Rating.EASY - 1].trigger()
    qtbot.keyClicks(view.typed.line, "motor neuron identity")
    qtbot.keyClick(view.typed.line, Qt.Key.Key_Return)
    assert "matches" in view.typed.verdict.text()
    assert not view.typed.right_button.isVisible()
    view.rating_actions[Rating.GOOD - 1].trigger()
    # Taken back and answered wrong: the difference is shown, and "I was
    # right" is offered.
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.current_card is not None
    assert view.current_card.note_id == "identity"
    qtbot.keyClicks(view.typed.line, "sensory neuron identity")
    qtbot.keyClick(view.typed.line, Qt.Key.Key_Return)
    verdict = view.typed.verdict.text()
    assert "not the answer" in verdict
    assert "motor" in verdict
    assert "sensory" in verdict
    qtbot.mouseClick(view.typed.right_button, Qt.MouseButton.LeftButton)
    assert "your call" in view.typed.verdict.text()
    with qtbot.waitSignal(view.card_answered):
        qtbot.mouseClick(view.rating_buttons[Rating.GOOD], Qt.MouseButton.LeftButton)
    from studyapp.core.store.study_rows import typed_answer  # new in issue 17

    last = library.store.execute("SELECT max(id) FROM reviews").fetchone()[0]
    assert typed_answer(library.store, last) == (
        "sensory neuron identity",
        False,
        True,
    )
    library.close()


def test_bug8_bold_text_is_not_marked_as_a_cloze(
    qtbot: QtBot, tmp_path: Path, now: datetime, qsettings: QSettings, clock: FakeClock
) -> None:
    library = extra_library(tmp_path, now)
    window = open_window(qtbot, library, qsettings, clock)
    view = window.start_review(["extra"])
    card = view.current_card
    assert card is not None
    assert card.note_id == "bold"
    front = view.findChild(CardTextView, "cardText")
    assert front is not None
    assert "<b>" in card.front
    assert "b {" not in front.document().defaultStyleSheet()
    # A revealed cloze still marks its filled-in words.
    cloze = window.start_review(["pedersen-2019-key-points"])
    while (card := cloze.current_card) is not None and card.type is not CardType.CLOZE:
        cloze.reveal_action.trigger()
        cloze.rating_actions[Rating.EASY - 1].trigger()
    cloze.reveal_action.trigger()
    marked = cloze.findChild(CardTextView, "cardText")
    assert marked is not None
    assert "b { background-color" in marked.document().defaultStyleSheet()
    library.close()


def test_bug9_siblings_do_not_come_in_the_same_day(
    qtbot: QtBot, window: MainWindow, library: Library
) -> None:
    view = window.start_review(["mini"])
    notes = []
    while (card := view.current_card) is not None:
        notes.append(card.note_id)
        key(qtbot, Qt.Key.Key_Space)
        key(qtbot, Qt.Key.Key_4)
    assert sorted(notes) == ["cathepsin-b", "il6-cloze", "myokines"]
    again = window.start_review(["mini"])
    assert again.current_card is None  # the siblings wait until tomorrow


def test_bug9_burying_and_passages_are_settings(
    qtbot: QtBot, window: MainWindow, library: Library
) -> None:
    dialog = window.open_settings()
    assert isinstance(dialog, SettingsDialog)
    assert dialog.bury_siblings.isChecked()
    assert dialog.separate_passages.isChecked()
    dialog.bury_siblings.setChecked(False)
    dialog.separate_passages.setChecked(False)
    assert dialog.save()
    settings = library.settings()
    assert settings == replace(settings, bury_siblings=False, separate_passages=False)
    assert not settings.bury_siblings
    assert not settings.separate_passages
    dialog.close()


def test_bug11_long_titles_do_not_stop_the_window_shrinking(
    qtbot: QtBot, tmp_path: Path, now: datetime, qsettings: QSettings, clock: FakeClock
) -> None:
    library = extra_library(tmp_path, now)
    window = open_window(qtbot, library, qsettings, clock)
    tree = window.home.decks
    [leaf] = [
        item
        for item in tree.findItems(
            LONG_TITLE, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive
        )
    ]
    tree.setCurrentItem(leaf)
    assert window.home.decks.selected_deck_ids() == ["extra"]

    def fits() -> bool:
        window.resize(800, 600)
        QApplication.processEvents()
        return window.width() <= 800 and window.height() <= 600

    assert fits()
    view = window.start_review(["extra"])
    window.toggle_source()
    assert window.source_pane.isVisible()
    assert fits()
    view.reveal_action.trigger()
    assert fits()
    library.close()
