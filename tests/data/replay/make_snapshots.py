"""Make the replay snapshots: packages with history, and what importing them stores.

Run once with the code whose results the snapshots pin (see README.md):

    .venv/bin/python tests/data/replay/make_snapshots.py [--packages]

``--packages`` also writes the packages anew with Anki's library (``anki``
on PyPI); without it the committed packages are imported again.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # the imports' "now"
#: The packages: (file here, where it comes from).
PACKAGES = ("made.apkg", "bench.apkg")


def stored(con: sqlite3.Connection) -> dict[str, Any]:
    """Every card's state and every review row, keyed by (note id, ord)."""
    cards = con.execute(
        "SELECT c.note_id, c.ord, s.state, s.step, s.stability, s.difficulty, "
        "s.due, s.last_review, s.reps, s.lapses, c.suspended, c.buried_until, "
        "c.flag FROM cards c JOIN card_state s ON s.card_id = c.id "
        "ORDER BY c.note_id, c.ord"
    ).fetchall()
    reviews = con.execute(
        "SELECT c.note_id, c.ord, r.reviewed_at, r.rating, r.duration_ms, "
        "r.state_before, r.before, r.stability, r.difficulty, r.due, r.anki_id, "
        "r.anki_type FROM reviews r JOIN cards c ON c.id = r.card_id "
        "ORDER BY r.id"
    ).fetchall()
    return {"cards": [list(r) for r in cards], "reviews": [list(r) for r in reviews]}


def imported(package: Path) -> dict[str, Any]:
    """What a fresh collection stores after importing ``package`` at NOW."""
    from studyapp.core.library import Library

    folder = Path(tempfile.mkdtemp())
    try:
        library = Library.open(folder / "collection")
        try:
            library.import_package(package, now=NOW)
            return stored(library.store.conn)
        finally:
            library.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def make_packages() -> None:
    import anki_history

    from tests.anki_maker import make_package

    folder = Path(tempfile.mkdtemp())
    made = make_package(folder, seed=11, notes=60)
    shutil.copy(made.path, HERE / "made.apkg")
    anki_history.make_package(HERE / "bench.apkg", notes=300, revlog=3000, seed=5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--packages", action="store_true")
    args = parser.parse_args()
    if args.packages:
        make_packages()
    for name in PACKAGES:
        snapshot = imported(HERE / name)
        out = HERE / name.replace(".apkg", ".json.gz")
        with gzip.open(out, "wt", encoding="utf-8") as file:
            json.dump(snapshot, file, separators=(",", ":"))
        print(name, len(snapshot["cards"]), "cards", len(snapshot["reviews"]), "rows")


if __name__ == "__main__":
    main()
