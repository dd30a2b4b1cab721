import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest

from studyapp.core.decks.cloze import cloze_numbers
from studyapp.core.decks.richtext import sanitize
from studyapp.core.errors import PackageError
from studyapp.core.interop.anki_export import anki_tags, note_guid, write_anki_package
from studyapp.core.interop.anki_import import read_anki_package
from studyapp.core.interop.anki_notetypes import card_id_for_guid
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

SOURCE = Source(
    id="pedersen-2019",
    title="Physical activity and muscle\u2013brain crosstalk",
    citation="Nat Rev Endocrinol 15, 383\u2013392 (2019)",
    doi="10.1038/s41574-019-0174-x",
)
DECK = Deck(
    id="muscle-brain",
    title="Muscle\u2013brain::Glossary",
    kind=CardKind.GLOSSARY,
    sources=(SOURCE,),
    cards=(
        CardSpec(
            id="myokines",
            kind=CardKind.GLOSSARY,
            front="What are <b>myokines</b>?",
            back="Cytokines or peptides produced by skeletal muscle cells",
            tags=("myokines", "two words"),
            source=SourceAnchor(
                "pedersen-2019", "Glossary", 'Cytokines <or> "peptides"'
            ),
        ),
        CardSpec(
            id="bdnf",
            kind=CardKind.GLOSSARY,
            type=CardType.REVERSED,
            front="BDNF",
            back="Brain-derived neurotrophic factor",
        ),
        CardSpec(
            id="irisin",
            kind=CardKind.KEY_POINT,
            type=CardType.CLOZE,
            cloze="{{c1::Irisin}} is cleaved from {{c2::FNDC5}}; see {{c1::it}}.",
            back="An exercise-induced myokine",
            tags=("myokines",),
        ),
        CardSpec(
            id="lactate",
            kind=CardKind.BASIC,
            type=CardType.TYPED,
            front="Which metabolite crosses the blood\u2013brain barrier?",
            back="lactate",
        ),
        CardSpec(
            id="cathepsin",
            kind=CardKind.MECHANISM,
            front="How does cathepsin B act on memory?",
            back="Through BDNF",
            steps=("Running", "Cathepsin B secreted", "BDNF up"),
        ),
        CardSpec(
            id="moon-2016",
            kind=CardKind.FINDING,
            front="Running raises cathepsin B: who showed it?",
            back="Moon et al.",
            study=Study(authors="Moon HY et al.", year=2016, journal="Cell Metab"),
        ),
        CardSpec(
            id="less-than", kind=CardKind.BASIC, front="Is 1 < 2 > 0?", back="yes"
        ),
    ),
)
OTHER = Deck(
    id="other",
    title="Other",
    cards=(CardSpec(id="q", kind=CardKind.BASIC, front="Q", back="A"),),
)


def review_cards(card: CardSpec) -> int:
    if card.type is CardType.CLOZE:
        return len(cloze_numbers(card.cloze))
    return 2 if card.type is CardType.REVERSED else 1


def note_view(card: CardSpec) -> tuple[Any, ...]:
    # Issue 20: exported fields are sanitised HTML; compare them as shown.
    return (
        card.type,
        sanitize(card.front),
        sanitize(card.back),
        sanitize(card.cloze),
        set(anki_tags(card.tags)),
    )


def test_our_reader_gets_the_cards_back(tmp_path: Path) -> None:
    path = tmp_path / "out.apkg"
    plain = [c for c in DECK.cards if not c.steps]
    write_anki_package([Deck(id=DECK.id, title=DECK.title, cards=tuple(plain))], path)

    (deck,) = read_anki_package(path)

    assert deck.title == DECK.title
    assert [note_view(c) for c in deck.cards] == [note_view(c) for c in plain]
    assert [c.id for c in deck.cards] == [
        card_id_for_guid(note_guid(DECK.id, c.id)) for c in plain
    ]


def test_every_deck_becomes_an_anki_deck(tmp_path: Path) -> None:
    path = tmp_path / "two.apkg"
    write_anki_package([DECK, OTHER], path)

    decks = read_anki_package(path)

    assert sorted((d.title, len(d.cards)) for d in decks) == [
        (DECK.title, len(DECK.cards)),
        ("Other", 1),
    ]


