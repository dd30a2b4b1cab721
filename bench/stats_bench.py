"""Issue 21: the statistics screen and the exam-planner forecast, side by side.

One collection of N cards and R reviews: the package ``anki_history.py``
makes with Anki's library (Basic notes in ``Bench::Part A`` / ``Part B``,
R / N answers a card over two years), imported with its history by Anki's
``import_anki_package`` and by StudyApp's ``Library.import_package``. Both
collections are built once and kept in the work folder (``--work``), so a
second run measures at once.

Then, alternating the sides repetition by repetition, each measurement in a
child process of its own (the collection opened first, outside the timing):

- ``anki``: what Anki's statistics screen asks its backend for when it
  opens: ``get_graph_preferences`` and ``graphs(search, days=365)`` (the
  screen's default "1 year"; the response holds every graph: today,
  future due, reviews, intervals, ease/difficulty, retrievability, ...).
  The first call is the measurement; a warm repeat and ``days=30`` follow.
- ``core``: every ``Library`` call ``StatsView.refresh`` makes, at the
  screen's default period (30 days), in its order, with the time of each.
- ``gui``: ``StatsView`` built (it reads its charts in its constructor),
  shown offscreen at 1280x800 and painted (a paint event reached its first
  chart); then until its tables (mastery, weakest cards), read after that
  first paint, are filled (``complete_s``).
- ``planner``: ``Library.forecast`` over every deck, an exam 30 days ahead,
  with the SQL statements it runs counted (``set_trace_callback``): cold
  (schedulers not yet built) and warm. Then the planner screen's use of it
  (mean recall, sections, study order). Anki has no per-card recall at a
  date; the nearest thing it computes is the "future due" and
  "retrievability" graphs, inside the ``graphs`` call of the ``anki`` child.

Each child reports its peak memory (VmHWM).

    .venv/bin/python bench/stats_bench.py --notes 100000 --revlog 1000000 --reps 3 \\
        --work /tmp/bench-stats --json bench/results/2026-11-30-stats-COMMIT.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import anki_history
import harness

SCRIPT = Path(__file__).resolve()
#: The period StatsView opens with (its PERIODS' default) and Anki's default.
OUR_DAYS = 30
ANKI_DAYS = 365
EXAM_IN_DAYS = 30
SIDES = ("anki", "core", "gui", "planner")


# Children ------------------------------------------------------------------


def _child_anki(args: dict[str, Any]) -> dict[str, Any]:
    from anki.collection import Collection

    started = time.perf_counter()
    col = Collection(args["collection"])
    opened = time.perf_counter() - started
    search = args.get("search", "")
    started = time.perf_counter()
    col._backend.get_graph_preferences()
    graphs = col._backend.graphs(search=search, days=ANKI_DAYS)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    col._backend.graphs(search=search, days=ANKI_DAYS)
    warm = time.perf_counter() - started
    started = time.perf_counter()
    col._backend.graphs(search=search, days=OUR_DAYS)
    days_30 = time.perf_counter() - started
    result = {
        "seconds": seconds,
        "warm_s": warm,
        "days_30_s": days_30,
        "open_s": opened,
        "peak_mb": harness.peak_rss_mb(),
        "cards": col.card_count(),
        "reviews": col.db.scalar("SELECT count() FROM revlog"),
        "future_due_days": len(graphs.future_due.future_due),
        "today_answers": graphs.today.answer_count,
    }
    col.close()
    return result


def _open_library(args: dict[str, Any]) -> tuple[Any, float]:
    from studyapp.core.library import Library

    started = time.perf_counter()
    library = Library.open(Path(args["collection"]))
    return library, time.perf_counter() - started


def _child_core(args: dict[str, Any]) -> dict[str, Any]:
    """The Library calls of ``StatsView.refresh``, in its order, timed each."""
    from studyapp.core.library import utc_now

    library, opened = _open_library(args)
    parts: dict[str, float] = {}

    def timed(name: str, call: Any) -> Any:
        t0 = time.perf_counter()
        value = call()
        parts[name] = time.perf_counter() - t0
        return value

    days = OUR_DAYS
    started = time.perf_counter()
    now = utc_now()
    stats = library.stats
    timed("day_start", lambda: library.day_start(now))
    summary = timed("summary", lambda: stats.summary(now))
    due = timed("due_forecast", lambda: stats.due_forecast(now, days))
    timed("reviews_per_day", lambda: stats.reviews_per_day(now, days))
    timed("retention", lambda: stats.retention_by_period(now, days, 1))
    timed("settings", library.settings)
    bins = timed("interval_histogram", stats.interval_histogram)
    sections = timed("section_mastery", lambda: stats.section_mastery(now))
    timed("source_titles", library.source_titles)
    weak = timed("weakest_cards", lambda: stats.weakest_cards(now, 15))
    timed("weakest_fronts", lambda: [library.card(w.card_id).front for w in weak])
    seconds = time.perf_counter() - started
    result = {
        "seconds": seconds,
        "parts": parts,
        "open_s": opened,
        "peak_mb": harness.peak_rss_mb(),
        "cards": sum(summary.by_state.values()),
        "reviews": summary.total_reviews,
        "due_today": due[0].total,
        "review_cards": sum(b.cards for b in bins),
        "sections": len(sections),
    }
    library.close()
    return result


def _child_gui(args: dict[str, Any]) -> dict[str, Any]:
    """StatsView built, shown offscreen and painted."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from studyapp.gui.stats_view import StatsView

    library, opened = _open_library(args)
    painted: list[float] = []

    class PaintSpy(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.perf_counter())
            return False

    spy = PaintSpy()
    started = time.perf_counter()
    view = StatsView(library)
    built = time.perf_counter() - started
    view.reviews_chart.installEventFilter(spy)
    view.resize(1280, 800)
    view.show()
    deadline = time.perf_counter() + 60
    while not painted and time.perf_counter() < deadline:
        app.processEvents()
    if not painted:
        raise RuntimeError("the statistics screen was never painted")
    while not view.tables_filled and time.perf_counter() < deadline:
        app.processEvents()
    complete = time.perf_counter() - started
    if not view.tables_filled:
        raise RuntimeError("the statistics screen never filled its tables")
    result = {
        "seconds": painted[0] - started,
        "complete_s": complete,
        "built_s": built,
        "open_s": opened,
        "peak_mb": harness.peak_rss_mb(),
        "sections": view.sections.rowCount(),
    }
    view.close()
    library.close()
    return result


