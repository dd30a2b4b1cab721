import json
import os
import tempfile
import zipfile
from collections import Counter
from datetime import datetime
from pathlib import Path

import genanki
import nh3
import pytest
import zstandard

from studyapp.core.decks.cloze import cloze_numbers
from studyapp.core.errors import PackageError, StudyAppError
from studyapp.core.interop import anki_import, anki_wire
from studyapp.core.interop.anki_import import (
    read_anki_package,
    read_anki_package_report,
)
from studyapp.core.interop.anki_notetypes import (
    card_id_for_guid,
    deck_id_for_name,
    map_note,
    note_type,
)
from studyapp.core.library import Library
from studyapp.core.model import CardType, Rating

INTEROP = Path(__file__).resolve().parents[2] / "data" / "interop"
EXPECTED = json.loads((INTEROP / "expected-1.json").read_text())
# Anki's own test packages (AGPL test data), kept outside the repository.
ANKI_SUPPORT = Path(__file__).resolve().parents[2] / "data" / "interop" / "anki-suite"
PACKAGES = ["anki-modern-1.apkg", "anki-legacy-1.apkg"]


def review_cards(card_type: CardType, cloze: str) -> int:
    if card_type is CardType.CLOZE:
        return len(cloze_numbers(cloze))
    return 2 if card_type is CardType.REVERSED else 1


@pytest.mark.parametrize("name", PACKAGES)
def test_package_made_by_anki_has_the_expected_notes(name: str) -> None:
    report = read_anki_package_report(INTEROP / name)

    (deck,) = report.decks
    assert report.notes == EXPECTED["notes"]
    assert len(deck.cards) == EXPECTED["notes"]
    assert {t.value: n for t, n in report.by_type.items()} == EXPECTED["by_kind"]
    cloze = [c.cloze for c in deck.cards if c.type is CardType.CLOZE]
    assert (
        sum(len(cloze_numbers(text)) for text in cloze) == EXPECTED["cloze_deletions"]
    )
    cards = sum(review_cards(c.type, c.cloze) for c in deck.cards)
    assert cards == EXPECTED["anki_cards"]
    assert len({tag for c in deck.cards for tag in c.tags}) == EXPECTED["tags"]
    assert report.media_files == EXPECTED["media_files"]
    assert report.custom_notes == 0
    assert report.skipped == ()


@pytest.mark.parametrize("name", PACKAGES)
def test_deck_is_named_after_the_anki_deck(name: str) -> None:
    (deck,) = read_anki_package(INTEROP / name)

    assert deck.title == "Heldout 1::Sub"
    assert deck.id == "heldout-1-sub"
    assert deck.path == str(INTEROP / name)


def test_modern_package_is_read_from_anki21b_not_the_placeholder() -> None:
    report = read_anki_package_report(INTEROP / "anki-modern-1.apkg")

    assert report.collection == "collection.anki21b"
    assert not any("update" in c.front.lower() for d in report.decks for c in d.cards)


def test_modern_and_legacy_packages_give_the_same_deck() -> None:
    modern = read_anki_package(INTEROP / "anki-modern-1.apkg")
    legacy = read_anki_package(INTEROP / "anki-legacy-1.apkg")

    assert [d.cards for d in modern] == [d.cards for d in legacy]


def test_cloze_notes_keep_their_text_and_extra() -> None:
    (deck,) = read_anki_package(INTEROP / "anki-modern-1.apkg")
    cloze = [c for c in deck.cards if c.type is CardType.CLOZE]

    assert cloze[0].cloze.startswith("term1-0 is {{c1::answer 1.0}}.")
    assert all(c.front == "" and c.back == "" for c in cloze)


def test_field_html_is_kept_and_sanitising_removes_scripts() -> None:
    (deck,) = read_anki_package(INTEROP / "anki-modern-1.apkg")
    scripted = [c.front for c in deck.cards if "<script>" in c.front]

    assert scripted
    for front in scripted:
        clean = nh3.clean(front)
        assert "<script" not in clean
        assert "alert(1)" not in clean
        assert "<b>bold</b>" in clean


def test_card_ids_come_from_note_guids() -> None:
    (deck,) = read_anki_package(INTEROP / "anki-modern-1.apkg")

    assert deck.cards[0].id == "anki-fQMaUCiAl_60"  # guid fQMaUCiAl`
    assert len({c.id for c in deck.cards}) == len(deck.cards)


