"""Importing a learner's whole Anki package: StudyApp against Anki's own importer.

A package of N notes (Basic, one card each) with R revlog rows in all (R / N
answers a card, spread over two years: a learning answer, then reviews with
growing intervals, relearning after a lapse) is made once with Anki's library
(``anki``, the bench extra) and exported with scheduling, as Anki's "Export
→ Anki Deck Package, include scheduling information" does. Then, alternating
the sides repetition by repetition, each in a child process of its own:

- Anki: a fresh collection, ``import_anki_package`` with scheduling;
- StudyApp: a fresh collection, ``Library.import_package`` (notes, cards,
  review log, FSRS replay of every card's history, states).

Each child reports the import's wall time and its peak memory (VmHWM).

    .venv/bin/python bench/anki_history.py --notes 100000 --revlog 1000000 --reps 3
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import harness

SCRIPT = Path(__file__).resolve()
DAY_MS = 86_400_000


def make_package(path: Path, notes: int, revlog: int, seed: int = 13) -> dict[str, Any]:
    """Write the package with Anki's library (child side)."""
    from anki.collection import AddNoteRequest, Collection, ExportAnkiPackageOptions
    from anki.decks import DeckId

    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="bench-anki-history-"))
    col = Collection(str(folder / "collection.anki2"))
    try:
        col.set_config("fsrs", True)
        basic = col.models.by_name("Basic")
        decks = [col.decks.id(name) for name in ("Bench::Part A", "Bench::Part B")]
        requests = []
        for i in range(notes):
            note = col.new_note(basic)
            note["Front"] = f"Question {i}: what does term {i} name?"
            note["Back"] = f"Answer {i}: the thing term {i} names."
            requests.append(AddNoteRequest(note=note, deck_id=DeckId(decks[i % 2])))
        col.add_notes(requests)
        today = col.sched.today
        col.close()
        # Anki's DB proxy commits (and syncs) each row of an executemany: the
        # rows go in through sqlite3 in one transaction, the collection closed.
        made = _write_history(folder / "collection.anki2", revlog, today, rng)
        col = Collection(str(folder / "collection.anki2"))
        col.export_anki_package(
            out_path=str(path),
            options=ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=True
            ),
            limit=None,
        )
        return {"notes": notes, **made}
    finally:
        col.close()
        shutil.rmtree(folder, ignore_errors=True)


def _write_history(
    path: Path, revlog: int, today: int, rng: random.Random
) -> dict[str, int]:
    """Revlog rows and review-queue states, written as Anki writes them."""
    db = sqlite3.connect(path)
    card_ids = [row[0] for row in db.execute("SELECT id FROM cards ORDER BY id")]
    per_card = max(1, revlog // len(card_ids))
    now_ms = int(time.time() * 1000)
    start = now_ms - 2 * 365 * DAY_MS
    rows: list[tuple[int, ...]] = []
    states: list[tuple[int, ...]] = []
    for index, card_id in enumerate(card_ids):
        day, interval, kind = rng.randint(0, 60), 0, 0
        for answer in range(per_card):
            ease = 3 if answer == 0 else rng.choice((1, 3, 3, 3, 3, 3, 4, 2))
            at = start + day * DAY_MS + index * 10 + answer
            if at >= now_ms:
                break
            spent = rng.randint(1500, 25_000)
            if answer == 0:
                kind, interval = 0, 1
            elif ease == 1:
                kind, interval = 1, 1
            else:
                kind = 2 if interval == 1 and answer > 1 else 1
                grown = int(interval * (2.5 if ease >= 3 else 1.2))
                interval = min(max(2, grown), 60)
            rows.append((at, card_id, ease, interval, 0, 2500, spent, kind))
            day += interval
        due = today + day - (now_ms - start) // DAY_MS
        states.append((interval, due, card_id))
    with db:
        db.executemany(
            "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, "
            "type) VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        db.executemany(
            "UPDATE cards SET type = 2, queue = 2, ivl = ?, due = ? WHERE id = ?",
            states,
        )
    db.close()
    return {"cards": len(card_ids), "revlog": len(rows)}


def _child_make(args: dict[str, Any]) -> dict[str, Any]:
    return make_package(Path(args["path"]), args["notes"], args["revlog"])


def _child_anki(args: dict[str, Any]) -> dict[str, Any]:
    from anki.collection import (
        Collection,
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
    )

    col = Collection(args["collection"])
    started = time.perf_counter()
    col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=args["package"],
            options=ImportAnkiPackageOptions(with_scheduling=True),
        )
    )
    seconds = time.perf_counter() - started
    result = {
        "seconds": seconds,
        "peak_mb": harness.peak_rss_mb(),
        "reviews": col.db.scalar("SELECT count() FROM revlog"),
        "cards": col.card_count(),
    }
    col.close()
    return result


def _child_studyapp(args: dict[str, Any]) -> dict[str, Any]:
    from studyapp.core.library import Library

    library = Library.open(Path(args["collection"]))
    started = time.perf_counter()
    summary = library.import_package(Path(args["package"]))
    seconds = time.perf_counter() - started
    result = {
        "seconds": seconds,
        "peak_mb": harness.peak_rss_mb(),
        "reviews": summary.history.reviews_added,
        "cards": summary.cards_added,
        "replayed": summary.history.cards_replayed,
    }
    library.close()
    return result


def measure(side: str, package: Path, work: Path) -> dict[str, Any]:
    """One import by one side into a fresh collection, in a child process."""
    folder = work / f"{side}-collection"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    target = folder / "collection.anki2" if side == "anki" else folder
    try:
        return harness.run_child(
            SCRIPT, side, {"package": str(package), "collection": str(target)}
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--revlog", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="scratch folder")
    parser.add_argument("--json", type=Path, default=None, help="raw results here")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-history-"))
    work.mkdir(parents=True, exist_ok=True)
    package = work / f"history-{args.notes}-{args.revlog}.apkg"
    made: dict[str, Any] = {}
    if not package.is_file():
        made = harness.run_child(
            SCRIPT,
            "make",
            {"path": str(package), "notes": args.notes, "revlog": args.revlog},
        )
        print(f"package made: {made}", file=sys.stderr)
    runs: dict[str, list[dict[str, Any]]] = {"anki": [], "studyapp": []}
    for rep in range(args.reps):
        for side in ("anki", "studyapp") if rep % 2 == 0 else ("studyapp", "anki"):
            record = measure(side, package, work)
            runs[side].append(record)
            print(
                f"rep {rep + 1} {side}: {record['seconds']:.1f} s, "
                f"{record['peak_mb']:.0f} MiB peak, {record['reviews']} reviews",
                file=sys.stderr,
            )
    result = {
        "notes": args.notes,
        "revlog": args.revlog,
        "package_mb": package.stat().st_size / 1024**2,
        "made": made,
        "runs": runs,
        "median": {
            side: {
                "seconds": statistics.median(r["seconds"] for r in records),
                "peak_mb": statistics.median(r["peak_mb"] for r in records),
            }
            for side, records in runs.items()
        },
    }
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    print(json.dumps(result["median"], indent=2))
    return result


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] in ("make", "anki", "studyapp"):
        harness.child_main(
            {"make": _child_make, "anki": _child_anki, "studyapp": _child_studyapp}
        )
    else:
        main()