def _child_planner(args: dict[str, Any]) -> dict[str, Any]:
    """``Library.forecast`` over every deck, statements counted, cold and warm."""
    from studyapp.core.library import utc_now

    library, opened = _open_library(args)
    deck_ids = library.store.deck_ids()
    exam_at = utc_now() + timedelta(days=EXAM_IN_DAYS)
    statements: list[str] = []
    library.store.conn.set_trace_callback(statements.append)
    started = time.perf_counter()
    forecast = library.forecast(deck_ids, exam_at)
    seconds = time.perf_counter() - started
    cold = list(statements)
    statements.clear()
    started = time.perf_counter()
    again = library.forecast(deck_ids, exam_at)
    warm = time.perf_counter() - started
    warm_statements = list(statements)
    library.store.conn.set_trace_callback(None)
    started = time.perf_counter()
    shown = (again.recall, again.sections, again.study_order())
    screen = time.perf_counter() - started
    result = {
        "seconds": seconds,
        "warm_s": warm,
        "screen_extra_s": screen,
        "open_s": opened,
        "peak_mb": harness.peak_rss_mb(),
        "decks": len(deck_ids),
        "cards": len(forecast.cards),
        "recall": forecast.recall,
        "sections": len(shown[1]),
        "statements_cold": len(cold),
        "statements_warm": len(warm_statements),
        "selects_cold": [s for s in cold if s.lstrip().upper().startswith("SELECT")],
        "warm_sql": warm_statements,
    }
    library.close()
    return result


# The data -------------------------------------------------------------------


def build(work: Path, notes: int, revlog: int) -> dict[str, Any]:
    """Make the package and both collections once; later runs reuse them."""
    marker = work / f"built-{notes}-{revlog}.json"
    if marker.is_file():
        built: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))
        return built
    work.mkdir(parents=True, exist_ok=True)
    package = work / f"history-{notes}-{revlog}.apkg"
    made = harness.run_child(
        anki_history.SCRIPT,
        "make",
        {"path": str(package), "notes": notes, "revlog": revlog},
    )
    paths = collection_paths(work, notes, revlog)
    imported = {}
    for side in ("anki", "studyapp"):
        target = paths[side]
        shutil.rmtree(target.parent if side == "anki" else target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        imported[side] = harness.run_child(
            anki_history.SCRIPT,
            side,
            {"package": str(package), "collection": str(target)},
        )
    built = {"made": made, "imported": imported, "built_at": time.time()}
    marker.write_text(json.dumps(built, indent=2), encoding="utf-8")
    return built


def collection_paths(work: Path, notes: int, revlog: int) -> dict[str, Path]:
    folder = work / f"collections-{notes}-{revlog}"
    return {
        "anki": folder / "anki" / "collection.anki2",
        "studyapp": folder / "studyapp",
    }


def summarize(records: list[dict[str, Any]]) -> dict[str, Any]:
    keys = (
        "seconds",
        "peak_mb",
        "warm_s",
        "built_s",
        "complete_s",
        "days_30_s",
        "open_s",
    )
    return {
        key: harness.summarize([r[key] for r in records])
        for key in keys
        if records and key in records[0]
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--revlog", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="kept data here")
    parser.add_argument("--json", type=Path, default=None, help="raw results here")
    parser.add_argument("--sides", default=",".join(SIDES))
    parser.add_argument("--timeout", type=float, default=None)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-stats-"))
    sides = [s for s in args.sides.split(",") if s]
    t0 = time.perf_counter()
    built = build(work, args.notes, args.revlog)
    if not args.quiet:
        print(f"data ready in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    paths = collection_paths(work, args.notes, args.revlog)
    runs: dict[str, list[dict[str, Any]]] = {side: [] for side in sides}
    for rep in range(args.reps):
        order = sides if rep % 2 == 0 else sides[::-1]
        for side in order:
            target = paths["anki" if side == "anki" else "studyapp"]
            record = harness.run_child(
                SCRIPT, side, {"collection": str(target)}, timeout=args.timeout
            )
            runs[side].append(record)
            if not args.quiet:
                print(
                    f"rep {rep + 1} {side}: {record['seconds'] * 1000:.0f} ms, "
                    f"{record['peak_mb']:.0f} MiB peak",
                    file=sys.stderr,
                )
    result = {
        "notes": args.notes,
        "revlog": args.revlog,
        "reps": args.reps,
        "built": built,
        "runs": runs,
        "summary": {side: summarize(records) for side, records in runs.items()},
    }
    if "anki" in sides:
        import anki_side

        result["anki_version"] = anki_side.version()
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if not args.quiet:
        print(json.dumps(result["summary"], indent=2))
    return result


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] in SIDES:
        harness.child_main(
            {
                "anki": _child_anki,
                "core": _child_core,
                "gui": _child_gui,
                "planner": _child_planner,
            }
        )
    else:
        main()