@pytest.mark.parametrize(
    ("guid", "card_id"),
    [
        ("abc.DEF-9", "anki-abc.DEF-9"),
        ("a_b", "anki-a_5fb"),
        ("L;*}1M{l6|", "anki-L_3b_2a_7d1M_7bl6_7c"),
        ("é", "anki-_c3_a9"),
    ],
)
def test_guids_are_escaped_into_card_ids(guid: str, card_id: str) -> None:
    assert card_id_for_guid(guid) == card_id


@pytest.mark.parametrize(
    ("name", "deck_id"),
    [
        ("Heldout 1::Sub", "heldout-1-sub"),
        ("Default", "default"),
        ("  Ünïcode  ::  deck ", "n-code-deck"),
        ("日本語", "anki-deck"),
    ],
)
def test_deck_ids_are_slugs_of_deck_names(name: str, deck_id: str) -> None:
    assert deck_id_for_name(name) == deck_id


@pytest.mark.parametrize(
    ("name", "deck_id", "card_type", "front", "back"),
    [
        ("diffmodels2-1.apkg", "default", CardType.BASIC, "front", "back"),
        # a "Basic" type given a second, reversed template
        ("diffmodels2-2.apkg", "default", CardType.REVERSED, "front", "back"),
        (
            "diffmodeltemplates-1.apkg",
            "testdeck",
            CardType.BASIC,
            "question?",
            "answer!",
        ),
        (
            "diffmodeltemplates-2.apkg",
            "testdeck",
            CardType.BASIC,
            "question?",
            "answer!",
        ),
        ("media.apkg", "default", CardType.BASIC, "[sound:foo.wav]", ""),
        ("update1.apkg", "default", CardType.BASIC, "hello", "world"),
        ("update2.apkg", "default", CardType.BASIC, "goodbye", "world"),
    ],
)
def test_anki_test_packages(
    name: str, deck_id: str, card_type: CardType, front: str, back: str
) -> None:
    report = read_anki_package_report(ANKI_SUPPORT / name)

    (deck,) = report.decks
    (card,) = deck.cards
    assert (deck.id, card.type, card.front, card.back) == (
        deck_id,
        card_type,
        front,
        back,
    )
    assert report.collection == "collection.anki2"


def test_an_updated_note_keeps_its_card_id() -> None:
    (old,) = read_anki_package(ANKI_SUPPORT / "update1.apkg")
    (new,) = read_anki_package(ANKI_SUPPORT / "update2.apkg")

    assert old.cards[0].id == new.cards[0].id
    assert old.cards[0].front != new.cards[0].front


def test_reimporting_anki_packages_updates_only_edited_notes(
    now: datetime,
) -> None:
    library = Library.in_memory()
    first = library.import_decks(read_anki_package(ANKI_SUPPORT / "update1.apkg"))
    queue = library.review_queue(now=now)
    card = queue.next_card(now)
    assert card is not None
    queue.answer(Rating.GOOD, now=now)
    again = library.import_decks(read_anki_package(ANKI_SUPPORT / "update1.apkg"))
    edited = library.import_decks(read_anki_package(ANKI_SUPPORT / "update2.apkg"))
    counts = [(s.added, s.updated, s.unchanged) for s in (*first, *again, *edited)]
    assert counts == [(1, 0, 0), (0, 0, 1), (0, 1, 0)]
    assert library.store.card(card.id).front == "goodbye"
    assert library.store.card_state(card.id).reps == 1
    library.close()


def genanki_model(
    model_id: int, fields: list[str], questions: list[str]
) -> genanki.Model:
    templates = [
        {"name": f"Card {i}", "qfmt": q, "afmt": "{{FrontSide}}<hr id=answer>"}
        for i, q in enumerate(questions, 1)
    ]
    return genanki.Model(
        model_id, f"Model {model_id}", [{"name": f} for f in fields], templates
    )


def write_genanki(path: Path, notes: list[genanki.Note]) -> Path:
    deck = genanki.Deck(1234567890, "Made::By genanki")
    for note in notes:
        deck.add_note(note)
    genanki.Package(deck).write_to_file(str(path))
    return path


def test_optional_reversed_notes_are_reversed_only_when_asked(tmp_path: Path) -> None:
    model = genanki_model(
        1500000001,
        ["Front", "Back", "Add Reverse"],
        ["{{Front}}", "{{#Add Reverse}}{{Back}}{{/Add Reverse}}"],
    )
    notes = [
        genanki.Note(model, ["one", "1", "y"], guid="g1"),
        genanki.Note(model, ["two", "2", ""], guid="g2"),
    ]

    (deck,) = read_anki_package(write_genanki(tmp_path / "o.apkg", notes))

    assert [c.type for c in deck.cards] == [CardType.REVERSED, CardType.BASIC]
    assert deck.id == "made-by-genanki"


