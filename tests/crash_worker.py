"""Worker of the kill harness (tests/test_crash.py): studies until killed.

Run as ``python crash_worker.py``, it imports the app once and then reads
commands on stdin: ``run DATA_DIR SEED ACK_FILE TARGET`` forks a child that
opens the collection and answers, undoes and imports at random until
SIGKILL; the parent reports ``pid N`` and, once the child is gone,
``exit STATUS``. Forking from one warm process keeps the many runs cheap.

With TARGET ``anywhere`` the harness picks the moment of the kill. Undo
takes about a millisecond, too short to hit from outside reliably, so with
TARGET ``answer``, ``undo`` or ``import`` the child kills itself with
SIGKILL after a random number of Python and C calls inside one operation of
that kind (counted with sys.setprofile; the first such operation is only
measured, to learn how many calls it takes).

The child writes a line to ACK_FILE with a raw os.write before each
operation (``ANSWERING``...) and after it is committed (``ANSWERED``...),
so after a kill the harness knows what was acknowledged and what was in
flight.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from studyapp.core import importing as library_module
from studyapp.core.clock import from_ms, to_ms
from studyapp.core.library import Library
from studyapp.core.model import Rating

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
DECK_ID = "crash"
MAX_OPS = 20_000
BULK_IMPORT_NOTES = library_module.BULK_IMPORT_NOTES


def deck_yaml(version: int) -> str:
    """Version ``version`` of the crash deck: 20-26 notes, some reversed."""
    lines = [f"deck: {{id: {DECK_ID}, title: Crash deck, kind: key_point}}", "cards:"]
    for i, front in expected_notes(version).items():
        extra = ", type: reversed" if int(i[1:]) % 5 == 0 else ""
        lines.append(f'  - {{id: {i}, front: "{front}", back: "Answer {i}"{extra}}}')
    return "\n".join(lines) + "\n"


def expected_notes(version: int) -> dict[str, str]:
    """The live notes a deck version leaves in the database: id -> front."""
    return {f"c{i}": f"Question {i} (v{version})" for i in range(20 + version % 7)}


class Tripwire:
    """Kills this process partway through one operation of the target kind."""

    def __init__(self, rng: random.Random, target: str) -> None:
        self.rng = rng
        self.target = target
        self.measured = 0  # calls the first operation of the kind took
        self.left = 0

    @contextmanager
    def watch(self, kind: str) -> Iterator[None]:
        if kind != self.target:
            yield
            return
        self.left = self.rng.randint(1, self.measured) if self.measured else 0
        calls = 0

        def count(frame: FrameType, event: str, arg: Any) -> None:
            nonlocal calls
            calls += 1
            if calls == self.left:
                os.kill(os.getpid(), signal.SIGKILL)

        sys.setprofile(count)
        try:
            yield
        finally:
            sys.setprofile(None)
        self.measured = self.measured or calls


def child(data_dir: Path, seed: int, ack_path: Path, target: str) -> None:
    rng = random.Random(seed)
    trip = Tripwire(random.Random(seed + 1), target)
    ack_fd = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def ack(line: str) -> None:
        os.write(ack_fd, f"{line}\n".encode())

    # Half of the kills inside imports hit one that writes through a rollback
    # journal instead of the WAL (deck_rows.bulk_transaction).
    library_module.BULK_IMPORT_NOTES = 0 if seed % 8 < 4 else BULK_IMPORT_NOTES
    library = Library.open(data_dir)
    row = library.store.execute("SELECT max(reviewed_at) FROM reviews").fetchone()
    now = from_ms(row[0]) + timedelta(minutes=1) if row[0] else START
    deck_file = data_dir.parent / f"{DECK_ID}.yaml"
    queue = library.review_queue(now=now)
    ack("READY")
    for _ in range(MAX_OPS):
        choice = rng.random()
        if choice < 0.15:
            version = rng.randrange(1, 1000)
            deck_file.write_text(deck_yaml(version), encoding="utf-8")
            with trip.watch("import"):
                ack(f"IMPORTING {version}")
                library.import_paths([deck_file], now=now, force=True)
                ack(f"IMPORTED {version}")
            queue = library.review_queue(now=now)
        elif choice < 0.35 and queue.can_undo:
            review_id = library.store.last_review_ids(1)[0]
            with trip.watch("undo"):
                ack(f"UNDOING {review_id}")
                queue.undo()
                ack(f"UNDONE {review_id}")
        else:
            card = queue.next_card(now)
            if card is None:
                now += timedelta(days=1)
                queue = library.review_queue(now=now)
                continue
            rating = Rating(rng.randint(1, 4))
            with trip.watch("answer"):
                ack(f"ANSWERING {card.id}")
                queue.answer(rating, now=now, duration_ms=rng.randint(500, 20_000))
                review_id = library.store.last_review_ids(1)[0]
                ack(f"ANSWERED {review_id} {card.id} {to_ms(now)} {int(rating)}")
            library.maybe_backup(now)
        now += timedelta(seconds=rng.randint(5, 120))
    ack("DONE")
    library.close()


def main() -> None:
    for command in sys.stdin:
        name, data_dir, seed, ack_path, target = command.split()
        assert name == "run"
        pid = os.fork()
        if pid == 0:
            try:
                child(Path(data_dir), int(seed), Path(ack_path), target)
                code = 0
            except BaseException:  # the harness sees the exit code and stderr
                traceback.print_exc()
                sys.stderr.flush()
                code = 2
            os._exit(code)
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"exit {status}", flush=True)


if __name__ == "__main__":
    main()
