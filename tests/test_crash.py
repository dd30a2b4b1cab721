"""Kill harness: SIGKILL a studying process at random moments, then audit the data.

Every answer acknowledged before a kill must be in the database, nothing
half-written may be (each card's state matches its newest review; a deck
import is all or nothing) and the database check must pass.
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studyapp.core.library import DB_NAME, Library
from studyapp.core.safety.backup import check_backup, list_backups
from studyapp.core.safety.check import check_database
from studyapp.core.safety.lock import InstanceLockedError
from studyapp.core.store.database import Store
from studyapp.words import check_report_lines

from .crash_worker import DECK_ID, deck_yaml, expected_notes

KILLS = 80
# Where the kill lands: anywhere, or while one kind of operation is running.
TARGETS = ("anywhere", "answer", "undo", "import")
_PHASES = {"ANSWERING": "answer", "UNDOING": "undo", "IMPORTING": "import"}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL"),
]


@dataclass
class Ledger:
    """What the workers acknowledged, across all runs."""

    answers: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    deck_version: int = 1
    kills: Counter[str] = field(default_factory=Counter)
    acked_answers: int = 0
    acked_undos: int = 0
    acked_imports: int = 0
    # Operations cut by a kill, by whether their transaction had committed.
    in_flight: Counter[str] = field(default_factory=Counter)


@pytest.fixture
def worker() -> Iterator[subprocess.Popen[str]]:
    script = Path(__file__).with_name("crash_worker.py")
    root = script.parents[1]
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{root / 'tests'}"}
    process = subprocess.Popen(
        [sys.executable, str(script)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=root,
    )
    yield process
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.close()
    process.wait(timeout=30)
    process.stdout.close()


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def _wait_ready(path: Path) -> None:
    deadline = time.monotonic() + 10
    while "READY" not in _lines(path):
        assert time.monotonic() < deadline, "the worker did not start"
        time.sleep(0.001)


def _settle(
    ledger: Ledger, lines: list[str], conn: sqlite3.Connection, target: str
) -> None:
    """Apply one run's acknowledgements; resolve what was in flight at the kill."""
    pending_undo: int | None = None
    pending_import: int | None = None
    for line in lines:
        word, *rest = line.split()
        values = [int(v) for v in rest]
        if word == "ANSWERED":
            ledger.answers[values[0]] = (values[1], values[2], values[3])
            ledger.acked_answers += 1
        elif word == "UNDOING":
            pending_undo = values[0]
        elif word == "UNDONE":
            del ledger.answers[values[0]]
            pending_undo = None
            ledger.acked_undos += 1
        elif word == "IMPORTING":
            pending_import = values[0]
        elif word == "IMPORTED":
            ledger.deck_version, pending_import = values[0], None
            ledger.acked_imports += 1
    last = lines[-1].split()[0] if lines else "READY"
    phase = _PHASES.get(last, "between operations")
    ledger.kills[target if target != "anywhere" else f"anywhere ({phase})"] += 1
    if pending_undo is not None:  # committed or not: both are right
        row = conn.execute(
            "SELECT card_id, reviewed_at, rating FROM reviews WHERE id = ?",
            (pending_undo,),
        ).fetchone()
        undone = row is None or tuple(row) != ledger.answers[pending_undo]
        if undone:
            del ledger.answers[pending_undo]
        ledger.in_flight[f"undo {'committed' if undone else 'rolled back'}"] += 1
    version = _deck_version(conn)
    assert version in (ledger.deck_version, pending_import), (
        f"deck is at v{version}; acknowledged v{ledger.deck_version}, "
        f"in flight v{pending_import}"
    )
    if pending_import is not None:
        done = version == pending_import != ledger.deck_version
        ledger.in_flight[f"import {'committed' if done else 'rolled back'}"] += 1
    ledger.deck_version = version


def _deck_version(conn: sqlite3.Connection) -> int:
    """The single deck version the database holds; fails on a mix of versions."""
    notes = dict(
        conn.execute(
            "SELECT note_id, front FROM notes WHERE deck_id = ? AND retired = 0",
            (DECK_ID,),
        ).fetchall()
    )
    versions = {front.rsplit("(v", 1)[-1].rstrip(")") for front in notes.values()}
    assert len(versions) == 1, f"notes of several deck versions: {versions}"
    version = int(versions.pop())
    assert notes == expected_notes(version), "a deck import was half applied"
    unstated = conn.execute(
        "SELECT count(*) FROM cards c LEFT JOIN card_state s ON s.card_id = c.id "
        "WHERE s.card_id IS NULL"
    ).fetchone()[0]
    assert unstated == 0, "cards without a scheduling state"
    return version


