"""Findings 11, 13, 15, 17: terminal escapes, the lock file, the data folder,
a locked collection and a full disk give clear messages, never tracebacks."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.hostile.sandbox import assert_clear_refusal, assert_no_crash, run_cli

ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;ZWNobyBwd25lZA==\x07\x9b31m"


def test_review_prints_no_escape_sequences(data_dir: Path, attack_dir: Path) -> None:
    deck = {
        "deck": {"id": "esc", "title": "Esc" + ESCAPES},
        "cards": [{"id": "a", "front": "front" + ESCAPES, "back": "back" + ESCAPES}],
    }
    path = attack_dir / "esc.yaml"
    path.write_text(json.dumps(deck))
    run = run_cli(["import", str(path)], data_dir=data_dir, allowed=[attack_dir])
    assert run.code == 0, run.err
    for command, stdin in (
        (["review", "--deck", "esc"], "\n3\nq\n"),
        (["due"], ""),
        (["validate", str(path)], ""),
    ):
        run = run_cli(command, data_dir=data_dir, allowed=[attack_dir], stdin=stdin)
        assert_no_crash(run)
        for stream in (run.out, run.err):
            assert "\x1b" not in stream
            assert "\x07" not in stream
            assert "\x9b" not in stream


def test_lock_symlink_is_not_followed(data_dir: Path, attack_dir: Path) -> None:
    victim = attack_dir / "precious.txt"
    victim.write_text("precious data\n")
    lock = data_dir / "studyapp.lock"
    lock.unlink(missing_ok=True)
    lock.symlink_to(victim)
    run = run_cli(["due"], data_dir=data_dir, allowed=[attack_dir])
    assert_clear_refusal(run, "studyapp.lock")
    assert victim.read_text() == "precious data\n"


def test_lock_path_that_is_a_folder_or_fifo(data_dir: Path) -> None:
    lock = data_dir / "studyapp.lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()
    assert_clear_refusal(run_cli(["due"], data_dir=data_dir), "studyapp.lock")
    lock.rmdir()
    os.mkfifo(lock)
    run = run_cli(["due"], data_dir=data_dir, timeout=20)
    assert_clear_refusal(run, "studyapp.lock", "not a regular file")


def test_data_dir_that_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "afile"
    path.write_text("x")
    run = run_cli(["due"], data_dir=path, work=tmp_path / "w")
    assert_clear_refusal(run, "is a file, not a folder", "--data-dir")


def test_read_only_data_folder(tmp_path: Path) -> None:
    # sysfs refuses to create files even for root: a read-only folder anyone has.
    run = run_cli(["due"], data_dir=Path("/sys/fs"), work=tmp_path / "w")
    assert_clear_refusal(run, "cannot use the data folder", "--data-dir")


def test_review_while_another_program_holds_the_write_lock(data_dir: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\n"
            "print('held', flush=True)\n"
            "time.sleep(30)\n",
            str(data_dir / "studyapp.sqlite3"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        run = run_cli(["review", "--limit", "1"], data_dir=data_dir, stdin="\n3\n")
        assert_clear_refusal(run, "another program", "not saved")
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()


def test_full_disk_during_review_names_the_unsaved_answer(data_dir: Path) -> None:
    conn = sqlite3.connect(data_dir / "studyapp.sqlite3")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    time.sleep(0.01)
    run = run_cli(["review"], data_dir=data_dir, stdin="\n3\n" * 60, file_size=65536)
    assert_clear_refusal(run, "not saved")
    assert "answer" in run.err or "change was not saved" in run.err
