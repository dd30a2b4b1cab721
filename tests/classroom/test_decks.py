"""Publish -> pull -> study -> edit -> re-publish -> pull keeps the history."""

from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from studyapp.core.classroom.publish import publish
from studyapp.core.classroom.push import push
from studyapp.core.classroom.report import class_report
from studyapp.core.classroom.server import ClassError, create_class
from studyapp.core.classroom.student import pull
from studyapp.core.store import lazy_tables

from .conftest import PASSWORD, ClassDb
from .helpers import answer, deck_copy, enrol

OLD_BACK = "back: Cytokines or peptides produced by skeletal muscle cells."
NEW_BACK = "back: Cytokines or other peptides produced by skeletal muscle cells."


def _history(store: object, note_id: str) -> list[tuple[int, int]]:
    return store.execute(  # type: ignore[attr-defined, no-any-return]
        "SELECT c.id, count(r.id) FROM cards c LEFT JOIN reviews r ON r.card_id = c.id"
        " WHERE c.deck_id = 'mini' AND c.note_id = ? GROUP BY c.id",
        (note_id,),
    ).fetchall()


def test_republishing_an_edited_deck_keeps_the_students_history(
    class_db: ClassDb, tmp_path: Path, now: datetime
) -> None:
    create_class(
        class_db.admin, "bio", title="Biology", instructor="alice", password=PASSWORD
    )
    alice = class_db.login("alice")
    deck = deck_copy(tmp_path / "alice")
    [first] = publish(alice, "bio", [deck])
    assert (first.deck_id, first.version, first.changed, first.cards) == (
        "mini",
        1,
        True,
        5,
    )
    ann = enrol(class_db, tmp_path / "ann", "bio", "alice", now)
    assert ann.library.store.card_ids("mini")  # imported like any deck
    answer(ann.library, 5, now)
    before = _history(ann.library.store, "myokines")
    assert before
    assert before[0][1] == 1

    deck.write_text(deck.read_text().replace(OLD_BACK, NEW_BACK))
    assert NEW_BACK in deck.read_text()
    [second] = publish(alice, "bio", [deck])
    assert (second.version, second.changed) == (2, True)
    [same] = publish(alice, "bio", [deck])  # unchanged content: no new version
    assert (same.version, same.changed) == (2, False)

    later = now + timedelta(days=1)
    result = pull(ann.library, ann.data_dir, now=later)
    assert [s.deck_id for s in result.imported] == ["mini"]
    assert _history(ann.library.store, "myokines") == before  # same card, same reviews
    card = ann.library.store.card(before[0][0])
    assert "other peptides" in card.back
    assert pull(ann.library, ann.data_dir, now=later).unchanged == ["mini"]
    with psycopg.connect(alice) as conn:
        versions = conn.execute(
            "SELECT version, published_by FROM studyapp.deck_versions"
            " WHERE deck_id = 'mini' ORDER BY version"
        ).fetchall()
    assert versions == [(1, "alice"), (2, "alice")]


def test_the_report_groups_by_section_and_lists_weak_cards_with_passages(
    class_db: ClassDb, tmp_path: Path, now: datetime
) -> None:
    create_class(
        class_db.admin, "bio", title="Biology", instructor="alice", password=PASSWORD
    )
    alice = class_db.login("alice")
    publish(alice, "bio", [deck_copy(tmp_path / "alice")])
    ann = enrol(class_db, tmp_path / "ann", "bio", "alice", now)
    enrol(class_db, tmp_path / "ben", "bio", "alice", now)
    nothing = class_report(alice, "bio", now=now)
    assert nothing.weakest == []  # nobody studied anything yet
    assert [s.studied for s in nothing.sections] == [0.0, 0.0]
    answer(ann.library, 5, now)
    store = ann.library.store
    exam_time = int((now + timedelta(minutes=30)).timestamp() * 1000)
    lazy_tables.ensure(store.conn, "exams")  # as the first exam saved does
    store.execute(
        "INSERT INTO exams (id, started_at, finished_at, score, questions)"
        " VALUES (1, ?, ?, 0.5, 2)",
        (exam_time - 60_000, exam_time),
    )
    card_id = store.card_ids("mini")[0]
    for position, (section, score) in enumerate(
        (("Glossary", 1.0), ("Key points", 0.0))
    ):
        store.execute(
            "INSERT INTO exam_answers (exam_id, position, question_type, card_id,"
            " deck_id, kind, source_ref, section, prompt, correct_answer, score)"
            " VALUES (1, ?, 'multiple_choice', ?, 'mini', 'glossary',"
            " 'pedersen-2019', ?, 'q', 'a', ?)",
            (position, card_id, section, score),
        )
    store.conn.commit()
    pushed = push(store, ann.data_dir, now=now + timedelta(hours=1))
    assert pushed.reviews_new == 5
    assert pushed.exam_answers_new == 2

    exam_day = now + timedelta(days=30)
    report = class_report(alice, "bio", now=now + timedelta(hours=1), exam_at=exam_day)
    assert report.students == 2
    assert [s.section for s in report.sections] == ["Glossary", "Key points"]
    sections = {(s.source_ref, s.section): s for s in report.sections}
    glossary = sections["pedersen-2019", "Glossary"]
    assert (glossary.cards, glossary.studied) == (1, 0.5)
    assert glossary.exam_answers == 1
    assert glossary.exam_score == 1.0
    assert sections["pedersen-2019", "Key points"].exam_score == 0.0
    assert len(report.weakest) == 5
    for card in report.weakest:
        assert card.recall_now is not None
        assert card.recall_exam is not None
        assert 0 < card.recall_exam < card.recall_now <= 1  # forgetting by the exam
        assert card.class_recall_exam == pytest.approx(card.recall_exam / 2)
        assert card.quote
        assert (
            card.quote
            in Path(
                tmp_path / "alice" / "resources" / "sources" / "pedersen-2019.txt"
            ).read_text()
        )
    recalls = [c.recall_exam for c in report.weakest]
    known = [r for r in recalls if r is not None]
    assert known == recalls
    assert known == sorted(known)


def test_a_pulled_deck_that_would_write_outside_its_folder_is_refused(
    class_db: ClassDb, tmp_path: Path, now: datetime
) -> None:
    create_class(
        class_db.admin, "bio", title="Biology", instructor="alice", password=PASSWORD
    )
    alice = class_db.login("alice")
    publish(alice, "bio", [deck_copy(tmp_path / "alice")])
    ann = enrol(class_db, tmp_path / "ann", "bio", "alice", now)
    with psycopg.connect(class_db.admin) as conn:  # a server that went bad
        conn.execute(
            "INSERT INTO studyapp.deck_versions (class_id, deck_id, version,"
            " content_hash, yaml, sources, published_by)"
            " SELECT class_id, deck_id, 2, 'x', yaml,"
            " '{\"../../escape.txt\": \"x\"}', 'alice'"
            " FROM studyapp.deck_versions WHERE version = 1"
        )
    with pytest.raises(ClassError, match="leaves the deck folder"):
        pull(ann.library, ann.data_dir, now=now)
    assert not (tmp_path / "ann" / "escape.txt").exists()
    assert not (tmp_path / "escape.txt").exists()
