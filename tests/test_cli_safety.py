import csv
import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studyapp import cli
from studyapp.core.interop.review_csv import COLUMNS, export_history
from studyapp.core.library import DB_NAME, Library
from studyapp.core.model import Rating

from .conftest import MINI_DECK


def _study(data_dir: Path, now: datetime, count: int) -> None:
    library = Library.open(data_dir)
    try:
        if not library.store.execute("SELECT 1 FROM decks").fetchone():
            library.import_paths([MINI_DECK], now=now)
        queue = library.review_queue(now=now)
        for i in range(count):
            assert queue.next_card(now) is not None
            queue.answer(Rating(i % 4 + 1), now=now, duration_ms=1500 * (i + 1))
    finally:
        library.close()


def _reviews(data_dir: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(data_dir / DB_NAME)) as conn:
        return conn.execute("SELECT * FROM reviews ORDER BY id").fetchall()


def test_backup_create_list_and_restore(
    data_dir: Path, now: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    _study(data_dir, now, 2)
    assert cli.main(["backup", "create"]) == 0
    created = Path(capsys.readouterr().out.split(": ", 1)[1].strip())
    assert created.parent == data_dir / "backups"
    saved = _reviews(data_dir)
    _study(data_dir, now + timedelta(minutes=1), 2)
    assert len(_reviews(data_dir)) == 4

    assert cli.main(["backup", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["taken", "(UTC)", "cards", "reviews", "size", "file"]
    rows = {line.split()[-1]: line.split() for line in lines[1:]}
    assert rows[created.name][2:4] == ["5", "2"]
    assert cli.main(["backup", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {b["path"] for b in listed} >= {str(created)}

    assert cli.main(["backup", "restore", created.name]) == 0
    out = capsys.readouterr().out
    assert f"restored {created}: 5 cards, 2 reviews" in out
    assert "-before-restore.sqlite3" in out
    assert _reviews(data_dir) == saved


def test_backup_list_without_backups(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["backup", "list"]) == 0
    assert capsys.readouterr().out.startswith("no backups in ")


def test_restore_of_a_bad_file_is_refused(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("not a database", encoding="utf-8")
    assert cli.main(["backup", "restore", str(bad)]) == 1
    assert "not a readable database" in capsys.readouterr().err


def test_a_second_instance_gets_a_clear_message(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = Library.open(data_dir)
    try:
        assert cli.main(["check"]) == 1
    finally:
        library.close()
    err = capsys.readouterr().err
    assert err.startswith("error: StudyApp is already running on the data folder")


def test_check_reports_repairs_and_backs_up_first(
    data_dir: Path, now: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    _study(data_dir, now, 2)
    assert cli.main(["check"]) == 0
    out = capsys.readouterr().out
    assert "checked 5 cards and 2 reviews" in out
    assert "no problems found" in out
    assert "-before-check.sqlite3" in out
    with closing(sqlite3.connect(data_dir / DB_NAME)) as conn:
        conn.execute("DELETE FROM card_state WHERE card_id = 1")
        conn.commit()
    assert cli.main(["check", "--no-repair", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["is_ok"] is False
    assert [f["code"] for f in report["findings"]] == ["state-missing"]
    assert cli.main(["check"]) == 0
    assert "every problem found was repaired" in capsys.readouterr().out
    assert cli.main(["check"]) == 0
    assert "no problems found" in capsys.readouterr().out


def test_export_history_writes_one_row_per_answer(
    data_dir: Path, now: datetime, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _study(data_dir, now, 3)
    out = tmp_path / "history.csv"
    assert cli.main(["export-history", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote 3 reviews to {out}\n"
    with out.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert tuple(rows[0]) == COLUMNS
    first = rows[0]
    assert first["deck_id"] == "mini"
    assert first["deck_title"] == "Mini deck for tests"
    assert first["note_id"] == "myokines"
    assert first["front"] == "What are myokines?"
    assert (first["rating"], first["rating_name"]) == ("1", "again")
    assert first["reviewed_at"] == "2026-03-02T10:00:00.000Z"
    assert first["duration_s"] == "1.500"
    assert first["state_before"] == "new"
    assert [r["rating_name"] for r in rows] == ["again", "hard", "good"]
    assert cli.main(["export-history", "--out", str(out), "--deck", "other"]) == 0
    assert capsys.readouterr().out.startswith("wrote 0 reviews")
    assert cli.main(["export-history", "--out", str(out), "--since", "2026-03-03"]) == 0
    assert capsys.readouterr().out.startswith("wrote 0 reviews")


def test_export_history_matches_the_review_log(
    library: Library, now: datetime, tmp_path: Path
) -> None:
    for day in range(4):
        moment = now + timedelta(days=day)
        queue = library.review_queue(now=moment)
        while queue.next_card(moment) is not None:
            queue.answer(Rating.GOOD, now=moment, duration_ms=2000)
    out = tmp_path / "all.csv"
    count = export_history(library.store, out)
    with out.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    stored = library.store.execute("SELECT id FROM reviews ORDER BY id").fetchall()
    assert count == len(rows) == len(stored) > 5
    assert [int(r["review_id"]) for r in rows] == [row[0] for row in stored]
    times = [datetime.fromisoformat(r["reviewed_at"]) for r in rows]
    assert times == sorted(times)
    assert all(t.tzinfo == UTC for t in times)
    since = export_history(library.store, out, since=now + timedelta(days=2))
    assert since < count
    assert not list(tmp_path.glob(".*partial"))


def test_restore_replaces_a_collection_too_damaged_to_open(
    data_dir: Path, now: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    _study(data_dir, now, 3)
    assert cli.main(["backup", "create"]) == 0
    created = Path(capsys.readouterr().out.split(": ", 1)[1].strip())
    saved = _reviews(data_dir)
    (data_dir / DB_NAME).write_bytes(b"\0garbage" * 4096)
    assert cli.main(["check"]) == 1
    assert "cannot open the database" in capsys.readouterr().err
    assert cli.main(["backup", "restore", str(created)]) == 0
    out = capsys.readouterr().out
    assert "cannot be opened" in out
    assert "3 reviews" in out
    assert "the damaged file is kept as" in out
    assert _reviews(data_dir) == saved
    assert len(list(data_dir.glob(f"{DB_NAME}.damaged-*"))) == 1
    assert cli.main(["check"]) == 0
