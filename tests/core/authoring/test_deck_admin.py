from datetime import datetime
from pathlib import Path

import pytest

from studyapp.core.errors import StudyAppError
from studyapp.core.library import Library
from studyapp.core.model import Rating


def _count(lib: Library, sql: str) -> int:
    return int(lib.store.execute(sql).fetchone()[0])


def test_rename_changes_the_title_line_only_and_undoes(
    lib: Library, deck_file: Path
) -> None:
    before = deck_file.read_text(encoding="utf-8")
    lib.decks.rename("mini", "Myokines")
    assert deck_file.read_text(encoding="utf-8") == before.replace(
        "title: Mini deck for tests", "title: Myokines"
    )
    assert [c.title for c in lib.deck_counts()] == ["Myokines"]
    assert lib.undo() == "Rename deck 'Mini deck for tests' to 'Myokines'"
    assert deck_file.read_text(encoding="utf-8") == before
    assert [c.title for c in lib.deck_counts()] == ["Mini deck for tests"]


def test_delete_keeps_everything_for_undo(lib: Library, now: datetime) -> None:
    queue = lib.review_queue(now=now)
    assert queue.next_card(now) is not None
    queue.answer(Rating.GOOD, now=now)
    lib.cards.flag(lib.cards.find("", now=now)[:2], 1)
    assert lib.decks.delete("mini", now=now) == 5
    assert _count(lib, "SELECT count(*) FROM cards") == 0
    assert _count(lib, "SELECT count(*) FROM reviews") == 0
    assert lib.undo_history.label == "Delete deck 'Mini deck for tests' (5 cards)"
    lib.undo()
    assert _count(lib, "SELECT count(*) FROM cards") == 5
    assert _count(lib, "SELECT count(*) FROM reviews") == 1
    assert len(lib.cards.find("flag:1", now=now)) == 2
    assert len(lib.cards.find("is:learn", now=now)) == 1


def test_new_deck_then_move_cards_with_their_history(
    lib: Library, deck_file: Path, now: datetime
) -> None:
    lib.decks.new_deck("mini-extra", "Extra", like="mini")
    with pytest.raises(StudyAppError, match="exists"):
        lib.decks.new_deck("mini-extra", "Again")
    queue = lib.review_queue(["mini"], now=now)
    first = queue.next_card(now)
    assert first is not None
    queue.answer(Rating.EASY, now=now)
    before = deck_file.read_text(encoding="utf-8")
    assert lib.decks.move_cards([first.id], "mini-extra") == 1
    assert lib.cards.card(first.id).deck_id == "mini-extra"  # same card id
    assert len(lib.cards.history(first.id)) == 1
    text = deck_file.read_text(encoding="utf-8")
    assert f"- id: {first.note_id}\n" not in text  # left the file
    assert lib.cards.find("deck:mini-extra", now=now) == [first.id]
    assert lib.undo_history.label == "Move 1 card to 'Extra'"
    lib.undo()
    assert deck_file.read_text(encoding="utf-8") == before
    assert lib.cards.card(first.id).deck_id == "mini"
    assert lib.undo() == "Answer (Easy)"
    assert lib.undo() == "New deck 'Extra'"
    assert "mini-extra" not in lib.store.deck_ids()


def test_reimport_preview_lists_added_changed_and_retired_cards(
    lib: Library, deck_file: Path
) -> None:
    text = deck_file.read_text(encoding="utf-8")
    text = text.replace("back: Cathepsin B", "back: Cathepsin B (CTSB)")
    start = text.index("  - id: il6-cloze")
    text = text[:start] + (
        "  - id: added-one\n    front: New?\n    back: Yes\n"
        "    source:\n      ref: pedersen-2019\n      section: Key points\n"
        "      quote: Cathepsin B is an exercise-induced myokine\n"
    )
    deck_file.write_text(text, encoding="utf-8")
    preview = lib.decks.preview_reimport(deck_file)
    assert [c.id for c in preview.added] == ["added-one"]
    assert [(old.back, new.back) for old, new in preview.changed] == [
        ("Cathepsin B", "Cathepsin B (CTSB)")
    ]
    assert [c.id for c in preview.retired] == ["il6-cloze"]
    assert not preview.is_empty
