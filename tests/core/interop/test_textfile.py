from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from studyapp.core.errors import DeckError, PackageError
from studyapp.core.interop import textfile
from studyapp.core.interop.anki_import import read_anki_package
from studyapp.core.interop.textfile import (
    read_text_notes,
    write_plain_csv,
    write_text_notes,
)
from studyapp.core.interop.textheader import SEPARATORS
from studyapp.core.model import (
    CardKind,
    CardSpec,
    CardType,
    Deck,
    Source,
    SourceAnchor,
    Study,
)

INTEROP = Path(__file__).resolve().parents[2] / "data" / "interop"
ANKI_SUPPORT = Path(__file__).resolve().parents[2] / "data" / "interop" / "anki-suite"

DECK = Deck(
    id="pedersen-2019-glossary",
    title="Muscle\u2013brain crosstalk: glossary",
    kind=CardKind.GLOSSARY,
    document="pedersen-2019",
    description="Terms defined in the review's glossary.\nSecond line.",
    sources=(
        Source(
            id="pedersen-2019",
            title="Physical activity and muscle\u2013brain crosstalk",
            authors=("Bente Klarlund Pedersen",),
            citation="Nat Rev Endocrinol 15, 383\u2013392 (2019)",
            doi="10.1038/s41574-019-0174-x",
            text_path="resources/sources/pedersen-2019.txt",
        ),
    ),
    settings={"desired_retention": 0.85, "learning_steps": [1, 10]},
    cards=(
        CardSpec(
            id="myokines",
            kind=CardKind.GLOSSARY,
            front="What are <b>myokines</b>?\nTwo lines,\tone tab",
            back='Cytokines "or" peptides; made by muscle',
            tags=("myokines", "definitions"),
            source=SourceAnchor("pedersen-2019", "Glossary", "Cytokines or peptides"),
        ),
        CardSpec(
            id="bdnf",
            kind=CardKind.GLOSSARY,
            type=CardType.REVERSED,
            front="#BDNF",
            back="Brain-derived neurotrophic factor",
        ),
        CardSpec(
            id="irisin",
            kind=CardKind.KEY_POINT,
            type=CardType.CLOZE,
            cloze="{{c1::Irisin}} comes from {{c2::FNDC5::a protein}}.",
            back="extra | text: here",
        ),
        CardSpec(
            id="lactate",
            kind=CardKind.GLOSSARY,
            type=CardType.TYPED,
            front="Which metabolite?",
            back="lactate",
        ),
        CardSpec(
            id="cathepsin",
            kind=CardKind.MECHANISM,
            front="How does cathepsin B act?",
            back="Via BDNF",
            steps=("Running", "Cathepsin B", "BDNF"),
        ),
        CardSpec(
            id="moon-2016",
            kind=CardKind.FINDING,
            front="Who showed it?",
            back="Moon",
            study=Study("Moon HY et al.", 2016, journal="Cell Metab", reference=42),
        ),
    ),
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("separator", list(SEPARATORS))
def test_anki_text_round_trip_is_lossless(tmp_path: Path, separator: str) -> None:
    path = tmp_path / "deck.txt"

    write_text_notes(DECK, path, separator=separator)
    deck = read_text_notes(path)

    assert replace(deck, path="") == DECK


def test_round_trip_of_a_deck_read_from_anki(tmp_path: Path) -> None:
    (original,) = read_anki_package(INTEROP / "anki-modern-1.apkg")
    path = tmp_path / "deck.tsv"

    write_text_notes(original, path)
    deck = read_text_notes(path)

    assert replace(deck, path="") == replace(original, path="")
    assert len(deck.cards) == 200


def test_source_texts_are_not_written(tmp_path: Path) -> None:
    source = replace(DECK.sources[0], text="The whole article ...")
    path = tmp_path / "deck.txt"

    write_text_notes(replace(DECK, sources=(source,)), path)

    assert "The whole article" not in path.read_text()
    assert read_text_notes(path).sources == DECK.sources


def test_header_lines_are_anki_s(tmp_path: Path) -> None:
    path = tmp_path / "deck.txt"
    write_text_notes(DECK, path)

    head = path.read_text().splitlines()[:7]

    assert head == [
        "#separator:tab",
        "#html:true",
        "#guid column:1",
        "#notetype column:2",
        "#tags column:5",
        "#deck:Muscle\u2013brain crosstalk: glossary",
        "#columns:guid\tnotetype\tFront\tBack\ttags\tstudyapp",
    ]


def test_plain_csv_keeps_fronts_and_backs(tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"

    write_plain_csv(DECK, path)
    deck = read_text_notes(path)

    assert path.read_text().startswith("front,back\n")
    fronts = [c.cloze if c.type is CardType.CLOZE else c.front for c in DECK.cards]
    assert [(c.front, c.back) for c in deck.cards] == [
        (front, c.back) for front, c in zip(fronts, DECK.cards, strict=True)
    ]
    assert all(c.type is CardType.BASIC for c in deck.cards)
    assert (deck.id, deck.title) == ("cards", "cards")


def test_plain_csv_ids_follow_the_front_not_the_row(tmp_path: Path) -> None:
    before = read_text_notes(write(tmp_path, "a.csv", "one,1\ntwo,2\n"))
    after = read_text_notes(write(tmp_path, "b.csv", "zero,0\ntwo,2\none,1 edited\n"))

    ids = {c.front: c.id for c in before.cards}
    assert {c.front: c.id for c in after.cards if c.front in ids} == ids


def test_anki_test_file_reports_every_bad_row() -> None:
    path = ANKI_SUPPORT / "text-2fields.txt"

    with pytest.raises(DeckError) as caught:
        read_text_notes(path)

    # Anki's own test finds the same four problems in this file.
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (6, "repeats the note of line 3"),
        (7, "row has 3 fields, expected 2"),
        (8, "row has 1 field, expected 2"),
        (10, "empty first field"),
    ]
    assert str(caught.value).startswith(f"{path}:6:")


def test_anki_test_file_with_a_tags_column() -> None:
    deck = read_text_notes(ANKI_SUPPORT / "text-tags.txt")

    assert [(c.front, c.back, c.tags) for c in deck.cards] == [
        ("foo", "bar", ("baz,qux",)),
        ("foo2", "bar2", ("baz2",)),
    ]


def test_anki_test_file_with_one_note() -> None:
    deck = read_text_notes(ANKI_SUPPORT / "text-update.txt")

    assert [(c.front, c.back) for c in deck.cards] == [("1", "x")]
    assert deck.id == "text-update"


def test_headers_choose_separator_note_type_deck_and_tags(tmp_path: Path) -> None:
    text = (
        "#separator:Semicolon\n#html:false\n#tags:all both\n#deck:My Deck::Part\n"
        "#notetype:Cloze\n#guid column:3\n# a comment: ignored\n"
        "{{c1::a}} < b;extra;g1;t1\n"
        "# a comment between rows\n"
        '"{{c1::multi}}\n# not a comment";x;g2;\n'
    )

    deck = read_text_notes(write(tmp_path, "n.txt", text))

    assert (deck.id, deck.title) == ("my-deck-part", "My Deck::Part")
    assert [(c.type, c.cloze, c.back, c.tags, c.id) for c in deck.cards] == [
        (CardType.CLOZE, "{{c1::a}} &lt; b", "extra", ("all", "both", "t1"), "anki-g1"),
        (
            CardType.CLOZE,
            "{{c1::multi}}<br># not a comment",
            "x",
            ("all", "both"),
            "anki-g2",
        ),
    ]


@pytest.mark.parametrize(
    ("notetype", "third", "card_type"),
    [
        ("Basic", "", CardType.BASIC),
        ("Basic (and reversed card)", "", CardType.REVERSED),
        ("Basic (optional reversed card)", "y", CardType.REVERSED),
        ("Basic (optional reversed card)", "", CardType.BASIC),
        ("Basic (type in the answer)", "", CardType.TYPED),
        ("Basic (and reversed card)+", "", CardType.REVERSED),  # renamed by Anki
        ("Basic (and reversed card)-3f0a1", "", CardType.REVERSED),
        ("My own type", "", CardType.BASIC),
    ],
)
def test_note_type_column(
    tmp_path: Path, notetype: str, third: str, card_type: CardType
) -> None:
    text = f"#separator:tab\n#notetype column:1\n{notetype}\tfront\tback\t{third}\n"

    (card,) = read_text_notes(write(tmp_path, "n.txt", text)).cards

    assert (card.type, card.front, card.back) == (card_type, "front", "back")


def test_separator_is_guessed_like_anki(tmp_path: Path) -> None:
    deck = read_text_notes(write(tmp_path, "n.txt", "a|b, c\nd|e\n"))

    assert [(c.front, c.back) for c in deck.cards] == [("a", "b, c"), ("d", "e")]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('"a\tb\n', 1, "unreadable row"),
        ("#studyapp:[1]\na\tb\n", 1, "expected a JSON object"),
        ('#studyapp:{"kind": "nope"}\na\tb\n', 1, "not a valid CardKind"),
        (
            "#separator:tab\n#columns:a\tb\tstudyapp\nx\ty\t{bad\n",
            3,
            "bad studyapp column",
        ),
    ],
)
def test_malformed_text_is_a_deck_error_with_a_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    with pytest.raises(DeckError, match=message) as caught:
        read_text_notes(write(tmp_path, "bad.txt", text))

    assert caught.value.problems[0].line == line


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\xff\xfe\x00bad", "not UTF-8"), (b"x" * 2000, "limited to")],
)
def test_unreadable_files_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, message: str
) -> None:
    monkeypatch.setattr(textfile, "MAX_TEXT_BYTES", 1000)
    path = tmp_path / "x.txt"
    path.write_bytes(content)

    with pytest.raises(PackageError, match=message):
        read_text_notes(path)


