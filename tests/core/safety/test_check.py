from datetime import datetime
from pathlib import Path

import pytest

from studyapp.core.library import Library
from studyapp.core.model import Rating
from studyapp.core.safety.check import check_collection, check_database
from studyapp.words import check_report_lines

from ...conftest import MINI_DECK


def _answer(library: Library, now: datetime, count: int) -> None:
    queue = library.review_queue(now=now)
    for _ in range(count):
        assert queue.next_card(now) is not None
        queue.answer(Rating.GOOD, now=now)


def _damage(library: Library) -> None:
    conn = library.store.conn
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA ignore_check_constraints = ON")
    ids = [row[0] for row in conn.execute("SELECT card_id FROM card_state")]
    conn.execute("DELETE FROM card_state WHERE card_id = ?", (ids[0],))
    conn.execute(
        "UPDATE card_state SET state = 2, stability = NULL WHERE card_id = ?",
        (ids[1],),
    )
    conn.execute("UPDATE card_state SET state = 9 WHERE card_id = ?", (ids[2],))
    conn.execute("INSERT INTO card_state (card_id, due) VALUES (9999, 0)")
    conn.execute(
        "INSERT INTO reviews (card_id, reviewed_at, rating, state_before, before, "
        "due) SELECT 8888, reviewed_at, rating, state_before, before, due "
        "FROM reviews LIMIT 1"
    )
    conn.execute(
        "UPDATE reviews SET rating = 7 WHERE id = (SELECT min(id) FROM reviews)"
    )
    conn.commit()
    conn.execute("PRAGMA ignore_check_constraints = OFF")
    conn.execute("PRAGMA foreign_keys = ON")


def test_a_healthy_collection_passes(library: Library, now: datetime) -> None:
    _answer(library, now, 3)
    report = check_database(library.store, now=now)
    assert report.is_ok
    assert report.findings == ()
    assert (report.cards, report.reviews) == (5, 3)
    assert check_report_lines(report, restore_hint="backup")[-1] == "no problems found"


def test_problems_are_reported_and_safe_ones_repaired(
    library: Library, now: datetime
) -> None:
    _answer(library, now, 3)
    _damage(library)
    before = list(library.store.conn.iterdump())
    report = check_database(library.store, now=now, repair=False)
    assert list(library.store.conn.iterdump()) == before  # only reported
    assert not report.is_ok
    found = {f.code: f.count for f in report.findings}
    assert found == {
        "review-orphan": 1,
        "review-rating": 1,
        "state-missing": 1,
        "state-orphan": 1,
        "state-invalid": 2,
    }
    repaired = check_database(library.store, now=now)
    assert repaired.is_ok
    assert all(f.repaired for f in repaired.findings)
    assert "every problem found was repaired" in check_report_lines(
        repaired, restore_hint="backup"
    )
    again = check_database(library.store, now=now)
    assert again.findings == ()
    # Every card can be studied again.
    queue = library.review_queue(now=now)
    seen = 0
    while queue.next_card(now) is not None and seen < 20:
        queue.answer(Rating.EASY, now=now)
        seen += 1
    assert seen >= 2


def test_broken_links_are_reported_not_repaired(
    library: Library, now: datetime
) -> None:
    conn = library.store.conn
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE notes SET deck_id = 'gone' WHERE note_id = 'myokines'")
    conn.commit()
    conn.execute("PRAGMA foreign_keys = ON")
    report = check_database(library.store, now=now)
    assert not report.is_ok
    (links,) = [f for f in report.findings if f.code == "links"]
    assert "cards, notes" in links.message
    assert not links.repaired
    assert "restore a backup" in check_report_lines(report, restore_hint="backup")[-1]


def test_check_collection_backs_up_first(tmp_path: Path, now: datetime) -> None:
    library = Library.open(tmp_path)
    try:
        library.import_paths([MINI_DECK], now=now)
        _answer(library, now, 2)
        _damage(library)
        report = check_collection(library.store, library.backups, now=now)
        assert report.backup is not None
        assert report.backup.name.endswith("-before-check.sqlite3")
        assert report.is_ok
        assert f"backup taken first: {report.backup}" in check_report_lines(
            report, restore_hint="backup"
        )
    finally:
        library.close()


@pytest.mark.parametrize(
    ("column", "value"),
    [("difficulty", 0.0), ("difficulty", 11.0), ("stability", -1.0), ("step", -1)],
)
def test_out_of_range_states_are_reset(
    library: Library, now: datetime, column: str, value: float
) -> None:
    _answer(library, now, 1)
    conn = library.store.conn
    card_id = conn.execute("SELECT card_id FROM reviews").fetchone()[0]
    conn.execute(
        f"UPDATE card_state SET state = 1, {column} = ? WHERE card_id = ?",
        (value, card_id),
    )
    conn.commit()
    report = check_database(library.store, now=now)
    assert [f.code for f in report.findings] == ["state-invalid"]
    assert library.store.card_state(card_id).state.name == "NEW"
