from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from studyapp.core.decks.sources import normalise
from studyapp.core.library import Library
from studyapp.core.model import CardKind
from studyapp.gui.draft_review import DraftReview, Verdict, open_draft
from studyapp.gui.main_window import MainWindow

from .conftest import ROOT

PAGE = ROOT / "tests" / "data" / "draft" / "cluttered-page.html"


def shown_review(qtbot: QtBot, library: Library) -> DraftReview:
    review = open_draft(library, PAGE)
    qtbot.addWidget(review)
    review.show()
    qtbot.waitExposed(review)
    review.list.setFocus()
    return review


def test_each_card_is_shown_beside_its_highlighted_passage(
    qtbot: QtBot, library: Library
) -> None:
    review = shown_review(qtbot, library)

    for row, card in enumerate(review.cards):
        review.list.setCurrentRow(row)
        assert normalise(review.highlighted()) == normalise(card.source.quote)
        assert review.where.text().startswith(f"Section: {card.source.section}")
    assert "cookie" not in review.browser.toPlainText()


def test_keys_accept_reject_edit_and_move(qtbot: QtBot, library: Library) -> None:
    review = shown_review(qtbot, library)

    qtbot.keyClick(review.list, Qt.Key.Key_A)
    assert review.verdicts[0] is Verdict.ACCEPTED
    assert review.current == 1
    qtbot.keyClick(review.list, Qt.Key.Key_R)
    assert review.verdicts[1] is Verdict.REJECTED
    qtbot.keyClick(review.list, Qt.Key.Key_Up)
    assert review.current == 1
    qtbot.keyClick(review.list, Qt.Key.Key_Down)
    qtbot.keyClick(review.list, Qt.Key.Key_E)
    assert not review.front.isReadOnly()
    review.front.setPlainText("What sets the liver clock?")
    qtbot.keyClick(review.front, Qt.Key.Key_Escape)
    assert review.front.isReadOnly()
    review.list.setFocus()
    qtbot.keyClick(review.list, Qt.Key.Key_A)
    assert review.cards[2].front == "What sets the liver clock?"
    assert [card.id for card in review.accepted_cards()] == [
        review.cards[0].id,
        review.cards[2].id,
    ]
    assert review.status.text() == (
        f"2 accepted, 1 rejected, {len(review.cards) - 3} to review"
    )


def test_accepted_cards_are_saved_as_yaml_and_imported(
    qtbot: QtBot, library: Library, tmp_path: Path
) -> None:
    review = shown_review(qtbot, library)
    for _ in range(3):
        qtbot.keyClick(review.list, Qt.Key.Key_A)
    deck_file = tmp_path / "night-shift.yaml"

    (summary,) = review.save_and_import(deck_file)

    assert summary.added == 3
    assert (tmp_path / "cluttered-page.txt").is_file()
    assert "# check:" in deck_file.read_text(encoding="utf-8")
    deck = library.stored_deck("cluttered-page-draft")
    assert [card.id for card in deck.cards] == [c.id for c in review.cards[:3]]
    assert review.cards[0].kind is CardKind.KEY_POINT


def test_file_menu_has_the_draft_entry(window: MainWindow) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    texts = [action.text() for action in file_menu.actions()]

    assert "&Draft deck from a document…" in texts


def test_a_pdf_passage_says_its_page(
    qtbot: QtBot, library: Library, tmp_path: Path
) -> None:
    from tests.core.authoring.pdfmaker import bullet, heading, para, title, write_pdf

    path = tmp_path / "voles.pdf"
    filler = "The tundra vole keeps warm through the long winter months. " * 30
    pages = write_pdf(
        path,
        [
            title("Frostin in the cold"),
            heading("Key points"),
            bullet("Frostin acts on enteroendocrine cells in the small intestine."),
            *[para(filler) for _ in range(8)],
            heading("Glossary"),
            para("Osteocyte: A bone cell embedded in mineralised matrix."),
        ],
    )
    review = open_draft(library, path)
    qtbot.addWidget(review)

    rows = {card.id: row for row, card in enumerate(review.cards)}
    review.list.setCurrentRow(rows["key-point-1"])
    assert review.where.text() == "Section: Key points · p. 1"
    review.list.setCurrentRow(rows["osteocyte"])
    assert pages >= 2
    assert review.where.text() == f"Section: Glossary · p. {pages}"


def test_a_text_saved_on_windows_highlights_each_quote_exactly(
    qtbot: QtBot, library: Library, tmp_path: Path
) -> None:
    seed = ROOT / "tests" / "data" / "seeds" / "004_3f16c047c2f170a6.txt"
    text = seed.read_text(encoding="utf-8")
    windows = tmp_path / "press-release.txt"
    windows.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    review = open_draft(library, windows)
    qtbot.addWidget(review)
    assert "\r" not in review.document.text
    assert review.cards
    for row, card in enumerate(review.cards):
        review.list.setCurrentRow(row)
        assert review.highlighted() == card.source.quote.replace("\n", "\u2029")