def test_custom_note_types_are_read_first_field_to_second(tmp_path: Path) -> None:
    model = genanki_model(
        1500000002,
        ["Word", "Meaning", "Example"],
        ["{{Word}}", "{{Meaning}}", "{{Example}}"],
    )
    typed = genanki_model(1500000003, ["Q", "A"], ["{{Q}}<br>{{type:A}}"])
    notes = [
        genanki.Note(model, ["chat", "cat", "le chat"], guid="g1", tags=["fr"]),
        genanki.Note(typed, ["2+2", "4"], guid="g2"),
    ]

    report = read_anki_package_report(write_genanki(tmp_path / "c.apkg", notes))

    custom, typed_card = report.decks[0].cards
    assert (custom.type, custom.front, custom.back, custom.tags) == (
        CardType.BASIC,
        "chat",
        "cat",
        ("fr",),
    )
    assert typed_card.type is CardType.TYPED
    assert report.custom_notes == 1


@pytest.mark.parametrize(
    ("questions", "card_type", "is_standard"),
    [
        (["{{Front}}"], CardType.BASIC, True),
        (["{{furigana:Front}}"], CardType.BASIC, True),
        (["{{Front}} {{type:Back}}"], CardType.TYPED, True),
        (["{{Front}}", "{{Back}}"], CardType.REVERSED, True),
        (["{{text:Front}}", "{{kana:Back}}"], CardType.REVERSED, True),
        (["{{Back}}"], CardType.BASIC, False),
        (["{{Front}}", "{{Front}}"], CardType.BASIC, False),
        (["{{Front}}", "{{Back}}", "{{Front}}"], CardType.BASIC, False),
    ],
)
def test_note_types_are_classified_by_their_templates(
    questions: list[str], card_type: CardType, is_standard: bool
) -> None:
    kind = note_type(
        "X", is_cloze=False, fields=("Front", "Back"), templates=tuple(questions)
    )

    assert (kind.type, kind.is_standard) == (card_type, is_standard)


def test_unusable_notes_are_skipped_and_reported(tmp_path: Path) -> None:
    basic = genanki_model(1500000004, ["Front", "Back"], ["{{Front}}"])
    back_first = genanki_model(1500000006, ["Front", "Back"], ["{{Back}}"])
    cloze = genanki.Model(
        1500000005,
        "Cloze",
        [{"name": "Text"}, {"name": "Extra"}],
        [{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}"}],
        model_type=genanki.Model.CLOZE,
    )
    notes = [
        genanki.Note(basic, ["", "no front"], guid="g1"),  # so Anki makes no card
        genanki.Note(back_first, ["", "no front"], guid="g4"),
        genanki.Note(cloze, ["no deletions", ""], guid="g2"),
        genanki.Note(cloze, ["{{c2::two}} {{c1::one}}", "x"], guid="g3"),
    ]

    report = read_anki_package_report(write_genanki(tmp_path / "s.apkg", notes))

    (card,) = report.decks[0].cards
    assert (card.type, card.back) == (CardType.CLOZE, "x")
    assert report.notes == 4
    reasons = [message.split(": ", 1)[1] for message in report.skipped]
    # genanki makes no card for the empty basic note nor the deletion-less cloze
    assert reasons == ["has no cards", "empty first field", "has no cards"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("no deletions here", "no cloze deletions"),
        ("{{c1::image-occlusion:rect:left=.1:top=.2}}", "image occlusion"),
    ],
)
def test_cloze_notes_that_cannot_be_reviewed_are_left_out(
    text: str, reason: str
) -> None:
    cloze = note_type("Cloze", is_cloze=True, fields=("Text", "Extra"), templates=())

    card, message = map_note(cloze, "anki-x", [text, ""], [])

    assert card is None
    assert reason in message


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def legacy_collection() -> bytes:
    with zipfile.ZipFile(INTEROP / "anki-legacy-1.apkg") as archive:
        return archive.read("collection.anki21")


@pytest.mark.parametrize(
    "name", ["../evil", "/etc/evil", "media/../../evil", "C:/evil", "..\\evil"]
)
def test_paths_escaping_the_target_are_refused(tmp_path: Path, name: str) -> None:
    path = write_zip(tmp_path / "p.apkg", {"collection.anki21": b"", name: b"x"})

    with pytest.raises(PackageError, match="unsafe file name"):
        read_anki_package(path)


def test_dots_inside_names_are_fine(tmp_path: Path) -> None:
    members = {"collection.anki21": legacy_collection(), "a..b": b"x", "c/d..": b"y"}

    report = read_anki_package_report(write_zip(tmp_path / "d.apkg", members))

    assert report.media_files == 2


