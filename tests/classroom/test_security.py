"""Row-level security with real login roles over TCP (passwords checked)."""

from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from studyapp.core.classroom.publish import publish
from studyapp.core.classroom.push import push
from studyapp.core.classroom.report import class_report
from studyapp.core.classroom.server import ClassError

from ..conftest import MINI_DECK
from .conftest import ClassDb
from .helpers import answer, enrol, two_classes


def _rows(
    url: str, sql: str, params: tuple[object, ...] = ()
) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def test_a_student_reads_and_writes_only_their_own_events(
    class_db: ClassDb, tmp_path: Path, now: datetime
) -> None:
    two_classes(class_db)
    ann = enrol(class_db, tmp_path / "ann", "bio", "alice", now)
    ben = enrol(class_db, tmp_path / "ben", "bio", "alice", now)
    cat = enrol(class_db, tmp_path / "cat", "chem", "bob", now)
    assert answer(ann.library, 3, now) == 3
    assert (
        push(ann.library.store, ann.data_dir, now=now + timedelta(hours=1)).reviews_new
        == 3
    )

    count = "SELECT count(*) FROM studyapp.review_events"
    assert _rows(ann.url(class_db), count) == [(3,)]
    assert _rows(ben.url(class_db), count) == [(0,)]  # Ann's rows are invisible
    assert _rows(cat.url(class_db), count) == [(0,)]
    # Ben cannot write an event as Ann, nor as himself into another class.
    forge = (
        "INSERT INTO studyapp.review_events (class_id, student_id, deck_id,"
        " note_id, ord, reviewed_at, rating, state_before)"
        " VALUES (%s, %s, 'mini', 'myokines', 0, now(), 3, 0)"
    )
    for class_id, student in (("bio", ann.student_id), ("chem", ben.student_id)):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level"):
            _rows(ben.url(class_db), forge, (class_id, student))
    # Nor read the other class's decks, nor anyone's card progress.
    assert _rows(
        cat.url(class_db), "SELECT DISTINCT class_id FROM studyapp.deck_versions"
    ) == [("chem",)]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _rows(ben.url(class_db), "SELECT * FROM studyapp.card_progress")
    assert _rows(ben.url(class_db), "SELECT count(*) FROM studyapp.enrolments") == [
        (1,)
    ]


def test_an_instructor_sees_aggregates_of_their_own_classes_only(
    class_db: ClassDb, tmp_path: Path, now: datetime
) -> None:
    two_classes(class_db)
    ann = enrol(class_db, tmp_path / "ann", "bio", "alice", now)
    enrol(class_db, tmp_path / "ben", "bio", "alice", now)
    answer(ann.library, 5, now)
    push(ann.library.store, ann.data_dir, now=now + timedelta(hours=1))
    alice = class_db.login("alice")

    report = class_report(alice, "bio", now=now)
    assert report.students == 2
    assert {card.studied for card in report.weakest} == {0.5}  # Ann only
    for table in (
        "review_events",
        "exam_events",
        "card_progress",
        "enrolments",
        "invitations",
        "server_settings",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _rows(alice, f"SELECT * FROM studyapp.{table}")
    assert _rows(alice, "SELECT id FROM studyapp.classes") == [("bio",)]
    assert _rows(
        alice, "SELECT count(*) FROM studyapp.deck_versions WHERE class_id = 'chem'"
    ) == [(0,)]
    with pytest.raises(ClassError, match=r"not one you teach|do not teach"):
        class_report(alice, "chem", now=now)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="do not teach"):
        _rows(alice, "SELECT * FROM studyapp.class_report('chem', now(), now(), 0.15)")
    with pytest.raises(ClassError, match="row-level security"):
        publish(alice, "chem", [MINI_DECK])


def test_the_join_role_can_only_redeem_invitations(class_db: ClassDb) -> None:
    two_classes(class_db)
    with psycopg.connect(class_db.admin) as conn:
        (password,) = conn.execute(
            "SELECT value FROM studyapp.server_settings WHERE key = 'join_password'"
        ).fetchone() or ("",)
    join_url = class_db.login("studyapp_join", password)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _rows(join_url, "SELECT * FROM studyapp.classes")
    with pytest.raises(
        psycopg.errors.InvalidAuthorizationSpecification, match="invitation"
    ):
        _rows(join_url, "SELECT * FROM studyapp.join_class('guessed-token')")
