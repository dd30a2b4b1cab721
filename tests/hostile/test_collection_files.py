"""Findings 8, 9, 10, 17: damaged, newer or booby-trapped collections and backups."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tests.hostile.sandbox import (
    Run,
    assert_clear_refusal,
    assert_no_crash,
    fingerprint,
    run_cli,
)

TRIGGER = "CREATE TRIGGER wipe AFTER INSERT ON reviews BEGIN DELETE FROM reviews; END"


def _backup(data_dir: Path) -> Path:
    run = run_cli(["backup", "create"], data_dir=data_dir)
    assert run.code == 0, run.err
    return Path(run.out.strip().split("backup written: ")[1])


def _ok(run: Run) -> None:
    assert_no_crash(run)
    assert run.code == 0, run.err[-2000:]


def _edit(path: Path, *sql: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        for statement in sql:
            conn.execute(statement)
    conn.close()


def test_flipped_byte_in_a_table_name_still_lets_you_restore(data_dir: Path) -> None:
    backup = _backup(data_dir)
    db = data_dir / "studyapp.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    raw = bytearray(db.read_bytes())
    at = raw.index(b"CREATE TABLE decks") + len("CREATE TABLE d")
    raw[at] = 0xFF
    db.write_bytes(bytes(raw))
    for command in (["due"], ["check"], ["stats"]):
        run = run_cli(command, data_dir=data_dir)
        assert_clear_refusal(run, "backup restore")
    _ok(run_cli(["backup", "list"], data_dir=data_dir))
    run = run_cli(["backup", "restore", str(backup)], data_dir=data_dir)
    _ok(run)
    _ok(run_cli(["due"], data_dir=data_dir))


def test_newer_schema_refused_on_open_and_restore(data_dir: Path) -> None:
    backup = _backup(data_dir)
    newer = backup.with_name(backup.name.replace(".sqlite3", "-x.sqlite3"))
    shutil.copy(backup, newer)
    _edit(
        newer,
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('studyapp', '9999_from_the_future', '2030-01-01')",
    )
    before = fingerprint(data_dir)
    run = run_cli(["backup", "restore", str(newer)], data_dir=data_dir)
    assert_clear_refusal(run, "newer StudyApp")
    assert fingerprint(data_dir) == before
    _edit(
        data_dir / "studyapp.sqlite3",
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('studyapp', '9999_from_the_future', '2030-01-01')",
    )
    for command in (["due"], ["review"], ["stats"], ["check"]):
        run = run_cli(command, data_dir=data_dir)
        assert_clear_refusal(run, "newer StudyApp")


def test_backup_with_a_trigger_or_view_is_refused(data_dir: Path) -> None:
    backup = _backup(data_dir)
    for name, sql in (
        ("trigger", TRIGGER),
        ("view", "CREATE VIEW v AS SELECT * FROM reviews"),
        ("index", "CREATE INDEX extra ON reviews (rating)"),
    ):
        trapped = backup.with_name(backup.name.replace(".sqlite3", f"-{name}.sqlite3"))
        shutil.copy(backup, trapped)
        _edit(trapped, sql)
        before = fingerprint(data_dir)
        run = run_cli(["backup", "restore", str(trapped)], data_dir=data_dir)
        assert_clear_refusal(run, "not restored")
        assert fingerprint(data_dir) == before


def test_check_finds_and_drops_a_foreign_trigger(data_dir: Path) -> None:
    _edit(data_dir / "studyapp.sqlite3", TRIGGER)
    run = run_cli(["check", "--no-repair"], data_dir=data_dir)
    assert_no_crash(run)
    assert run.code == 1
    assert "trigger" in run.out
    _ok(run_cli(["check"], data_dir=data_dir))
    conn = sqlite3.connect(data_dir / "studyapp.sqlite3")
    kinds = [k for (k,) in conn.execute("SELECT type FROM sqlite_master")]
    conn.close()
    assert "trigger" not in kinds
    run = run_cli(["review", "--limit", "1"], data_dir=data_dir, stdin="\n3\n")
    _ok(run)
    conn = sqlite3.connect(data_dir / "studyapp.sqlite3")
    assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    conn.close()


def test_backup_with_4096_byte_pages_restores(data_dir: Path) -> None:
    backup = _backup(data_dir)
    small = backup.with_name(backup.name.replace(".sqlite3", "-small.sqlite3"))
    conn = sqlite3.connect(backup)
    conn.execute("PRAGMA page_size = 4096")
    conn.execute(f"VACUUM INTO '{small}'")
    conn.close()
    conn = sqlite3.connect(small)
    assert conn.execute("PRAGMA page_size").fetchone()[0] == 4096
    conn.close()
    _ok(run_cli(["backup", "restore", str(small)], data_dir=data_dir))
    _ok(run_cli(["due"], data_dir=data_dir))