def test_corrupt_member_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "crc.apkg"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("collection.anki21", legacy_collection())
    data = bytearray(path.read_bytes())
    data[data.index(b"SQLite format 3") + 5000] ^= 0xFF
    path.write_bytes(bytes(data))

    with pytest.raises(PackageError, match=r"cannot read collection\.anki21"):
        read_anki_package(path)


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = bytes(20 * 1024**2)  # compresses about 1000:1
    path = write_zip(
        tmp_path / "b.apkg", {"collection.anki21": legacy_collection(), "0": bomb}
    )

    with pytest.raises(PackageError, match="zip bomb"):
        read_anki_package(path)


def test_zstd_bomb_in_anki21b_is_refused(tmp_path: Path) -> None:
    bomb = zstandard.ZstdCompressor().compress(bytes(50 * 1024**2))
    path = write_zip(tmp_path / "z.apkg", {"collection.anki21b": bomb})

    with pytest.raises(PackageError, match="expands beyond"):
        read_anki_package(path)


def test_too_much_data_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(anki_import, "MAX_TOTAL_BYTES", 100_000)
    path = write_zip(tmp_path / "t.apkg", {"collection.anki21": legacy_collection()})

    with pytest.raises(PackageError, match="expands to"):
        read_anki_package(path)


def test_too_many_members_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(anki_import, "MAX_MEMBERS", 10)
    members = {str(i): b"x" for i in range(10)} | {"collection.anki21": b""}
    path = write_zip(tmp_path / "m.apkg", members)

    with pytest.raises(PackageError, match="too many files"):
        read_anki_package(path)


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"media": b"{}"}, "no Anki collection"),
        ({"collection.anki2": b"not sqlite" * 100}, "damaged Anki collection"),
        ({"collection.anki21b": b"not zstd"}, "damaged collection"),
    ],
)
def test_packages_without_a_readable_collection_are_refused(
    tmp_path: Path, members: dict[str, bytes], message: str
) -> None:
    path = write_zip(tmp_path / "x.apkg", members)

    with pytest.raises(PackageError, match=message):
        read_anki_package(path)


def test_non_zip_input_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deck.apkg"
    path.write_text("cards: []\n")

    with pytest.raises(StudyAppError, match="not an Anki package"):
        read_anki_package(path)


def test_a_placeholder_collection_alone_is_refused(tmp_path: Path) -> None:
    with zipfile.ZipFile(INTEROP / "anki-modern-1.apkg") as archive:
        placeholder = archive.read("collection.anki2")
    path = write_zip(tmp_path / "old.apkg", {"collection.anki2": placeholder})

    with pytest.raises(PackageError, match="placeholder"):
        read_anki_package(path)


def test_nothing_is_left_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    read_anki_package(INTEROP / "anki-modern-1.apkg")
    with pytest.raises(PackageError):
        read_anki_package(write_zip(tmp_path / "x.apkg", {"collection.anki2": b"junk"}))

    assert os.listdir(scratch) == []


def test_colpkg_made_by_anki_is_read(tmp_path: Path) -> None:
    collection = pytest.importorskip("anki.collection", reason="anki is optional")
    col = collection.Collection(str(tmp_path / "c.anki2"))
    basic = col.models.by_name("Basic (and reversed card)")
    deck_id = col.decks.id("Lang::French")
    for word, meaning in [("chat", "cat"), ("chien", "dog")]:
        note = col.new_note(basic)
        note["Front"], note["Back"] = word, meaning
        note.tags = ["fr"]
        col.add_note(note, deck_id)
    out = tmp_path / "all.colpkg"
    col.export_collection_package(str(out), include_media=False, legacy=False)
    col.close()

    report = read_anki_package_report(out)

    (deck,) = report.decks
    assert report.collection == "collection.anki21b"
    assert deck.id == "lang-french"
    assert [(c.type, c.front, c.back, c.tags) for c in deck.cards] == [
        (CardType.REVERSED, "chat", "cat", ("fr",)),
        (CardType.REVERSED, "chien", "dog", ("fr",)),
    ]
    assert Counter(report.by_type) == Counter({CardType.REVERSED: 2})


def test_protobuf_reader_rejects_truncated_messages() -> None:
    with pytest.raises(ValueError, match="protobuf"):
        anki_wire.protobuf_fields(b"\x0a\x05ab")
    assert anki_wire.protobuf_fields(b"\x08\x01\x12\x02hi") == {1: [1], 2: [b"hi"]}
