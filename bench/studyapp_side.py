"""StudyApp's side of the benchmark, with the same shape as ``anki_side``.

Written against the core's planned API (check when the core lands):
``Library.open(data_dir)`` (one SQLite file ``studyapp.sqlite3`` in
``data_dir``), ``lib.import_paths([yaml])``, ``lib.store.conn`` (sqlite3),
``lib.store.card_ids(deck_id)``, ``lib.store.set_due(card_ids, due)``,
``lib.review_queue(deck_ids=None, now=now)``, ``queue.next_card(now)`` and
``queue.answer(rating, now=now, duration_ms=...)``.

The deck files carry the same daily limits as Anki's deck options (see
``synth``), so both queues hold the same cards.
"""

from __future__ import annotations

import time

STARTED_AT = time.perf_counter()  # the child's first line: interpreter started

import shutil  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import harness  # noqa: E402

SCRIPT = Path(__file__).resolve()
DB_NAME = "studyapp.sqlite3"


def available() -> bool:
    """True when the core's Library can be imported (in a child process)."""
    try:
        harness.run_child(SCRIPT, "probe", {}, timeout=120)
    except harness.ChildError:
        return False
    return True


# --------------------------------------------------------------------------
# Parent side: one child per measurement.


def prepare(
    yaml_path: Path, data_dir: Path, due: int, timeout: float | None = None
) -> dict:
    """Build the library the review measurements copy: N cards, `due` due now."""
    args = {"yaml": str(yaml_path), "data_dir": str(data_dir), "due": due}
    return harness.run_child(SCRIPT, "prepare", args, timeout)


def measure_import(yaml_path: Path, work: Path, timeout: float | None = None) -> dict:
    """Import the deck into a fresh library; then re-import it unchanged."""
    data_dir = work / "studyapp-import"
    shutil.rmtree(data_dir, ignore_errors=True)
    try:
        return harness.run_child(
            SCRIPT,
            "import",
            {"yaml": str(yaml_path), "data_dir": str(data_dir)},
            timeout,
        )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _fresh_copy(prepared: Path, work: Path, name: str) -> Path:
    dest = work / name
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(prepared, dest)
    return dest


def measure_review(
    prepared: Path, work: Path, reviews: int, timeout: float | None = None
) -> dict:
    """First queue build, then `reviews` next-card/answer cycles on a copy."""
    data_dir = _fresh_copy(prepared, work, "studyapp-review")
    try:
        return harness.run_child(
            SCRIPT, "review", {"data_dir": str(data_dir), "reviews": reviews}, timeout
        )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def measure_open_first(
    prepared: Path, work: Path, timeout: float | None = None
) -> dict:
    """Process start -> library open -> first card shown, in a new process."""
    data_dir = _fresh_copy(prepared, work, "studyapp-open")
    try:
        result = harness.run_child(
            SCRIPT, "open_first", {"data_dir": str(data_dir)}, timeout
        )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    result["open_first_s"] = result["first_card_at"] - result["spawned_at"]
    return result


def measure_gui_first(
    prepared: Path,
    work: Path,
    timeout: float | None = None,
    *,
    source_open: bool = False,
) -> dict:
    """GUI, offscreen: process start -> main window -> first card shown.

    With ``source_open`` the learner's saved choice shows the source pane
    beside the card (its text, 13.5 MB at 100k cards, goes in with it).
    The result splits the time: interpreter start, importing PySide6,
    importing StudyApp, the window, Study now to the first card.
    """
    data_dir = _fresh_copy(prepared, work, "studyapp-gui")
    try:
        args = {"data_dir": str(data_dir), "source_open": source_open}
        result = harness.run_child(SCRIPT, "gui_first", args, timeout)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    spawned = result["spawned_at"]
    result["gui_window_s"] = result["window_at"] - spawned
    result["gui_first_s"] = result["first_card_at"] - spawned
    result["gui_interp_s"] = result["child_started_at"] - spawned
    result["gui_pyside_s"] = result["pyside_at"] - result["child_started_at"]
    result["gui_import_s"] = result["imported_at"] - result["pyside_at"]
    result["gui_study_s"] = result["first_card_at"] - result["window_at"]
    return result


def check_durable(prepared: Path, work: Path, timeout: float | None = None) -> dict:
    """Answer one card, kill the process at once, reopen: is the answer kept?"""
    data_dir = _fresh_copy(prepared, work, "studyapp-crash")
    try:
        args = {"data_dir": str(data_dir)}
        crashed = harness.run_child(SCRIPT, "crash_answer", args, timeout)
        after = harness.run_child(SCRIPT, "count_answers", args, timeout)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return {
        "answers_before": crashed["before"],
        "answers_after": after["count"],
        "answer_durable": after["count"] == crashed["before"] + 1,
    }


