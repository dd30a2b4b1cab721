"""Anki packages arrive whole: the shared packages Anki made (modern and legacy)."""

import json
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import fsrs
import pytest
import zstandard

from studyapp.core.clock import from_ms, to_ms
from studyapp.core.errors import PackageError
from studyapp.core.interop.anki_media import list_media
from studyapp.core.interop.anki_notetypes import card_id_for_guid
from studyapp.core.interop.anki_revlog import classify
from studyapp.core.library import Library
from studyapp.core.model import State
from studyapp.core.study import stats

INTEROP = Path(__file__).resolve().parents[2] / "data" / "interop"
EXPECTED = json.loads((INTEROP / "expected-1.json").read_text())
PACKAGES = ["anki-modern-1.apkg", "anki-legacy-1.apkg"]
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def anki_collection(package: Path, tmp_path: Path) -> sqlite3.Connection:
    """The package's collection, opened with plain sqlite3 (for expectations)."""
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        target = tmp_path / "anki-side.db"
        if "collection.anki21b" in names:
            with archive.open("collection.anki21b") as member:
                data = zstandard.ZstdDecompressor().stream_reader(member).read()
        else:
            data = archive.read("collection.anki21")
        target.write_bytes(data)
    return sqlite3.connect(target)


def our_card(library: Library, guid: str, anki_ord: int, cloze: bool) -> int:
    row = library.store.execute(
        "SELECT id FROM cards WHERE note_id = ? AND ord = ?",
        (card_id_for_guid(guid), anki_ord + 1 if cloze else anki_ord),
    ).fetchone()
    return int(row[0])


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    lib = Library.open(tmp_path / "collection")
    yield lib
    lib.close()


@pytest.mark.parametrize("name", PACKAGES)
def test_revlog_rows_in_equal_review_rows_out(
    name: str, library: Library, tmp_path: Path
) -> None:
    summary = library.import_package(INTEROP / name, now=NOW)

    anki = anki_collection(INTEROP / name, tmp_path)
    revlog = anki.execute(
        "SELECT id, ease, time, type FROM revlog ORDER BY id"
    ).fetchall()
    assert len(revlog) == EXPECTED["revlog"]
    ours = library.store.execute(
        "SELECT anki_id, rating, duration_ms, anki_type, reviewed_at FROM reviews "
        "ORDER BY anki_id"
    ).fetchall()
    assert [row[:4] for row in ours] == [tuple(row) for row in revlog]
    assert all(row[4] == row[0] for row in ours)  # the revlog id is the time
    assert summary.history.reviews_added == EXPECTED["revlog"]
    assert summary.notes_added == EXPECTED["notes"]
    assert summary.cards_added == EXPECTED["anki_cards"]
    assert summary.history.memory_checked == 20  # the cards Anki answered
    assert summary.history.memory_differs == 0
    assert summary.history.studied_without_history == 0
    out = tmp_path / "history.csv"
    from studyapp.core.interop.review_csv import export_history

    assert export_history(library.store, out) == EXPECTED["revlog"]


@pytest.mark.parametrize("name", PACKAGES)
def test_card_states_match_anki_and_its_stored_memory_state(
    name: str, library: Library, tmp_path: Path
) -> None:
    library.import_package(INTEROP / name, now=NOW)
    anki = anki_collection(INTEROP / name, tmp_path)
    by_state = stats.cards_by_state(library.store)
    anki_types = dict(anki.execute("SELECT type, count(*) FROM cards GROUP BY type"))
    assert by_state == {
        "new": anki_types.get(0, 0),
        "learning": anki_types.get(1, 0),
        "review": anki_types.get(2, 0),
        "relearning": anki_types.get(3, 0),
    }
    rows = anki.execute(
        "SELECT n.guid, c.ord, c.data, n.flds FROM cards c JOIN notes n "
        "ON n.id = c.nid WHERE c.data LIKE '%\"s\"%'"
    ).fetchall()
    assert rows, "Anki stored FSRS memory states for the answered cards"
    for guid, ord_, data, fields in rows:
        cloze = "{{c" in fields
        state = library.store.card_state(our_card(library, guid, ord_, cloze))
        memory = json.loads(data)
        # Anki keeps s to 4 decimals and d to 3.
        assert state.stability == pytest.approx(memory["s"], rel=0.01, abs=2e-4)
        assert state.difficulty == pytest.approx(memory["d"], abs=2e-3)


