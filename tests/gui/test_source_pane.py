from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from studyapp.core.decks.sources import normalise
from studyapp.core.library import Library
from studyapp.core.model import Card, CardKind
from studyapp.gui.main_window import MainWindow
from studyapp.gui.source_pane import SourcePane
from studyapp.gui.source_text import qt_position

from .conftest import ROOT, FakeClock, show_window


def cards_of(library: Library, deck_id: str) -> list[Card]:
    return [library.store.card(i) for i in library.store.card_ids(deck_id)]


def shown_pane(qtbot: QtBot, library: Library) -> SourcePane:
    pane = SourcePane(library)
    qtbot.addWidget(pane)
    pane.resize(480, 600)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def assert_passage_shown(pane: SourcePane, card: Card) -> None:
    assert card.source is not None
    highlighted = pane.highlighted()
    assert highlighted, "nothing is highlighted"
    assert normalise(highlighted[0]) == normalise(card.source.quote)
    assert pane.section_text == f"Section: {card.source.section}"
    assert pane.is_passage_visible()


def test_key_point_passage_is_highlighted_and_in_view(
    qtbot: QtBot, bundled: Library
) -> None:
    pane = shown_pane(qtbot, bundled)
    card = next(
        c for c in cards_of(bundled, "pedersen-2019-key-points") if c.source is not None
    )
    assert card.kind is CardKind.KEY_POINT
    pane.show_card(card)
    assert_passage_shown(pane, card)
    assert "DOI 10.1038/s41574-019-0174-x" in pane.citation_text
    assert pane.reference_text == ""


def test_glossary_passage_near_the_end_is_scrolled_into_view(
    qtbot: QtBot, bundled: Library
) -> None:
    pane = shown_pane(qtbot, bundled)
    glossary = cards_of(bundled, "pedersen-2019-glossary")
    card = next(c for c in glossary if c.note_id == "myokines")
    assert card.kind is CardKind.GLOSSARY
    pane.show_card(card)
    assert_passage_shown(pane, card)
    assert pane.section_text == "Section: Glossary"
    assert pane.browser.verticalScrollBar().value() > 0


def test_finding_shows_its_study_and_reference_entry(
    qtbot: QtBot, bundled: Library
) -> None:
    pane = shown_pane(qtbot, bundled)
    card = next(
        c
        for c in cards_of(bundled, "pedersen-2019-findings")
        if c.study is not None and c.study.reference is not None
    )
    assert card.kind is CardKind.FINDING
    assert card.study is not None
    pane.show_card(card)
    assert_passage_shown(pane, card)
    number = card.study.reference
    assert pane.reference_text.startswith(f"Reference entry: {number}. ")
    # The bundled findings quote their own reference entry: the passage is
    # highlighted inside the highlighted entry.
    passage, entry = pane.highlighted()
    assert entry.startswith(f"{number}. ")
    assert passage in entry
    assert card.study.authors.split(",")[0] in pane.study_text


FINDING_IN_BODY = """deck:
  id: body-finding
  title: A finding quoted from the body
  kind: finding
sources:
  - id: review
    title: The review
    citation: Nat Rev Endocrinol 15, 383-392 (2019)
    doi: 10.1038/s41574-019-0174-x
    text: {text}
cards:
  - id: il6
    front: What happens to serum IL-6 with exercise?
    back: It increases.
    study: {{authors: "Steensberg, A. et al.", year: 2000, reference: 25}}
    source:
      ref: review
      section: Key points
      quote: Serum levels of the myokine IL-6 increase with exercise
"""


def test_finding_quoted_from_the_body_highlights_passage_and_reference(
    qtbot: QtBot, tmp_path: Path, now: datetime
) -> None:
    text = ROOT / "resources" / "sources" / "pedersen-2019.txt"
    deck = tmp_path / "finding.yaml"
    deck.write_text(FINDING_IN_BODY.format(text=text), encoding="utf-8")
    library = Library.in_memory()
    try:
        library.import_paths([deck], now=now)
        pane = shown_pane(qtbot, library)
        card = cards_of(library, "body-finding")[0]
        pane.show_card(card)
        assert_passage_shown(pane, card)
        _passage, reference = pane.highlighted()
        assert reference.startswith("25. ")
        assert pane.reference_text == f"Reference entry: {reference}"
    finally:
        library.close()


def test_finding_without_reference_number_shows_study_and_doi(
    qtbot: QtBot, bundled: Library
) -> None:
    pane = shown_pane(qtbot, bundled)
    card = next(
        c for c in cards_of(bundled, "correia-2021-neurturin") if c.study is not None
    )
    pane.show_card(card)
    assert_passage_shown(pane, card)
    assert "10.1016/j.cmet.2021.09.003" in pane.study_text
    assert pane.reference_text == ""


def test_card_without_source_says_so(qtbot: QtBot, bundled: Library) -> None:
    pane = shown_pane(qtbot, bundled)
    card = cards_of(bundled, "pedersen-2019-glossary")[0]
    pane.show_card(replace(card, source=None))
    assert pane.highlighted() == []
    assert "no source" in pane.status_text


def test_qt_position_counts_utf16_units() -> None:
    text = "a\U0001d6fdb"
    assert qt_position(text, 2) == 3


def test_source_pane_opens_with_s_and_follows_each_card(
    qtbot: QtBot, bundled: Library, qsettings: QSettings, clock: FakeClock
) -> None:
    window = show_window(qtbot, MainWindow(bundled, qsettings, clock))
    view = window.start_review(["pedersen-2019-key-points"])
    assert not window.source_pane.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert window.source_pane.isVisible()
    for _ in range(3):
        card = view.current_card
        assert card is not None
        qtbot.keyClick(view, Qt.Key.Key_Space)
        assert_passage_shown(window.source_pane, card)  # with the answer
        with qtbot.waitSignal(view.card_answered):
            qtbot.keyClick(view, Qt.Key.Key_3)
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert not window.source_pane.isVisible()