def _audit(ledger: Ledger, conn: sqlite3.Connection) -> None:
    """Acknowledged answers are stored; states agree with the review log."""
    for review_id, expected in ledger.answers.items():
        row = conn.execute(
            "SELECT card_id, reviewed_at, rating FROM reviews WHERE id = ?",
            (review_id,),
        ).fetchone()
        assert row is not None, f"acknowledged answer {review_id} was lost"
        assert tuple(row) == expected, f"answer {review_id} changed: {row}"
    # An answer writes the state and the log row in one transaction, and
    # undo removes the row and restores the state in one: so each card's
    # repetitions equal its log rows, and its state is its newest review's.
    mismatched = conn.execute(
        "SELECT s.card_id, s.reps, count(r.id) FROM card_state s "
        "LEFT JOIN reviews r ON r.card_id = s.card_id GROUP BY s.card_id "
        "HAVING s.reps != count(r.id)"
    ).fetchall()
    assert mismatched == [], f"state and review log disagree: {mismatched[:3]}"
    stale = conn.execute(
        "SELECT s.card_id FROM card_state s JOIN reviews r ON r.id = ("
        "SELECT max(id) FROM reviews WHERE card_id = s.card_id) "
        "WHERE r.due != s.due OR r.stability IS NOT s.stability "
        "OR r.difficulty IS NOT s.difficulty"
    ).fetchall()
    assert stale == [], f"card states that are not their newest review's: {stale}"
    assert (
        conn.execute(
            "SELECT count(*) FROM card_state WHERE reps = 0 AND state != 0"
        ).fetchone()[0]
        == 0
    )


def _run_once(
    worker: subprocess.Popen[str],
    data_dir: Path,
    ack: Path,
    seed: int,
    target: str,
    rng: random.Random,
) -> None:
    assert worker.stdin is not None
    assert worker.stdout is not None
    ack.unlink(missing_ok=True)
    worker.stdin.write(f"run {data_dir} {seed} {ack} {target}\n")
    worker.stdin.flush()
    pid = int(worker.stdout.readline().split()[1])
    if target == "anywhere":
        _wait_ready(ack)
        time.sleep(rng.uniform(0, 0.08))
        os.kill(pid, signal.SIGKILL)
    # Otherwise the child kills itself inside an operation of the target kind.
    status = int(worker.stdout.readline().split()[1])
    assert os.WIFSIGNALED(status), f"the worker stopped by itself (status {status})"
    assert os.WTERMSIG(status) == signal.SIGKILL


def test_killed_study_sessions_lose_no_acknowledged_answer(
    worker: subprocess.Popen[str], tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    deck_file = tmp_path / f"{DECK_ID}.yaml"
    deck_file.write_text(deck_yaml(1), encoding="utf-8")
    library = Library.open(data_dir)
    library.import_paths([deck_file], now=datetime(2026, 3, 2, tzinfo=UTC))
    library.close()
    ledger = Ledger()
    rng = random.Random(20260302)
    ack = tmp_path / "ack.txt"
    for kill in range(KILLS):
        target = TARGETS[kill % len(TARGETS)]
        _run_once(worker, data_dir, ack, seed=kill, target=target, rng=rng)
        with closing(sqlite3.connect(data_dir / DB_NAME)) as conn:
            _settle(ledger, _lines(ack), conn, target)
            _audit(ledger, conn)
        if kill % 10 == 0:
            store = Store.open(data_dir / DB_NAME)
            try:
                report = check_database(store, now=datetime.now(UTC), repair=False)
            finally:
                store.close()
            assert report.findings == (), check_report_lines(
                report, restore_hint="backup"
            )
    # The second-instance lock was released by every kill.
    Library.open(data_dir).close()
    store = Store.open(data_dir / DB_NAME)
    try:
        report = check_database(store, now=datetime.now(UTC), repair=False)
    finally:
        store.close()
    assert report.findings == (), check_report_lines(report, restore_hint="backup")
    backups = list_backups(data_dir / "backups")
    for info in backups:
        check_backup(info.path)
    print(
        f"\nkills survived: {sum(ledger.kills.values())} {dict(ledger.kills)}; "
        f"acknowledged: {ledger.acked_answers} answers, {ledger.acked_undos} undos, "
        f"{ledger.acked_imports} imports; {len(ledger.answers)} answers kept; "
        f"{len(backups)} intact backups; cut by a kill: {dict(ledger.in_flight)}"
    )
    assert sum(ledger.kills.values()) == KILLS >= 50
    assert min(ledger.kills[k] for k in ("answer", "undo", "import")) >= 5


def test_a_second_instance_is_refused_while_one_studies(
    worker: subprocess.Popen[str], tmp_path: Path
) -> None:
    assert worker.stdin is not None
    assert worker.stdout is not None
    data_dir = tmp_path / "data"
    deck_file = tmp_path / f"{DECK_ID}.yaml"
    deck_file.write_text(deck_yaml(1), encoding="utf-8")
    Library.open(data_dir).close()
    ack = tmp_path / "ack.txt"
    worker.stdin.write(f"run {data_dir} 7 {ack} anywhere\n")
    worker.stdin.flush()
    pid = int(worker.stdout.readline().split()[1])
    _wait_ready(ack)
    with pytest.raises(InstanceLockedError, match=f"process {pid}"):
        Library.open(data_dir)
    os.kill(pid, signal.SIGKILL)
    worker.stdout.readline()
    Library.open(data_dir).close()
