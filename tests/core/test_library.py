import os
import sqlite3
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from studyapp.core import importing as library_module
from studyapp.core.decks import stream
from studyapp.core.decks.stream import DeckStream
from studyapp.core.errors import DeckError
from studyapp.core.library import DB_NAME, Library
from studyapp.core.model import Rating, State

from ..conftest import DATA, MINI_DECK, ROOT


def _copy_mini(folder: Path) -> Path:
    target = folder / "mini.yaml"
    target.write_text(
        MINI_DECK.read_text().replace("text: resources", f"text: {ROOT}/resources")
    )
    return target


def _counts(library: Library) -> dict[str, int]:
    tables = ["decks", "sources", "notes", "cards", "card_state", "reviews"]
    return {
        t: library.store.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in tables
    }


def _review_all(library: Library, now: datetime, rating: Rating) -> int:
    queue = library.review_queue(now=now)
    answered = 0
    while (card := queue.next_card(now)) is not None and answered < 50:
        queue.answer(rating, now=now)
        answered += 1
        assert card.id > 0
    return answered


def test_import_creates_notes_cards_and_new_states(library: Library) -> None:
    assert _counts(library) == {
        "decks": 1,
        "sources": 1,
        "notes": 3,
        "cards": 5,  # basic 1 + reversed 2 + cloze 2
        "card_state": 5,
        "reviews": 0,
    }
    states = library.store.execute("SELECT DISTINCT state FROM card_state").fetchall()
    assert states == [(int(State.NEW),)]


def test_quote_offsets_point_at_the_passage(library: Library) -> None:
    card_id = library.store.card_ids("mini")[0]
    start, end = library.store.quote_span(card_id) or (0, 0)
    text = library.store.source("pedersen-2019").text
    assert text[start:end] == "Cytokines or peptides produced by skeletal muscle cells"


def test_failed_import_leaves_database_file_byte_identical(
    tmp_path: Path, now: datetime
) -> None:
    library = Library.open(tmp_path)
    library.import_paths([MINI_DECK], now=now)
    _review_all(library, now, Rating.GOOD)
    library.close()
    db_file = tmp_path / DB_NAME
    # Fold the WAL into the main file so the bytes compared are the whole db.
    with sqlite3.connect(db_file) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = db_file.read_bytes()

    library = Library.open(tmp_path)
    good = _copy_mini(tmp_path)
    good.write_text(good.read_text().replace("Cytokines or peptides produced", "X"))
    with pytest.raises(DeckError):
        library.import_paths(
            [MINI_DECK, DATA / "broken" / "duplicate-id.yaml"], now=now
        )
    with pytest.raises(DeckError):
        library.import_paths([good], now=now)
    library.close()
    with sqlite3.connect(db_file) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert db_file.read_bytes() == before


def test_edit_and_reimport_keeps_history_adds_and_retires(
    tmp_path: Path, library: Library, now: datetime
) -> None:
    library.save_settings(replace(library.settings(), bury_siblings=False))
    assert _review_all(library, now, Rating.EASY) == 5
    myokines = library.store.card_ids("mini")[0]
    state_before = library.store.card_state(myokines)

    deck = _copy_mini(tmp_path)
    text = deck.read_text().replace(
        "back: Cytokines or peptides produced by skeletal muscle cells.",
        "back: Cytokines or peptides made by skeletal muscle cells.",
    )
    cut = text.index("  - id: il6-cloze")
    text = text[:cut] + (
        "  - id: browning\n    front: What is browning?\n    back: Acquiring brown fat"
        " features\n    source:\n      ref: pedersen-2019\n      section: Glossary\n"
        "      quote: Cytokines or peptides\n"
    )
    deck.write_text(text)
    later = now + timedelta(days=1)
    (summary,) = library.import_paths([deck], now=later)
    assert (summary.added, summary.updated, summary.unchanged, summary.retired) == (
        1,
        1,
        1,
        1,
    )
    assert library.store.card_state(myokines) == state_before
    assert library.store.card(myokines).back.startswith("Cytokines or peptides made")
    reviews = library.store.execute("SELECT count(*) FROM reviews").fetchone()[0]
    assert reviews == 5  # the retired cloze's history is kept
    live = library.store.card_ids("mini")
    assert len(live) == 4  # myokines, cathepsin-b x2, browning
    retired = library.store.execute(
        "SELECT count(*) FROM cards WHERE retired = 1"
    ).fetchone()[0]
    assert retired == 2

    # Putting the card back revives it with its old state.
    deck.write_text(
        MINI_DECK.read_text().replace("text: resources", f"text: {ROOT}/resources")
    )
    (summary,) = library.import_paths([deck], now=later)
    assert summary.retired == 1
    assert summary.updated == 2
    assert len(library.store.card_ids("mini")) == 5
    states = [library.store.card_state(c).state for c in library.store.card_ids("mini")]
    assert State.NEW not in states


