from pathlib import Path

from studyapp.core.decks.documents import reference_entry
from studyapp.core.library import Library
from studyapp.core.store.reports import document_titles

ROOT = Path(__file__).resolve().parents[3]

TEXT = """Title

Body citing ref 2 and ref 12.
2. Not a reference: a numbered list in the body.

References

1. Alpha, A. First paper. J. One 1, 1-2 (2001).
2. Beta, B. Second paper. J. Two 2, 3-4 (2002).
12. Gamma, C. Twelfth paper (2012).
Acknowledgements
"""


def test_reference_entry_is_the_line_in_the_references_section() -> None:
    span = reference_entry(TEXT, 2)
    assert span is not None
    assert TEXT[span[0] : span[1]] == "2. Beta, B. Second paper. J. Two 2, 3-4 (2002)."


def test_reference_numbers_match_whole_numbers() -> None:
    span = reference_entry(TEXT, 12)
    assert span is not None
    assert TEXT[span[0] : span[1]].startswith("12. Gamma")
    assert reference_entry(TEXT, 3) is None


def test_text_without_references_heading_is_searched_whole() -> None:
    span = reference_entry("1. Only entry (2000).\n", 1)
    assert span == (0, len("1. Only entry (2000)."))


def test_reference_entry_in_the_bundled_review() -> None:
    text = (ROOT / "resources" / "sources" / "pedersen-2019.txt").read_text("utf-8")
    span = reference_entry(text, 130)
    assert span is not None
    assert text[span[0] : span[1]].startswith("130. Yau")


def test_document_titles_come_from_the_sources_cards_quote() -> None:
    library = Library.in_memory()
    try:
        library.import_paths([ROOT / "decks"])
        titles = document_titles(library.store)
    finally:
        library.close()
    assert titles["pedersen-2019"].startswith("Physical activity and muscle")
    assert titles["correia-2021"].startswith("Study identifies protein")