# --------------------------------------------------------------------------
# Child side.


def _close(lib: Any) -> None:
    close = getattr(lib, "close", None)
    if close is not None:
        close()
    else:
        lib.store.close()


def _counts(lib: Any, deck_id: str) -> tuple[int, int]:
    """Notes and cards of one deck (the library may hold bundled decks too)."""
    db = lib.store.conn
    notes = db.execute("SELECT count(*) FROM notes WHERE deck_id = ?", [deck_id])
    cards = db.execute("SELECT count(*) FROM cards WHERE deck_id = ?", [deck_id])
    return notes.fetchone()[0], cards.fetchone()[0]


def _now() -> datetime:
    return datetime.now(UTC)


def _child_probe(args: dict[str, Any]) -> dict[str, Any]:
    from studyapp.core.library import Library  # noqa: F401

    return {"ok": True}


def _child_import(args: dict[str, Any]) -> dict[str, Any]:
    from studyapp.core.library import Library

    data_dir = Path(args["data_dir"])
    lib = Library.open(data_dir)
    t0 = time.perf_counter()
    summaries = lib.import_paths([Path(args["yaml"])])
    t1 = time.perf_counter()
    notes, cards = _counts(lib, summaries[0].deck_id)
    t2 = time.perf_counter()
    _close(lib)
    t3 = time.perf_counter()
    db_bytes = harness.file_bytes(data_dir / DB_NAME)
    rss_import = harness.peak_rss_mb()
    # Re-import of the same unchanged deck, on a fresh open as at app start.
    lib = Library.open(data_dir)
    t4 = time.perf_counter()
    again = lib.import_paths([Path(args["yaml"])])
    t5 = time.perf_counter()
    _close(lib)
    return {
        "import_s": t1 - t0,
        "close_s": t3 - t2,
        "reimport_s": t5 - t4,
        "summaries": [str(s) for s in summaries],
        "reimport_summaries": [str(s) for s in again],
        "notes": notes,
        "cards": cards,
        "db_bytes": db_bytes,
        "bytes_per_note": db_bytes / max(notes, 1),
        "peak_rss_mb": rss_import,
    }


def _child_prepare(args: dict[str, Any]) -> dict[str, Any]:
    import sqlite3

    from studyapp.core.library import Library

    data_dir = Path(args["data_dir"])
    shutil.rmtree(data_dir, ignore_errors=True)
    lib = Library.open(data_dir)
    t0 = time.perf_counter()
    summaries = lib.import_paths([Path(args["yaml"])])
    t1 = time.perf_counter()
    deck_id = summaries[0].deck_id
    card_ids = lib.store.card_ids(deck_id)[: args["due"]]
    lib.store.set_due(card_ids, _now())
    db = lib.store.conn
    notes, cards = _counts(lib, deck_id)
    result = {
        "import_s": t1 - t0,
        "notes": notes,
        "cards": cards,
        "due": len(card_ids),
        "journal_mode": db.execute("PRAGMA journal_mode").fetchone()[0],
        "synchronous": db.execute("PRAGMA synchronous").fetchone()[0],
        "sqlite_version": sqlite3.sqlite_version,
    }
    _close(lib)
    result["db_bytes"] = harness.file_bytes(data_dir / DB_NAME)
    return result


def _child_review(args: dict[str, Any]) -> dict[str, Any]:
    from studyapp.core.library import Library
    from studyapp.core.model import Rating

    t0 = time.perf_counter()
    lib = Library.open(Path(args["data_dir"]))
    t1 = time.perf_counter()
    queue = lib.review_queue(deck_ids=None, now=_now())
    t2 = time.perf_counter()
    result: dict[str, Any] = {
        "open_ms": harness.ms(t1 - t0),
        "first_queue_ms": harness.ms(t2 - t1),
    }
    remaining = getattr(queue, "remaining", None)
    if remaining is not None:
        result["queue_counts"] = {
            "new": remaining.new,
            "learning": remaining.learning,
            "review": remaining.review,
        }
    next_s: list[float] = []
    answer_s: list[float] = []
    perf = time.perf_counter
    for i in range(args["reviews"]):
        a = perf()
        card = queue.next_card(_now())
        b = perf()
        if card is None:
            break
        queue.answer(Rating(harness.rating_for(i)), now=_now(), duration_ms=5000)
        c = perf()
        next_s.append(b - a)
        answer_s.append(c - b)
    result["reviews"] = len(answer_s)
    result["next_ms"] = harness.summarize([harness.ms(x) for x in next_s] or [0.0])
    result["answer_ms"] = harness.summarize([harness.ms(x) for x in answer_s] or [0.0])
    result["peak_rss_mb"] = harness.peak_rss_mb()
    # The same answers with NORMAL sync (what answers used before issue 21):
    # survives a crash of the app, not a power cut. For the durability row.
    lib.store.execute("PRAGMA synchronous = NORMAL")
    normal_s: list[float] = []
    for i in range(args["reviews"]):
        if queue.next_card(_now()) is None:
            break
        b = perf()
        queue.answer(Rating(harness.rating_for(i)), now=_now(), duration_ms=5000)
        normal_s.append(perf() - b)
    if normal_s:
        result["answer_normal_ms"] = harness.summarize(
            [harness.ms(x) for x in normal_s]
        )
    _close(lib)
    return result