@pytest.mark.parametrize("name", PACKAGES)
def test_replayed_states_equal_fsrs_called_directly(
    name: str, library: Library, tmp_path: Path
) -> None:
    library.import_package(INTEROP / name, now=NOW)
    anki = anki_collection(INTEROP / name, tmp_path)
    scheduler = fsrs.Scheduler(enable_fuzzing=False)  # the library's defaults
    history: dict[tuple[str, int, bool], list[tuple[int, int]]] = {}
    for guid, ord_, fields, revlog_id, ease in anki.execute(
        "SELECT n.guid, c.ord, n.flds, r.id, r.ease FROM revlog r JOIN cards c "
        "ON c.id = r.cid JOIN notes n ON n.id = c.nid ORDER BY r.id"
    ):
        history.setdefault((guid, ord_, "{{c" in fields), []).append((revlog_id, ease))
    assert len(history) == 20
    for (guid, ord_, cloze), answers in history.items():
        card = fsrs.Card()
        for revlog_id, ease in answers:
            card, _ = scheduler.review_card(card, fsrs.Rating(ease), from_ms(revlog_id))
        ours = library.store.card_state(our_card(library, guid, ord_, cloze))
        assert int(ours.state) == card.state.value
        assert ours.step == card.step
        assert ours.stability == card.stability
        assert ours.difficulty == card.difficulty
        assert ours.last_review == card.last_review
        assert ours.reps == len(answers)
        assert card.last_review is not None
        interval = (card.due - card.last_review).total_seconds() / 86_400
        fuzz = abs((ours.due - card.due).total_seconds()) / 86_400
        assert fuzz <= 1 + 0.25 * interval  # only the last answer is fuzzed


@pytest.mark.parametrize("name", PACKAGES)
def test_reimport_adds_nothing_twice(name: str, library: Library) -> None:
    library.import_package(INTEROP / name, now=NOW)
    states = library.store.execute(
        "SELECT * FROM card_state ORDER BY card_id"
    ).fetchall()
    again = library.import_package(INTEROP / name, now=NOW)
    assert again.history.reviews_added == 0
    assert again.history.reviews_known == EXPECTED["revlog"]
    assert again.notes_added == again.cards_added == again.media_added == 0
    count = library.store.execute("SELECT count(*) FROM reviews").fetchone()[0]
    assert count == EXPECTED["revlog"]
    assert (
        library.store.execute("SELECT * FROM card_state ORDER BY card_id").fetchall()
        == states
    )
    other = PACKAGES[1 - PACKAGES.index(name)]  # the same collection, other format
    assert library.import_package(INTEROP / other, now=NOW).history.reviews_added == 0


def test_the_image_arrives_byte_identical_under_a_content_name(
    library: Library,
) -> None:
    summary = library.import_package(INTEROP / "anki-modern-1.apkg", now=NOW)
    assert summary.images == 1
    assert summary.media_added == 1
    (row,) = list_media(library.media_dir)
    with zipfile.ZipFile(INTEROP / "anki-legacy-1.apkg") as archive:
        original = archive.read("0")  # the legacy package stores it plainly
    assert row.kind == "image"
    assert library.media_dir is not None
    assert (library.media_dir / row.name).read_bytes() == original
    back = library.store.execute(
        "SELECT back FROM notes WHERE back LIKE '%<img%'"
    ).fetchone()[0]
    assert f'<img src="{row.name}">' in back


