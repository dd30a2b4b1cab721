"""Anki packages made here with Anki's own library: history, states, media, decks."""

import os
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs
import pytest

from studyapp.core.clock import from_ms
from studyapp.core.interop.anki_media import list_media
from studyapp.core.library import Library
from studyapp.core.model import Rating
from studyapp.core.store import anki_rows
from studyapp.core.store.database import Store
from tests.anki_maker import MadePackage, make_package

anki_collection = pytest.importorskip("anki.collection")
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="module", params=[False, True], ids=["modern", "legacy"])
def made(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> MadePackage:
    folder = tmp_path_factory.mktemp("made")
    return make_package(folder, legacy=request.param)


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library.open(tmp_path / "collection")
    yield lib
    lib.close()


def answers(made: MadePackage) -> list[tuple[int, int, int, int]]:
    """The revlog rows that are answers: (id, ease, time, type)."""
    return [
        (rid, ease, spent, kind)
        for rid, _, ease, spent, kind, factor in made.revlog
        if (1 <= ease <= 4 and kind in (0, 1, 2)) or (kind == 3 and factor)
    ]


def test_revlog_rows_in_equal_rows_out(made: MadePackage, library: Library) -> None:
    summary = library.import_package(made.path, now=NOW)
    ours = library.store.execute(
        "SELECT anki_id, rating, duration_ms, anki_type FROM reviews ORDER BY anki_id"
    ).fetchall()
    assert ours == answers(made)
    assert summary.history.revlog_rows == len(made.revlog)
    assert summary.history.resets == 1
    assert summary.history.skipped_rows == 1  # the "set due date" row
    assert summary.notes_added == made.notes
    assert summary.cards_added == made.cards


def test_replayed_states_equal_fsrs_called_directly_after_the_reset(
    made: MadePackage, library: Library
) -> None:
    library.import_package(made.path, now=NOW)
    by_card: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    for rid, cid, ease, _spent, kind, factor in made.revlog:
        by_card[cid].append((rid, ease, kind, factor))
    ours = dict(
        library.store.execute(
            "SELECT anki_id, card_id FROM reviews WHERE anki_id IS NOT NULL"
        ).fetchall()
    )
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    checked = 0
    for rows in by_card.values():
        card = fsrs.Card()
        card_id = None
        for rid, ease, kind, factor in rows:
            if kind == 4 and factor == 0 and ease == 0:
                card = fsrs.Card()  # Forget: new again
            elif 1 <= ease <= 4 and kind != 5:
                card, _ = scheduler.review_card(card, fsrs.Rating(ease), from_ms(rid))
                card_id = ours[rid]
        if card_id is None:
            continue
        state = library.store.card_state(card_id)
        assert (state.stability, state.difficulty) == (card.stability, card.difficulty)
        assert (int(state.state), state.step) == (card.state.value, card.step)
        assert state.last_review == card.last_review
        checked += 1
    assert checked >= 50


def test_memory_state_agrees_with_the_one_anki_stored(
    made: MadePackage, library: Library
) -> None:
    first = library.import_package(made.path, now=NOW).history
    assert first.memory_checked >= 30
    assert first.memory_differs == 0
    ours = dict(
        library.store.execute(
            "SELECT r.anki_id, r.card_id FROM reviews r WHERE anki_id IS NOT NULL"
        ).fetchall()
    )
    card_of = {cid: ours[rid] for rid, cid, *_ in made.revlog if rid in ours}
    compared = 0
    for anki_card, (stability, difficulty) in made.memory.items():
        if anki_card not in card_of:
            continue
        state = library.store.card_state(card_of[anki_card])
        assert state.stability == pytest.approx(stability, rel=0.01, abs=2e-4)
        assert state.difficulty == pytest.approx(difficulty, abs=2e-3)
        compared += 1
    assert compared >= 30
    history = library.import_package(made.path, now=NOW).history  # again: nothing
    assert history.memory_checked == 0


def test_suspended_stays_suspended_buried_comes_back_flags_kept(
    made: MadePackage, library: Library
) -> None:
    summary = library.import_package(made.path, now=NOW)
    history = summary.history
    assert (history.suspended, history.buried, history.flagged) == (
        made.suspended,
        made.buried,
        made.flagged,
    )
    held = anki_rows.held_counts(library.store)
    assert held == {"suspended": 3, "buried": 2, "flagged": 4}
    suspended = {
        row[0]
        for row in library.store.execute("SELECT id FROM cards WHERE suspended = 1")
    }
    buried = {
        row[0]
        for row in library.store.execute(
            "SELECT id FROM cards WHERE buried_until IS NOT NULL"
        )
    }
    later = NOW + timedelta(days=400)  # everything studied is due by then
    # Anki's own states only: no sibling of an answered card is held back.
    library.save_settings(
        replace(library.settings(), bury_siblings=False, separate_passages=False)
    )
    queue = library.review_queue(None, now=NOW)
    shown = set()
    while (card := queue.next_card(NOW)) is not None:
        shown.add(card.id)
        queue.answer(Rating.GOOD, now=NOW)
    assert not shown & (suspended | buried)
    late = library.review_queue(None, now=later)
    shown_later = set()
    while (card := late.next_card(later)) is not None:
        shown_later.add(card.id)
        late.answer(Rating.GOOD, now=later)
    assert buried <= shown_later  # a burial lasts until the next study day
    assert not shown_later & suspended
    again = library.import_package(made.path, now=later)
    assert again.history.suspended == 3  # re-import keeps the states
    assert anki_rows.held_counts(library.store)["suspended"] == 3


def test_image_byte_identical_and_audio_kept_and_listed(
    made: MadePackage, library: Library
) -> None:
    summary = library.import_package(made.path, now=NOW)
    assert (summary.images, summary.audio, summary.media_refused) == (1, 1, ())
    files = {row.kind: row for row in list_media(library.media_dir)}
    assert library.media_dir is not None
    assert (library.media_dir / files["image"].name).read_bytes() == made.image
    assert (library.media_dir / files["audio"].name).read_bytes() == made.sound
    assert files["audio"].name.endswith(".mp3")
    backs = [row[0] for row in library.store.execute("SELECT back FROM notes")]
    assert any(f"[sound:{files['audio'].name}]" in back for back in backs)


def test_nested_decks_form_a_tree_and_a_parent_studies_its_children(
    made: MadePackage, library: Library
) -> None:
    library.import_package(made.path, now=NOW)
    titles = {row.id: row.title for row in library.deck_counts(now=NOW)}
    assert set(titles.values()) == {
        "Lang",
        "Lang::Verbs",
        "Lang::Verbs::Irregular",
        "Lang::Nouns",
        "Other",
    }
    whole = library.review_queue(["lang"], now=NOW).remaining
    parts = [
        library.review_queue([deck], now=NOW).remaining
        for deck in ("lang-verbs-irregular", "lang-nouns")
    ]
    assert whole.new == sum(p.new for p in parts) > 0
    assert whole.review == sum(p.review for p in parts)
    verbs = library.review_queue(["lang-verbs"], now=NOW).remaining
    assert verbs == parts[0]


def test_apkg_out_is_read_by_anki_with_the_same_notes_reviews_and_states(
    made: MadePackage, library: Library, tmp_path: Path
) -> None:
    library.import_package(made.path, now=NOW)
    decks = [row.id for row in library.deck_counts(now=NOW)]
    out = tmp_path / "out.apkg"
    assert library.export(decks, out) == [out]
    reviews = library.store.execute("SELECT count(*) FROM reviews").fetchone()[0]
    studied = library.store.execute(
        "SELECT count(*) FROM card_state WHERE state != 0"
    ).fetchone()[0]
    col = anki_collection.Collection(str(Path(tempfile.mkdtemp()) / "back.anki2"))
    try:
        request = anki_collection.ImportAnkiPackageRequest(
            package_path=str(out),
            options=anki_collection.ImportAnkiPackageOptions(with_scheduling=True),
        )
        col.import_anki_package(request)
        assert col.note_count() == made.notes
        assert col.card_count() == made.cards
        assert (
            col.db.scalar("SELECT count() FROM revlog") == reviews == len(answers(made))
        )
        assert col.db.scalar("SELECT count() FROM cards WHERE type != 0") == studied
        assert col.db.scalar("SELECT count() FROM cards WHERE queue = -1") == 3
        assert col.db.scalar("SELECT count() FROM cards WHERE flags = 2") == 4
        names = {d.name for d in col.decks.all_names_and_ids()}
        assert {"Lang::Verbs::Irregular", "Lang::Nouns", "Other"} <= names
        assert sorted(os.listdir(col.media.dir())) == sorted(
            row.name for row in list_media(library.media_dir)
        )
        ratings = col.db.list("SELECT ease FROM revlog ORDER BY id")
        ours = [
            row[0]
            for row in library.store.execute(
                "SELECT rating FROM reviews ORDER BY reviewed_at, id"
            )
        ]
        assert ratings == ours
    finally:
        col.close()


def test_colpkg_out_is_read_by_anki_as_a_whole_collection(
    made: MadePackage, library: Library, tmp_path: Path
) -> None:
    from anki._backend import RustBackend

    library.import_package(made.path, now=NOW)
    out = tmp_path / "all.colpkg"
    assert library.export([row.id for row in library.deck_counts(now=NOW)], out)
    target = tmp_path / "anki"
    target.mkdir()
    RustBackend().import_collection_package(
        col_path=str(target / "collection.anki2"),
        backup_path=str(out),
        media_folder=str(target / "media"),
        media_db=str(target / "media.db"),
    )
    col = anki_collection.Collection(str(target / "collection.anki2"))
    try:
        assert col.note_count() == made.notes
        assert col.db.scalar("SELECT count() FROM revlog") == len(answers(made))
        assert col.db.scalar("SELECT count() FROM cards WHERE queue = -1") == 3
    finally:
        col.close()
    assert len(os.listdir(target / "media")) == 2


def test_a_reopened_collection_still_leaves_held_cards_out(
    made: MadePackage, tmp_path: Path
) -> None:
    library = Library.open(tmp_path / "collection")
    library.import_package(made.path, now=NOW)
    library.close()
    store = Store.open(tmp_path / "collection" / "studyapp.sqlite3")
    try:
        suspended = {
            row[0] for row in store.execute("SELECT id FROM cards WHERE suspended = 1")
        }
        every = {row[0] for row in store.execute("SELECT id FROM cards")}
        queued = {
            entry.card_id
            for deck in store.deck_ids()
            for entry in store.new_entries(deck, 9999)
        }
        later = NOW + timedelta(days=400)
        queued |= {
            e.card_id
            for e in store.due_reviews(None, before=later, after=None, limit=9999)
        }
        queued |= {e.card_id for e in store.learning_entries(None, before=later)}
        assert suspended <= every
        assert len(suspended) == 3
        assert not queued & suspended
        assert queued
    finally:
        store.close()
