"""The source text loads around its passage first and maps selections exactly."""

import pytest
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from studyapp.core.decks.sources import find_quote, normalise
from studyapp.core.library import Library
from studyapp.core.model import Card
from studyapp.gui import source_text
from studyapp.gui.source_pane import SourcePane
from studyapp.gui.source_text import SourceText

from .conftest import ROOT

SEEDS = ROOT / "tests" / "data" / "seeds"
SEED_TEXTS = sorted(SEEDS.glob("*.txt"))


def seed(path_index: int, *, astral: bool = False, crlf: bool = False) -> str:
    text = SEED_TEXTS[path_index].read_text(encoding="utf-8")
    if astral:  # characters Qt counts as two positions, all through the text
        text = "\n".join(f"{line} \U0001d6fd" for line in text.split("\n"))
    if crlf:  # saved on Windows: Qt makes each CR LF one line break
        text = text.replace("\n", "\r\n")
    return text


def small_text(qtbot: QtBot) -> SourceText:
    widget = SourceText(whole=1000, margin=300, chunk=2000)
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown_text(widget: SourceText) -> str:
    """The document's characters (toPlainText would turn no-break spaces to spaces)."""
    return widget.document().toRawText().replace("\u2029", "\n")


def document_positions(widget: SourceText, wanted: str) -> tuple[int, int]:
    """Where ``wanted`` stands in the document, counted by Qt's own rules."""
    shown = shown_text(widget)
    start = shown.index(wanted)
    before = len(shown[:start].encode("utf-16-le")) // 2
    return before, before + len(wanted.encode("utf-16-le")) // 2


def selected_quote(widget: SourceText, wanted: str) -> str:
    """Select ``wanted`` in the document; the text it maps back to."""
    first, last = document_positions(widget, wanted)
    cursor = widget.textCursor()
    cursor.setPosition(first)
    cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
    widget.setTextCursor(cursor)
    cursor = widget.textCursor()
    start = widget.index(cursor.selectionStart())
    return widget.text[start : widget.index(cursor.selectionEnd())]


@pytest.mark.parametrize(
    ("astral", "crlf"), [(False, False), (True, False), (False, True), (True, True)]
)
@pytest.mark.parametrize("which", range(len(SEED_TEXTS)))
def test_selection_maps_to_the_verbatim_passage_before_and_after_loading(
    qtbot: QtBot, which: int, astral: bool, crlf: bool
) -> None:
    text = seed(which, astral=astral, crlf=crlf)
    middle = len(text) // 2
    start = text.index("\n", middle) + 1
    passage = text[start : text.index("\n", start + 40)].strip()[:80]
    span = find_quote(text, passage)
    assert span is not None
    # What the document shows: each CR LF is one line break there.
    on_screen = passage.replace("\r\n", "\n")
    widget = small_text(qtbot)
    widget.set_text(text, around=span)
    assert not widget.is_loaded()
    shown = shown_text(widget)
    assert len(shown) < len(text)  # only the neighbourhood so far
    assert on_screen in shown
    assert widget.position(span[0]) == document_positions(widget, on_screen)[0]
    assert selected_quote(widget, on_screen) == passage
    # Something near the start goes in with the first chunk before it.
    early = text[: text.index("\n", 200)].strip()[-60:]
    with qtbot.waitSignal(widget.loaded, timeout=5000):
        pass
    assert widget.is_loaded()
    assert shown_text(widget) == text.replace("\r\n", "\n")
    assert selected_quote(widget, on_screen) == passage
    assert selected_quote(widget, early.replace("\r\n", "\n")) == early
    if crlf:  # a passage over line breaks maps back with its CR LFs
        second = text.index("\r\n", start) + 2
        lines = text[start : text.index("\r\n", second)]
        assert selected_quote(widget, lines.replace("\r\n", "\n")) == lines


def test_a_passage_outside_the_loaded_part_is_loaded_at_once(qtbot: QtBot) -> None:
    text = seed(0, astral=True)
    widget = small_text(qtbot)
    widget.set_text(text, around=(len(text) // 2, len(text) // 2 + 10))
    last_line = text.rstrip("\n").rsplit("\n", 1)[-1]
    span = find_quote(text, last_line)
    assert span is not None
    widget.ensure_loaded(*span)
    assert last_line in shown_text(widget)
    assert widget.position(span[0]) == document_positions(widget, last_line)[0]


def test_a_short_text_is_set_whole(qtbot: QtBot) -> None:
    widget = SourceText()
    qtbot.addWidget(widget)
    text = seed(1)
    widget.set_text(text, around=(100, 120))
    assert widget.is_loaded()
    assert shown_text(widget) == text


def cards_of(library: Library, deck_id: str) -> list[Card]:
    return [library.store.card(i) for i in library.store.card_ids(deck_id)]


def lazy_pane(
    qtbot: QtBot, library: Library, monkeypatch: pytest.MonkeyPatch
) -> SourcePane:
    """A source pane, shown, that loads the short bundled source lazily."""
    # The bundled source is short: small limits make the pane load it lazily.
    monkeypatch.setattr(source_text, "WHOLE_CHARS", 2000)
    monkeypatch.setattr(source_text, "MARGIN_CHARS", 400)
    pane = SourcePane(library)
    qtbot.addWidget(pane)
    pane.resize(480, 600)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def test_pane_highlights_the_passage_while_loading_and_keeps_it_in_view(
    qtbot: QtBot, bundled: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(source_text, "CHUNK_CHARS", 1500)
    pane = lazy_pane(qtbot, bundled, monkeypatch)
    glossary = cards_of(bundled, "pedersen-2019-glossary")
    card = next(c for c in glossary if c.note_id == "myokines")  # near the end
    assert card.source is not None
    pane.show_card(card)
    assert not pane.browser.is_loaded()
    assert normalise(pane.highlighted()[0]) == normalise(card.source.quote)
    assert pane.is_passage_visible()
    with qtbot.waitSignal(pane.browser.loaded, timeout=5000):
        pass
    text = bundled.source(card.source.ref).text
    assert shown_text(pane.browser) == text
    assert normalise(pane.highlighted()[0]) == normalise(card.source.quote)
    assert pane.is_passage_visible()  # text came in above it: the view kept it
    # New card from a selection: the highlighted passage, selected, maps back
    # to the very characters of the source text.
    selection = pane.browser.extraSelections()[-1]
    pane.browser.setTextCursor(QTextCursor(selection.cursor))
    start, end = bundled.quote_span(card.id) or (0, 0)
    assert pane.selected_passage() == text[start:end]


def test_pane_shows_a_far_passage_of_the_same_source_while_loading(
    qtbot: QtBot, bundled: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = lazy_pane(qtbot, bundled, monkeypatch)
    decks = ("pedersen-2019-key-points", "pedersen-2019-glossary")
    cards = [c for d in decks for c in cards_of(bundled, d) if c.source]
    cards.sort(key=lambda c: bundled.quote_span(c.id) or (0, 0))
    near, far = cards[0], cards[-1]
    assert far.source is not None
    pane.show_card(near)
    assert not pane.browser.is_loaded()
    assert far.source.quote not in shown_text(pane.browser)
    pane.show_card(far)  # before the timer ran: outside what is loaded
    assert normalise(pane.highlighted()[0]) == normalise(far.source.quote)
    assert pane.is_passage_visible()