def read_collection(path: Path, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(path) as archive:
        archive.extract("collection.anki2", tmp_path)
    return sqlite3.connect(tmp_path / "collection.anki2")


def test_ids_are_stable_across_exports(tmp_path: Path) -> None:
    first, second = tmp_path / "1", tmp_path / "2"
    first.mkdir()
    second.mkdir()
    write_anki_package([DECK], first / "a.apkg")
    write_anki_package([DECK], second / "a.apkg")

    snapshots = []
    for folder in (first, second):
        db = read_collection(folder / "a.apkg", folder)
        guids = db.execute("SELECT guid, mid FROM notes ORDER BY id").fetchall()
        decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
        db.close()
        snapshots.append((guids, sorted(decks)))

    assert snapshots[0] == snapshots[1]
    assert snapshots[0][0][0][0] == note_guid("muscle-brain", "myokines")


def test_source_field_cites_quote_section_and_source(tmp_path: Path) -> None:
    write_anki_package([DECK], tmp_path / "s.apkg")
    db = read_collection(tmp_path / "s.apkg", tmp_path)
    fields = [row[0].split("\x1f") for row in db.execute("SELECT flds FROM notes")]
    db.close()

    source = fields[0][2]
    assert "<q>Cytokines &lt;or&gt; &quot;peptides&quot;</q>" in source
    assert "Glossary" in source
    assert SOURCE.citation in source
    assert f"doi:{SOURCE.doi}" in source
    steps = "<ol><li>Running</li><li>Cathepsin B secreted</li><li>BDNF up</li></ol>"
    assert fields[4][1] == "Through BDNF" + steps
    assert "Moon HY et al. (2016)" in fields[5][2]


def test_tags_lose_their_spaces() -> None:
    assert anki_tags(("two words", " x ", "", "a\tb", "x")) == ["two_words", "x", "a_b"]


def test_unwritable_path_is_a_package_error(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="cannot write"):
        write_anki_package([DECK], tmp_path / "missing" / "x.apkg")


def import_into_anki(path: Path, tmp_path: Path) -> Any:
    anki = pytest.importorskip(
        "anki.collection", reason="anki is an optional test dependency"
    )
    col = anki.Collection(str(tmp_path / "anki" / "collection.anki2"))
    request = anki.ImportAnkiPackageRequest(
        package_path=str(path), options=anki.ImportAnkiPackageOptions()
    )
    col.import_anki_package(request)
    return col


def test_anki_imports_the_package_with_the_same_notes(tmp_path: Path) -> None:
    (tmp_path / "anki").mkdir()
    path = tmp_path / "deck.apkg"
    write_anki_package([DECK, OTHER], path)

    col = import_into_anki(path, tmp_path)
    try:
        notes = [col.get_note(nid) for nid in col.find_notes("")]
        by_guid = {note.guid: note for note in notes}
        assert col.note_count() == len(DECK.cards) + len(OTHER.cards)
        cards = sum(review_cards(c) for c in (*DECK.cards, *OTHER.cards))
        assert col.card_count() == cards
        for card in DECK.cards:
            note = by_guid[note_guid(DECK.id, card.id)]
            assert len(note.fields) == 3
            assert sorted(note.tags) == sorted(anki_tags(card.tags))
            text = card.cloze if card.type is CardType.CLOZE else card.front
            assert note.fields[0] == sanitize(text)
        names = {n.note_type()["name"] for n in notes}
        assert "StudyApp Cloze" in names
        assert {d.name for d in col.decks.all_names_and_ids()} >= {
            "Muscle\u2013brain::Glossary",
            "Other",
        }
    finally:
        col.close()


def test_anki_package_round_trips_through_us(tmp_path: Path) -> None:
    """Anki's export, read by us, written by us, read by us: the same cards."""
    (original,) = read_anki_package(INTEROP / "anki-modern-1.apkg")
    path = tmp_path / "again.apkg"

    write_anki_package([original], path)
    (again,) = read_anki_package(path)

    assert again.title == original.title
    assert [note_view(c) for c in again.cards] == [note_view(c) for c in original.cards]