def anki_collection(tmp_path: Path) -> Any:
    collection = pytest.importorskip("anki.collection", reason="anki is optional")
    return collection.Collection(str(tmp_path / "c.anki2"))


def test_anki_imports_our_text_file(tmp_path: Path) -> None:
    col = anki_collection(tmp_path)
    from anki.import_export_pb2 import ImportCsvRequest

    path = tmp_path / "deck.txt"
    write_text_notes(DECK, path)
    try:
        metadata = col.get_csv_metadata(str(path), None)
        col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))
        notes = {n.guid: n for n in map(col.get_note, col.find_notes(""))}
        assert col.note_count() == len(DECK.cards)
        assert col.card_count() == 1 + 2 + 2 + 1 + 1 + 1
        for card in DECK.cards:
            note = notes[card.id]
            text = card.cloze if card.type is CardType.CLOZE else card.front
            assert note.fields == [text, card.back]
            assert sorted(note.tags) == sorted(card.tags)
    finally:
        col.close()


def test_we_read_anki_s_text_export(tmp_path: Path) -> None:
    col = anki_collection(tmp_path)
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.generic_pb2 import Empty
    from anki.import_export_pb2 import ExportLimit

    package = str(INTEROP / "anki-modern-1.apkg")
    out = tmp_path / "notes.txt"
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=package, options=ImportAnkiPackageOptions()
            )
        )
        written = col.export_note_csv(
            out_path=str(out),
            limit=ExportLimit(whole_collection=Empty()),
            with_html=True,
            with_tags=True,
            with_deck=True,
            with_notetype=True,
            with_guid=True,
        )
    finally:
        col.close()
    (from_package,) = read_anki_package(package)

    deck = read_text_notes(out)

    assert written == len(deck.cards) == 200
    assert deck.title == "Heldout 1::Sub"
    assert [c.id for c in deck.cards] == [c.id for c in from_package.cards]
    assert {c.id: c for c in deck.cards} == {c.id: c for c in from_package.cards}
