from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from studyapp.core.library import Library
from studyapp.core.model import State
from studyapp.gui.card_browser import CardBrowser
from studyapp.gui.card_editor import CardEditorDialog
from studyapp.gui.main_window import MainWindow

from .conftest import FakeClock, show_window


@pytest.fixture
def file_window(
    qtbot: QtBot, deck_file: Path, qsettings: QSettings, clock: FakeClock
) -> Iterator[MainWindow]:
    library = Library.in_memory()
    library.import_paths([deck_file], now=clock())
    yield show_window(qtbot, MainWindow(library, qsettings, clock))
    library.close()


def _browser(qtbot: QtBot, window: MainWindow) -> CardBrowser:
    qtbot.keyClick(window.home.decks, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    browser = window.authoring.browser
    assert browser is not None
    qtbot.addWidget(browser)
    qtbot.waitExposed(browser)
    qtbot.waitUntil(browser.isActiveWindow)
    return browser


def test_search_as_you_type_and_select_a_card(qtbot: QtBot, window: MainWindow) -> None:
    browser = _browser(qtbot, window)
    assert browser.status.text() == "5 card(s)"
    qtbot.keyClicks(browser.search, "cathepsin -type:cloze")
    qtbot.waitUntil(lambda: browser.status.text() == "2 card(s)")
    rows = [browser.model.row_at(r) for r in range(2)]
    assert [(r.note_id, r.ord) for r in rows if r] == [
        ("cathepsin-b", 0),
        ("cathepsin-b", 1),
    ]
    browser.select_rows([1])
    assert browser.selected_ids() == [rows[1].card_id if rows[1] else -1]
    info = browser.info.toPlainText()
    assert "Cathepsin B is an exercise-induced myokine" in info  # the passage
    assert "Not answered yet." in info
    browser.search.setText("prop:x")  # a bad query keeps the results
    qtbot.waitUntil(lambda: "prop:x?" in browser.status.text())
    assert browser.model.rowCount() == 2


def test_sorting_by_a_column_reorders_the_search(
    qtbot: QtBot, window: MainWindow
) -> None:
    browser = _browser(qtbot, window)
    browser.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # Card
    first = browser.model.row_at(0)
    assert first is not None
    assert first.note_id == "myokines"


def test_suspend_and_flag_from_the_browser_then_undo_by_name(
    qtbot: QtBot, window: MainWindow, library: Library, clock: FakeClock
) -> None:
    browser = _browser(qtbot, window)
    browser.select_rows([0, 1, 2])
    browser.table.setFocus()
    qtbot.keyClick(browser.table, "@")
    assert len(library.cards.find("is:suspended", now=clock())) == 3
    assert "suspended" in str(browser.model.data(browser.model.index(0, 14)))
    qtbot.keyClick(browser, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert len(library.cards.find("flag:2", now=clock())) == 3
    window.authoring.update_undo_label()
    assert window.authoring.undo_action.text() == "&Undo Flag 2 on 3 cards"
    qtbot.keyClick(browser, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert library.cards.find("flag:2", now=clock()) == []
    assert window.authoring.undo_action.text() == "&Undo Suspend 3 cards"
    # The deck list counts only what a session would offer.
    assert window.home.decks.topLevelItemCount() >= 1


def test_edit_a_card_and_see_the_file_change(
    qtbot: QtBot, file_window: MainWindow, deck_file: Path
) -> None:
    browser = _browser(qtbot, file_window)
    browser.set_query("myokines tag:glossary")
    browser.select_rows([0])
    qtbot.keyClick(browser, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = file_window.authoring.editor
    assert isinstance(dialog, CardEditorDialog)
    before = deck_file.read_text(encoding="utf-8")
    dialog.set_value("back", "Signalling proteins made by muscle cells.")
    dialog.check_now()
    assert dialog.problems == []
    with qtbot.waitSignal(dialog.card_saved):
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Save),
            Qt.MouseButton.LeftButton,
        )
    after = deck_file.read_text(encoding="utf-8")
    assert after == before.replace(
        "back: Cytokines or peptides produced by skeletal muscle cells.",
        "back: Signalling proteins made by muscle cells.",
    )
    assert "Signalling proteins" in browser.info.toPlainText()


def test_the_editor_shows_a_validation_error_inline(
    qtbot: QtBot, file_window: MainWindow
) -> None:
    browser = _browser(qtbot, file_window)
    browser.set_query("tag:glossary")
    browser.select_rows([0])
    dialog = file_window.authoring.open_editor(browser.selected_ids()[0])
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.set_value("quote", "Muscles are made of cheese")
    qtbot.waitUntil(lambda: dialog.messages["quote"].isVisible())
    assert (
        "quote not found in source 'pedersen-2019'" in dialog.messages["quote"].text()
    )
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    assert not save.isEnabled()


def test_a_file_changed_on_disk_is_shown_before_saving(
    qtbot: QtBot, file_window: MainWindow, deck_file: Path
) -> None:
    card_id = file_window.library.cards.find(
        "tag:glossary", now=file_window.authoring._clock()
    )[0]
    dialog = file_window.authoring.open_editor(card_id)
    assert dialog is not None
    qtbot.addWidget(dialog)
    deck_file.write_text(
        deck_file.read_text(encoding="utf-8").replace("Mini deck for tests", "Mine"),
        encoding="utf-8",
    )
    shown: list[str] = []

    def refuse(diff: str) -> bool:
        shown.append(diff)
        return False

    dialog.confirm_overwrite = refuse
    dialog.set_value("back", "Changed.")
    assert not dialog.save()
    assert "+  title: Mine" in shown[0]
    assert "Changed." not in deck_file.read_text(encoding="utf-8")
    dialog.confirm_overwrite = lambda diff: True
    assert dialog.save()
    text = deck_file.read_text(encoding="utf-8")
    assert "title: Mine" in text
    assert "back: Changed." in text


def test_suspend_during_review_removes_the_card_from_the_queue(
    qtbot: QtBot, window: MainWindow, library: Library, clock: FakeClock
) -> None:
    # Siblings are not buried here: every card but the suspended one comes.
    library.save_settings(
        replace(library.settings(), bury_siblings=False, separate_passages=False)
    )
    view = window.start_review(["mini"])
    first = view.current_card
    assert first is not None
    left = view._queue.remaining.total
    qtbot.keyClick(view, "@")
    assert library.cards.find("is:suspended", now=clock()) == [first.id]
    assert view.current_card is not None
    assert view.current_card.id != first.id
    assert view._queue.remaining.total == left - 1
    seen = []
    while (card := view.current_card) is not None:
        seen.append(card.id)
        qtbot.keyClick(view, Qt.Key.Key_Space)
        qtbot.keyClick(view, Qt.Key.Key_4)
    assert first.id not in seen
    assert len(seen) == 4


def test_undo_after_leaving_the_session(
    qtbot: QtBot, window: MainWindow, library: Library
) -> None:
    view = window.start_review(["mini"])
    card = view.current_card
    assert card is not None
    qtbot.keyClick(view, Qt.Key.Key_Space)
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert library.store.card_state(card.id).state is State.LEARNING
    qtbot.keyClick(view, Qt.Key.Key_Escape)  # back to the deck list
    assert window.review is None
    window.authoring.update_undo_label()
    assert window.authoring.undo_action.text() == "&Undo Answer (Good)"
    qtbot.keyClick(window.home.decks, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert library.store.card_state(card.id).state is State.NEW
    assert library.cards.history(card.id) == []


def test_new_card_from_a_selection_in_the_source_pane(
    qtbot: QtBot, file_window: MainWindow, deck_file: Path
) -> None:
    view = file_window.start_review(["mini"])
    if not file_window.source_pane.isVisible():
        file_window.toggle_source()
    card = view.current_card
    assert card is not None
    assert card.source is not None
    pane = file_window.source_pane
    text = pane.browser.toPlainText()
    # A passage with a non-ASCII dash: the quote must come out verbatim.
    wanted = "Myokines mediate muscle\u2013organ crosstalk to the liver"
    start = text.index(wanted)
    cursor = pane.browser.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(wanted), cursor.MoveMode.KeepAnchor)
    pane.browser.setTextCursor(cursor)
    pane.browser.setFocus()
    qtbot.keyClick(pane.browser, Qt.Key.Key_N)
    dialog = file_window.authoring.editor
    assert isinstance(dialog, CardEditorDialog)
    qtbot.addWidget(dialog)
    assert dialog.value("quote") == wanted
    assert dialog.value("source") == "pedersen-2019"
    assert dialog.value("section") == card.source.section
    dialog.set_value("front", "What do myokines mediate?")
    dialog.set_value("back", "Muscle\u2013organ crosstalk.")
    assert dialog.save()
    saved = deck_file.read_text(encoding="utf-8")
    assert "  - id: what-do-myokines-mediate\n" in saved
    assert f"      quote: {wanted}\n" in saved
    source_text = (deck_file.parent / "resources/sources/pedersen-2019.txt").read_text(
        encoding="utf-8"
    )
    assert wanted in source_text  # verbatim
    assert file_window.library.cards.find(
        '"what do myokines"', now=file_window.authoring._clock()
    )


def test_delete_a_deck_from_the_edit_menu_and_undo_it(
    qtbot: QtBot, window: MainWindow, library: Library, clock: FakeClock
) -> None:
    window.authoring.decks.delete("mini")
    assert window.home.decks.topLevelItemCount() == 0
    window.authoring.update_undo_label()
    assert window.authoring.undo_action.text() == (
        "&Undo Delete deck 'Mini deck for tests' (5 cards)"
    )
    window.authoring.undo()
    assert len(library.cards.find("deck:mini", now=clock())) == 5
    assert window.home.decks.topLevelItemCount() == 1


def test_move_cards_from_the_browser_to_a_new_deck(
    qtbot: QtBot, file_window: MainWindow, deck_file: Path, clock: FakeClock
) -> None:
    library = file_window.library
    new_id = file_window.authoring.decks.new_deck("Extra cards", like="mini")
    assert new_id == "extra-cards"
    browser = _browser(qtbot, file_window)
    browser.set_query("cathepsin")
    browser.select_rows([0])
    browser.move_to(new_id)
    assert len(library.cards.find(f"deck:{new_id}", now=clock())) == 2  # both faces
    assert library.undo_history.label == "Move 1 card to 'Extra cards'"
    assert "- id: cathepsin-b" not in deck_file.read_text(encoding="utf-8")


def test_reimport_preview_words_the_changes() -> None:
    from studyapp.core.authoring.deck_admin import ReimportPreview
    from studyapp.core.model import CardKind, CardSpec
    from studyapp.gui.deck_actions import preview_text

    old = CardSpec(id="a", kind=CardKind.BASIC, front="Q", back="A")
    new = CardSpec(id="a", kind=CardKind.BASIC, front="Q", back="B")
    added = CardSpec(id="b", kind=CardKind.BASIC, front="New?", back="Yes")
    text = preview_text(ReimportPreview("d", (added,), ((old, new),), ()))
    assert text.splitlines() == [
        "Importing 'd' again: 1 added, 1 changed, 0 retired.",
        "+ b: New?",
        "~ a (back): Q",
    ]


def test_from_review_the_browser_opens_on_the_current_card(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = window.start_review(["mini"])
    card = view.current_card
    assert card is not None
    qtbot.keyClick(view, Qt.Key.Key_I)
    browser = window.authoring.browser
    assert browser is not None
    qtbot.addWidget(browser)
    assert browser.search.text() == f"cid:{card.id}"
    assert browser.selected_ids() == [card.id]
    assert "History" in browser.info.toPlainText()