def test_unchanged_deck_is_skipped_by_hash(tmp_path: Path, now: datetime) -> None:
    library = Library.open(tmp_path)
    deck = _copy_mini(tmp_path)
    (first,) = library.import_paths([deck], now=now)
    assert first.added == 3
    assert not first.skipped
    (second,) = library.import_paths([deck], now=now)
    assert second.skipped
    (forced,) = library.import_paths([deck], now=now, force=True)
    assert forced.unchanged == 3
    assert not forced.skipped
    library.close()


def test_moved_or_touched_decks_are_read_once_then_skipped_unread(
    tmp_path: Path, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = Library.open(tmp_path / "data")
    first = _copy_mini(tmp_path)
    library.import_paths([first], now=now)
    moved = tmp_path / "moved" / "mini.yaml"
    moved.parent.mkdir()
    moved.write_bytes(first.read_bytes())
    long_ago = time.time() - 3600  # not "racy": stats are kept for old files
    os.utime(moved, (long_ago, long_ago))
    reads: list[str] = []
    real_hash = library_module._content_hash

    class CountedStream(DeckStream):
        def __init__(self, path: Path) -> None:
            reads.append("parse")
            super().__init__(path)

    def counted_hash(path: Path, source_files: tuple[str, ...], *read: Any) -> str:
        reads.append("hash")
        return real_hash(path, source_files, *read)

    monkeypatch.setattr(stream, "DeckStream", CountedStream)
    monkeypatch.setattr(library_module, "_content_hash", counted_hash)
    assert library.import_paths([moved], now=now)[0].skipped
    assert reads == ["parse", "hash"]
    assert library.import_paths([moved], now=now)[0].skipped
    assert reads == ["parse", "hash"]  # known path and stats: nothing read
    os.utime(moved, (long_ago + 60, long_ago + 60))  # touched, same content
    assert library.import_paths([moved], now=now)[0].skipped
    assert library.import_paths([moved], now=now)[0].skipped
    assert reads == ["parse", "hash", "hash"]
    library.close()


def test_reordered_cards_are_moved_not_updated(tmp_path: Path, now: datetime) -> None:
    library = Library.in_memory()
    deck = _copy_mini(tmp_path)
    library.import_paths([deck], now=now)
    before = library.store.execute(
        "SELECT note_id FROM notes WHERE deck_id = 'mini' ORDER BY position"
    ).fetchall()
    top, card_list = deck.read_text().split("\ncards:\n")
    items = card_list.rstrip("\n").split("\n  - id: ")
    items[0] = items[0].removeprefix("  - id: ")
    reordered = "".join(f"  - id: {item}\n" for item in reversed(items))
    deck.write_text(f"{top}\ncards:\n{reordered}")
    (summary,) = library.import_paths([deck], now=now)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 3)
    after = library.store.execute(
        "SELECT note_id FROM notes WHERE deck_id = 'mini' ORDER BY position"
    ).fetchall()
    assert after == before[::-1]
    library.close()


def test_same_deck_id_in_two_files_is_refused(tmp_path: Path, now: datetime) -> None:
    library = Library.in_memory()
    copy = _copy_mini(tmp_path)
    with pytest.raises(DeckError) as caught:
        library.import_paths([MINI_DECK, copy], now=now)
    assert "deck id 'mini' is also used by" in str(caught.value)
    assert _counts(library)["decks"] == 0


def test_deck_settings_override_global(library: Library) -> None:
    settings = library.settings()
    library.save_settings(
        settings.__class__(desired_retention=0.8, new_per_day=5), deck_id=None
    )
    assert library.settings("mini").desired_retention == 0.8
    library.save_settings(
        settings.__class__(desired_retention=0.95, new_per_day=2), deck_id="mini"
    )
    assert library.settings("mini").desired_retention == 0.95
    assert library.settings().desired_retention == 0.8
    assert library.scheduler_for("mini").settings.new_per_day == 2


def test_deck_counts(library: Library, now: datetime) -> None:
    (counts,) = library.deck_counts(now=now)
    assert (counts.new, counts.learning, counts.due, counts.total) == (5, 0, 0, 5)
    queue = library.review_queue(now=now)
    queue.next_card(now)
    queue.answer(Rating.AGAIN, now=now)
    (counts,) = library.deck_counts(now=now + timedelta(minutes=5))
    assert (counts.new, counts.learning) == (4, 1)


def test_deck_counts_follow_the_daily_new_limit(
    library: Library, now: datetime
) -> None:
    library.save_settings(replace(library.settings(), new_per_day=2))
    (counts,) = library.deck_counts(now=now)
    assert (counts.new, counts.total) == (2, 5)
    queue = library.review_queue(now=now)
    queue.next_card(now)
    queue.answer(Rating.EASY, now=now)
    (counts,) = library.deck_counts(now=now)
    assert counts.new == 1
    assert queue.remaining.new == counts.new  # the list matches the session
