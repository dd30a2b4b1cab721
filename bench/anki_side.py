"""Anki's side of the benchmark: its own library (``anki`` on PyPI, Rust backend).

Public API, used the fast way: the CSV/text import (``col.import_csv``) for
notes, ``set_due_date`` to make cards due, FSRS on, daily limits raised to
Anki's maximum (9999; larger values are rejected and silently replaced by the
defaults), and the v3 scheduler calls the desktop reviewer makes:
``get_queued_cards`` -> ``get_card`` -> ``start_timer`` -> ``build_answer``
(with the states that came with the queued card) -> ``answer_card``.

``answer_card`` is durable when it returns: every backend operation runs in
its own transaction and commits at the end (the collection is in WAL mode with
``synchronous=FULL``); a child that answers and then dies with ``os._exit``
keeps the answer.

Each ``measure_*`` function runs one child process (``python anki_side.py
COMMAND JSON``) and returns its JSON dict. The ``_child_*`` functions are what
runs inside the child.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import harness
import synth

SCRIPT = Path(__file__).resolve()
MAX_DAILY_LIMIT = 9999  # the largest value Anki's deck options accept


def available() -> bool:
    """True when the ``anki`` package can be imported."""
    import importlib.util

    return importlib.util.find_spec("anki") is not None


def version() -> str:
    from importlib.metadata import version as dist_version

    return dist_version("anki")


# --------------------------------------------------------------------------
# Parent side: one child per measurement.


def prepare(tsv: Path, path: Path, due: int, timeout: float | None = None) -> dict:
    """Build the collection the review measurements copy: N notes, `due` due."""
    args = {"tsv": str(tsv), "path": str(path), "due": due}
    return harness.run_child(SCRIPT, "prepare", args, timeout)


def measure_import(tsv: Path, work: Path, timeout: float | None = None) -> dict:
    """Import the TSV into a fresh collection; time, size on disk, memory."""
    path = work / "anki-import" / "collection.anki2"
    shutil.rmtree(path.parent, ignore_errors=True)
    path.parent.mkdir(parents=True)
    try:
        return harness.run_child(
            SCRIPT, "import", {"tsv": str(tsv), "path": str(path)}, timeout
        )
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)


def _fresh_copy(prepared: Path, work: Path, name: str) -> Path:
    folder = work / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    dest = folder / "collection.anki2"
    shutil.copyfile(prepared, dest)
    return dest


def measure_review(
    prepared: Path, work: Path, reviews: int, timeout: float | None = None
) -> dict:
    """First queue build, then `reviews` next-card/answer cycles on a copy."""
    path = _fresh_copy(prepared, work, "anki-review")
    try:
        return harness.run_child(
            SCRIPT, "review", {"path": str(path), "reviews": reviews}, timeout
        )
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)


def measure_open_first(
    prepared: Path, work: Path, timeout: float | None = None
) -> dict:
    """Process start -> collection open -> first card shown, in a new process."""
    path = _fresh_copy(prepared, work, "anki-open")
    try:
        result = harness.run_child(SCRIPT, "open_first", {"path": str(path)}, timeout)
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    result["open_first_s"] = result["first_card_at"] - result["spawned_at"]
    return result


def check_durable(prepared: Path, work: Path, timeout: float | None = None) -> dict:
    """Answer one card, kill the process at once, reopen: is the answer kept?"""
    path = _fresh_copy(prepared, work, "anki-crash")
    try:
        crashed = harness.run_child(
            SCRIPT, "crash_answer", {"path": str(path)}, timeout
        )
        after = harness.run_child(SCRIPT, "count_answers", {"path": str(path)}, timeout)
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    return {
        "answers_before": crashed["before"],
        "answers_after": after["count"],
        "answer_durable": after["count"] == crashed["before"] + 1,
    }


# --------------------------------------------------------------------------
# Child side.


def _add_notetype(col: Any) -> None:
    """A Basic-like notetype with a third field for the source anchor."""
    mm = col.models
    m = mm.new(synth.ANKI_NOTETYPE)
    for name in synth.ANKI_FIELDS:
        mm.add_field(m, mm.new_field(name))
    t = mm.new_template("Card 1")
    t["qfmt"] = "{{Front}}"
    t["afmt"] = "{{FrontSide}}<hr id=answer>{{Back}}<div class=source>{{Source}}</div>"
    mm.add_template(m, t)
    mm.add(m)
    col.decks.id(synth.ANKI_DECK)


def _import(col: Any, tsv: str) -> dict[str, Any]:
    from anki.collection import ImportCsvRequest

    t0 = time.perf_counter()
    metadata = col.get_csv_metadata(tsv, None)
    out = col.import_csv(ImportCsvRequest(path=tsv, metadata=metadata))
    t1 = time.perf_counter()
    return {
        "import_s": t1 - t0,
        "imported_new": len(out.log.new),
        "imported_duplicate": len(out.log.duplicate),
    }


def _child_import(args: dict[str, Any]) -> dict[str, Any]:
    from anki.collection import Collection

    path = Path(args["path"])
    col = Collection(str(path))
    _add_notetype(col)
    result = _import(col, args["tsv"])
    result["notes"] = col.note_count()
    result["cards"] = col.card_count()
    t0 = time.perf_counter()
    col.close()
    result["close_s"] = time.perf_counter() - t0
    result["db_bytes"] = harness.file_bytes(path)
    result["bytes_per_note"] = result["db_bytes"] / max(result["notes"], 1)
    result["peak_rss_mb"] = harness.peak_rss_mb()
    return result


def _child_prepare(args: dict[str, Any]) -> dict[str, Any]:
    from anki.collection import Collection

    path = Path(args["path"])
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    col = Collection(str(path))
    _add_notetype(col)
    result = _import(col, args["tsv"])
    col.set_config("fsrs", True)
    did = col.decks.id(synth.ANKI_DECK)
    col.decks.select(did)
    conf = col.decks.config_dict_for_deck_id(did)
    conf["new"]["perDay"] = MAX_DAILY_LIMIT
    conf["rev"]["perDay"] = MAX_DAILY_LIMIT
    col.decks.save(conf)
    conf = col.decks.config_dict_for_deck_id(did)
    card_ids = sorted(col.find_cards(f'"deck:{synth.ANKI_DECK}"'))
    due_ids = card_ids[: args["due"]]
    t0 = time.perf_counter()
    col.sched.set_due_date(due_ids, "0")
    result["set_due_s"] = time.perf_counter() - t0
    result.update(
        notes=col.note_count(),
        cards=col.card_count(),
        due=len(due_ids),
        fsrs=bool(col.get_config("fsrs")),
        new_per_day=conf["new"]["perDay"],
        reviews_per_day=conf["rev"]["perDay"],
        journal_mode=col.db.scalar("pragma journal_mode"),
        synchronous=col.db.scalar("pragma synchronous"),
        sqlite_version=col.db.scalar("select sqlite_version()"),
        anki_version=version(),
    )
    col.close()
    result["db_bytes"] = harness.file_bytes(path)
    return result


def _child_search(args: dict[str, Any]) -> dict[str, Any]:
    """Each query: one warm-up, then `reps` timed runs of ``col.find_cards``."""
    from anki.collection import Collection

    col = Collection(args["path"])
    results = {}
    for name, query in args["queries"].items():
        count = len(col.find_cards(query))
        times = []
        for _ in range(args["reps"]):
            t0 = time.perf_counter()
            col.find_cards(query)
            times.append(time.perf_counter() - t0)
        results[name] = {"count": count, "times": times}
    col.close()
    return results


def _child_review(args: dict[str, Any]) -> dict[str, Any]:
    from anki.collection import Collection
    from anki.scheduler.v3 import CardAnswer

    ratings = {
        1: CardAnswer.AGAIN,
        2: CardAnswer.HARD,
        3: CardAnswer.GOOD,
        4: CardAnswer.EASY,
    }
    path = Path(args["path"])
    t0 = time.perf_counter()
    col = Collection(str(path))
    t1 = time.perf_counter()
    queued = col.sched.get_queued_cards(fetch_limit=1)
    t2 = time.perf_counter()
    result: dict[str, Any] = {
        "open_ms": harness.ms(t1 - t0),
        "first_queue_ms": harness.ms(t2 - t1),
        "queue_counts": {
            "new": queued.new_count,
            "learning": queued.learning_count,
            "review": queued.review_count,
        },
    }
    sched = col.sched
    get_card = col.get_card
    next_s: list[float] = []
    answer_s: list[float] = []
    render_s: list[float] = []
    perf = time.perf_counter
    for i in range(args["reviews"]):
        a = perf()
        cards = sched.get_queued_cards().cards
        if not cards:
            break
        qc = cards[0]
        card = get_card(qc.card.id)
        b = perf()
        card.start_timer()
        card.question()
        card.answer()
        c = perf()
        answer = sched.build_answer(
            card=card, states=qc.states, rating=ratings[harness.rating_for(i)]
        )
        sched.answer_card(answer)
        d = perf()
        next_s.append(b - a)
        render_s.append(c - b)
        answer_s.append(d - c)
    result["reviews"] = len(answer_s)
    result["next_ms"] = harness.summarize([harness.ms(x) for x in next_s])
    result["answer_ms"] = harness.summarize([harness.ms(x) for x in answer_s])
    result["render_ms"] = harness.summarize([harness.ms(x) for x in render_s])
    result["peak_rss_mb"] = harness.peak_rss_mb()
    col.close()
    return result


def _child_open_first(args: dict[str, Any]) -> dict[str, Any]:
    t0 = time.perf_counter()
    from anki.collection import Collection

    t1 = time.perf_counter()
    col = Collection(args["path"])
    t2 = time.perf_counter()
    qc = col.sched.get_queued_cards(fetch_limit=1).cards[0]
    card = col.get_card(qc.card.id)
    question = card.question()
    t3 = time.perf_counter()
    result = {
        "child_started_at": t0,
        "first_card_at": t3,
        "import_lib_ms": harness.ms(t1 - t0),
        "open_ms": harness.ms(t2 - t1),
        "first_card_ms": harness.ms(t3 - t2),
        "question_chars": len(question),
        "peak_rss_mb": harness.peak_rss_mb(),
    }
    col.close()
    return result


def _child_crash_answer(args: dict[str, Any]) -> dict[str, Any]:
    from anki.collection import Collection
    from anki.scheduler.v3 import CardAnswer

    col = Collection(args["path"])
    before = col.db.scalar("SELECT count() FROM revlog")
    qc = col.sched.get_queued_cards().cards[0]
    card = col.get_card(qc.card.id)
    card.start_timer()
    answer = col.sched.build_answer(card=card, states=qc.states, rating=CardAnswer.GOOD)
    col.sched.answer_card(answer)
    harness.emit_and_die({"before": before})
    return {}  # not reached


def _child_count_answers(args: dict[str, Any]) -> dict[str, Any]:
    from anki.collection import Collection

    col = Collection(args["path"])
    count = col.db.scalar("SELECT count() FROM revlog")
    col.close()
    return {"count": count}


COMMANDS = {
    "import": _child_import,
    "prepare": _child_prepare,
    "search": _child_search,
    "review": _child_review,
    "open_first": _child_open_first,
    "crash_answer": _child_crash_answer,
    "count_answers": _child_count_answers,
}

if __name__ == "__main__":
    harness.child_main(COMMANDS)
