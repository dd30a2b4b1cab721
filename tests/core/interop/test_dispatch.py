from pathlib import Path

import pytest

from studyapp.core.decks.reader import load_deck
from studyapp.core.errors import PackageError
from studyapp.core.interop.dispatch import export_decks, export_format, read_foreign
from studyapp.core.library import Library

from ...conftest import DATA

ANKI = DATA / "interop"


def _comparable(library: Library) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    deck = library.stored_deck("mini")
    return [
        (c.id, c.type.value, c.front, c.back or c.cloze, c.tags) for c in deck.cards
    ]


@pytest.mark.parametrize("suffix", [".apkg", ".txt", ".yaml"])
def test_exported_deck_reads_back_with_the_same_cards(
    library: Library, tmp_path: Path, suffix: str
) -> None:
    (written,) = export_decks([library.stored_deck("mini")], tmp_path / f"mini{suffix}")
    if suffix == ".yaml":
        deck = load_deck(written)  # source text path rewritten, quotes still check
        assert [c.id for c in deck.cards] == ["myokines", "cathepsin-b", "il6-cloze"]
        assert deck.cards == library.stored_deck("mini").cards
        return
    (deck,) = read_foreign(written)
    assert len(deck.cards) == 3
    fronts = sorted(c.front or c.cloze for c in deck.cards)
    assert fronts == sorted(
        c.front or c.cloze for c in library.stored_deck("mini").cards
    )


def test_plain_csv_has_front_and_back_only(library: Library, tmp_path: Path) -> None:
    (written,) = export_decks([library.stored_deck("mini")], tmp_path / "mini.csv")
    lines = written.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "front,back"
    assert lines[1].startswith("What are myokines?,")


def test_several_decks_to_text_write_one_file_each(
    library: Library, tmp_path: Path
) -> None:
    deck = library.stored_deck("mini")
    other = deck.__class__(id="other", title="Other", cards=deck.cards)
    written = export_decks([deck, other], tmp_path / "all.txt")
    assert [p.name for p in written] == ["all-mini.txt", "all-other.txt"]


def test_unknown_export_suffix_is_refused() -> None:
    with pytest.raises(
        PackageError, match=r"use one of \.apkg, \.colpkg, \.txt, \.csv, \.yaml"
    ):
        export_format(Path("deck.docx"))


def test_anki_package_imports_into_the_library(library: Library) -> None:
    decks = read_foreign(ANKI / "anki-modern-1.apkg")
    summaries = library.import_decks(decks)
    assert sum(s.added for s in summaries) == 200  # expected-1.json: 200 notes
    cards = library.store.execute(
        "SELECT count(*) FROM cards c WHERE c.deck_id != 'mini'"
    ).fetchone()[0]
    assert cards == 280  # expected-1.json: 280 Anki cards
