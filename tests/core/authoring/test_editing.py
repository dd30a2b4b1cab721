from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from studyapp.core.authoring.editing import CardDraft, new_card_id
from studyapp.core.decks.roundtrip import FileChangedError
from studyapp.core.errors import DeckError
from studyapp.core.library import Library
from studyapp.core.model import CardKind, CardSpec, CardType, Deck, Rating


def _card_id(lib: Library, query: str, now: datetime) -> int:
    (card_id,) = lib.cards.find(query, now=now)
    return card_id


def test_an_edit_is_written_into_the_file_and_reimported_with_history(
    lib: Library, deck_file: Path, now: datetime
) -> None:
    queue = lib.review_queue(now=now)
    card = queue.next_card(now)
    assert card is not None
    assert card.note_id == "myokines"
    queue.answer(Rating.GOOD, now=now)
    before = deck_file.read_text(encoding="utf-8")

    session, draft = lib.editor.edit(card.id)
    assert draft.front == "What are myokines?"
    lib.editor.save(session, replace(draft, front="What are myokines, in short?"))

    after = deck_file.read_text(encoding="utf-8")
    assert after == before.replace(
        "front: What are myokines?", "front: What are myokines, in short?"
    )
    shown = lib.cards.card(card.id)  # same id: an update, not a new card
    assert shown.front == "What are myokines, in short?"
    assert len(lib.cards.history(card.id)) == 1
    assert lib.undo_history.label == "Edit card 'myokines'"


def test_undo_puts_the_file_and_the_card_back(
    lib: Library, deck_file: Path, now: datetime
) -> None:
    before = deck_file.read_text(encoding="utf-8")
    card_id = _card_id(lib, "deck:mini tag:glossary", now)
    session, draft = lib.editor.edit(card_id)
    lib.editor.save(session, replace(draft, back="Muscle cytokines."))
    assert "Muscle cytokines." in lib.cards.card(card_id).back
    lib.undo()
    assert deck_file.read_text(encoding="utf-8") == before
    assert lib.cards.card(card_id).back.startswith("Cytokines or peptides")


def test_live_checks_name_the_field(lib: Library, now: datetime) -> None:
    session, draft = lib.editor.edit(_card_id(lib, "tag:glossary", now))
    problems = lib.editor.check(
        session, replace(draft, front="", quote="Words the source never says")
    )
    by_field = {p.field: p.message for p in problems if not p.warning}
    assert "'front' is empty" in by_field["front"]
    assert "quote not found in source 'pedersen-2019'" in by_field["quote"]
    warnings = lib.editor.check(session, replace(draft, quote="muscle"))
    assert [(p.field, p.warning) for p in warnings] == [("quote", True)]
    with pytest.raises(DeckError):
        lib.editor.save(session, replace(draft, front=""))


def test_a_file_changed_on_disk_is_shown_and_only_then_overwritten(
    lib: Library, deck_file: Path, now: datetime
) -> None:
    session, draft = lib.editor.edit(_card_id(lib, "tag:glossary", now))
    text = deck_file.read_text(encoding="utf-8")
    deck_file.write_text(text.replace("Mini deck for tests", "Renamed"), "utf-8")
    edited = replace(draft, back="Made by muscle.")
    with pytest.raises(FileChangedError) as error:
        lib.editor.save(session, edited)
    assert "+  title: Renamed" in error.value.diff
    assert "Made by muscle." not in deck_file.read_text(encoding="utf-8")
    lib.editor.save(session, edited, over_changes=True)
    final = deck_file.read_text(encoding="utf-8")
    assert "title: Renamed" in final  # their change kept
    assert "back: Made by muscle." in final  # and ours applied


def test_a_new_card_from_a_passage_gets_a_fresh_stable_id(
    lib: Library, deck_file: Path, now: datetime
) -> None:
    quote = "Cathepsin B is an exercise-induced myokine"
    session, draft = lib.editor.new_card(
        "mini",
        kind=CardKind.KEY_POINT,
        source_ref="pedersen-2019",
        section="Key points",
        quote=quote,
    )
    draft = replace(
        draft, front="Which myokine does exercise induce?", back="Cathepsin B"
    )
    note_id = lib.editor.save(session, draft)
    assert note_id == "which-myokine-does-exercise-induce"
    text = deck_file.read_text(encoding="utf-8")
    assert text.endswith(
        "  - id: which-myokine-does-exercise-induce\n"
        "    kind: key_point\n"
        "    front: Which myokine does exercise induce?\n"
        "    back: Cathepsin B\n"
        "    source:\n"
        "      ref: pedersen-2019\n"
        "      section: Key points\n"
        f"      quote: {quote}\n"
    )
    card = lib.cards.card(_card_id(lib, '"which myokine does"', now))
    assert card.source is not None
    assert card.source.quote == quote
    assert lib.undo_history.label == f"Add card '{note_id}'"


def test_new_ids_do_not_collide() -> None:
    draft = CardDraft(CardKind.BASIC, CardType.CLOZE, cloze="{{c1::IL-6}} rises")
    assert new_card_id(draft, {"il-6-rises"}) == "il-6-rises-2"


def test_a_deck_without_a_file_is_edited_in_the_database(now: datetime) -> None:
    library = Library.in_memory()
    spec = CardSpec(id="n1", kind=CardKind.BASIC, front="Front", back="Back")
    library.import_decks([Deck(id="anki", title="From Anki", cards=(spec,))], now=now)
    card_id = _card_id(library, "deck:anki", now)
    session, draft = library.editor.edit(card_id)
    assert session.path is None
    library.editor.save(session, replace(draft, back="Better back"))
    assert library.cards.card(card_id).back == "Better back"
    library.undo()
    assert library.cards.card(card_id).back == "Back"
    library.close()