def _child_open_first(args: dict[str, Any]) -> dict[str, Any]:
    t0 = time.perf_counter()
    from studyapp.core.library import Library

    t1 = time.perf_counter()
    lib = Library.open(Path(args["data_dir"]))
    t2 = time.perf_counter()
    now = _now()
    card = lib.review_queue(deck_ids=None, now=now).next_card(now)
    t3 = time.perf_counter()
    result = {
        "child_started_at": t0,
        "first_card_at": t3,
        "import_lib_ms": harness.ms(t1 - t0),
        "open_ms": harness.ms(t2 - t1),
        "first_card_ms": harness.ms(t3 - t2),
        "question_chars": len(card.front) if card is not None else 0,
        "peak_rss_mb": harness.peak_rss_mb(),
    }
    _close(lib)
    return result


def _child_gui_first(args: dict[str, Any]) -> dict[str, Any]:
    # What `studyapp` does at start (gui/app.py run()), then "Study now".
    import PySide6.QtCore
    import PySide6.QtGui
    import PySide6.QtWidgets  # noqa: F401

    pyside_at = time.perf_counter()
    from PySide6.QtCore import QSettings

    from studyapp.gui.app import create_application, open_library
    from studyapp.gui.main_window import MainWindow

    imported_at = time.perf_counter()
    data_dir = Path(args["data_dir"])
    app = create_application([])
    lib = open_library(data_dir)
    settings = QSettings(str(data_dir / "gui.ini"), QSettings.Format.IniFormat)
    if args.get("source_open"):  # the learner left the source pane open
        settings.setValue("window/source_visible", True)
    window = MainWindow(lib, settings)
    window.show()
    app.processEvents()
    window_at = time.perf_counter()
    view = window.start_review()
    app.processEvents()  # the first card laid out and painted
    first_card_at = time.perf_counter()
    card = view.current_card
    pane = window.source_pane
    result = {
        "child_started_at": STARTED_AT,
        "pyside_at": pyside_at,
        "imported_at": imported_at,
        "window_at": window_at,
        "first_card_at": first_card_at,
        "question_chars": len(card.front) if card is not None else 0,
        "source_shown": pane.isVisible() and bool(pane.highlighted() or pane.masked()),
        "peak_rss_mb": harness.peak_rss_mb(),
    }
    window.close()
    _close(lib)
    return result


def _review_count(lib: Any) -> int:
    return lib.store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]


def _child_crash_answer(args: dict[str, Any]) -> dict[str, Any]:
    from studyapp.core.library import Library
    from studyapp.core.model import Rating

    lib = Library.open(Path(args["data_dir"]))
    before = _review_count(lib)
    now = _now()
    queue = lib.review_queue(deck_ids=None, now=now)
    queue.next_card(now)
    queue.answer(Rating.GOOD, now=now, duration_ms=5000)
    harness.emit_and_die({"before": before})
    return {}  # not reached


def _child_count_answers(args: dict[str, Any]) -> dict[str, Any]:
    from studyapp.core.library import Library

    lib = Library.open(Path(args["data_dir"]))
    count = _review_count(lib)
    _close(lib)
    return {"count": count}


def _child_search(args: dict[str, Any]) -> dict[str, Any]:
    """Each query: one warm-up, then `reps` timed runs of the card search."""
    from studyapp.core.library import Library

    lib = Library.open(Path(args["data_dir"]))
    results = {}
    for name, query in args["queries"].items():
        count = len(lib.cards.find(query, now=_now()))
        times = []
        for _ in range(args["reps"]):
            t0 = time.perf_counter()
            lib.cards.find(query, now=_now())
            times.append(time.perf_counter() - t0)
        results[name] = {"count": count, "times": times}
    _close(lib)
    return results


COMMANDS = {
    "search": _child_search,
    "probe": _child_probe,
    "import": _child_import,
    "prepare": _child_prepare,
    "review": _child_review,
    "open_first": _child_open_first,
    "gui_first": _child_gui_first,
    "crash_answer": _child_crash_answer,
    "count_answers": _child_count_answers,
}

if __name__ == "__main__":
    harness.child_main(COMMANDS)