def test_nested_deck_names_become_a_tree_with_the_full_path(library: Library) -> None:
    library.import_package(INTEROP / "anki-modern-1.apkg", now=NOW)
    counts = {row.id: row for row in library.deck_counts(now=NOW)}
    assert counts["heldout-1"].title == "Heldout 1"
    assert counts["heldout-1-sub"].title == "Heldout 1::Sub"
    parent = library.review_queue(["heldout-1"], now=NOW)
    child = library.review_queue(["heldout-1-sub"], now=NOW)
    assert parent.remaining == child.remaining
    assert parent.remaining.new > 0


def legacy_package_changed(
    tmp_path: Path, name: str, change: Callable[[sqlite3.Connection], int]
) -> tuple[Path, int]:
    """The legacy package with its collection changed by ``change``.

    Returns:
        The new package and what ``change`` returned.
    """
    package = tmp_path / name
    collection = tmp_path / "c.anki21"
    with zipfile.ZipFile(INTEROP / "anki-legacy-1.apkg") as source:
        collection.write_bytes(source.read("collection.anki21"))
        db = sqlite3.connect(collection)
        result = change(db)
        db.commit()
        db.close()
        with zipfile.ZipFile(package, "w") as out:
            for info in source.infolist():
                if info.filename == "collection.anki21":
                    out.write(collection, "collection.anki21")
                else:
                    out.writestr(info, source.read(info))
    return package, result


def test_a_package_with_a_damaged_review_log_imports_nothing(
    library: Library, tmp_path: Path
) -> None:
    damaged, _ = legacy_package_changed(
        tmp_path,
        "damaged.apkg",
        lambda db: db.execute("ALTER TABLE revlog RENAME TO revlog_gone").rowcount,
    )
    with pytest.raises(PackageError, match=r"damaged\.apkg.*review log.*nothing"):
        library.import_package(damaged, now=NOW)
    assert library.store.execute("SELECT count(*) FROM decks").fetchone()[0] == 0
    assert library.media_dir is not None
    assert not library.media_dir.exists() or not any(library.media_dir.iterdir())


def test_revlog_rows_are_classified_as_anki_fsrs_reads_them() -> None:
    at = to_ms(NOW)
    assert classify(at, 3, 0, 0) == "answer"  # learn
    assert classify(at, 1, 2, 2500) == "answer"  # relearn
    assert classify(at, 3, 3, 2500) == "answer"  # filtered deck, rescheduling
    assert classify(at, 3, 3, 0) == "skip"  # cram without rescheduling
    assert classify(at, 0, 4, 0) == "reset"  # Forget
    assert classify(at, 0, 4, 2500) == "skip"  # set due date (old Anki)
    assert classify(at, 0, 5, 2500) == "skip"  # rescheduled
    assert classify(at, 5, 1, 2500) == "skip"  # no such button
    assert classify(-1, 3, 1, 2500) == "skip"  # no plausible time


def test_an_in_memory_collection_refuses_media_with_a_placeholder() -> None:
    library = Library.in_memory()
    summary = library.import_package(INTEROP / "anki-modern-1.apkg", now=NOW)
    assert summary.images == 0
    assert summary.media_refused == ("dot.png: no media folder",)
    back = library.store.execute(
        "SELECT back FROM notes WHERE back LIKE '%<img%'"
    ).fetchone()[0]
    assert 'alt="image not imported: no media folder"' in back
    assert summary.history.reviews_added == EXPECTED["revlog"]
    assert library.store.card_state(1).state in State


def test_cards_studied_in_anki_without_answers_are_counted(
    library: Library, tmp_path: Path
) -> None:
    def drop_one_card(db: sqlite3.Connection) -> int:
        (card,) = db.execute(
            "SELECT cid FROM revlog GROUP BY cid ORDER BY cid LIMIT 1"
        ).fetchone()
        return int(db.execute("DELETE FROM revlog WHERE cid = ?", (card,)).rowcount)

    package, gone = legacy_package_changed(tmp_path, "no-history.apkg", drop_one_card)
    history = library.import_package(package, now=NOW).history
    assert history.studied_without_history == 1
    assert history.reviews_added == EXPECTED["revlog"] - gone
    assert history.cards_replayed == 19
