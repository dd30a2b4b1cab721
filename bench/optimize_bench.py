"""Issue 18: FSRS optimisation on ~100k reviews, StudyApp vs Anki, in one run.

Data: the vendored real review log (tests/data/revlogs, 12,580 reviews)
repeated 8 times with distinct card ids: 100,640 reviews of 9,640 cards.
StudyApp: ``optimize.fit_parameters`` (fsrs-rs-python; builds the training
items from the log, then fits). Anki: the backend's
``compute_fsrs_params_from_items`` (Anki's fsrs-rs) on the same items, built
as Anki's protobuf messages inside the timed part. The two alternate, each
repetition in the same process; medians and min-max are reported. Also timed:
StudyApp's whole ``optimize`` (fit on 75%, two held-out replays, refit).

usage: python bench/optimize_bench.py [--reps 3] [--copies 8]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from anki.collection import Collection  # noqa: E402
from anki.scheduler_pb2 import FsrsItem, FsrsReview  # noqa: E402

from studyapp.core.clock import to_ms  # noqa: E402
from studyapp.core.library import Library  # noqa: E402
from studyapp.core.study.optimize import (  # noqa: E402
    LoggedReview,
    by_card,
    evaluate,
    fit_items,
    fit_parameters,
    item_histories,
    optimize,
    split_time,
    training_items,
)
from studyapp.core.study.revlog import read_review_csv  # noqa: E402

REVLOG = ROOT / "tests" / "data" / "revlogs" / "py-fsrs_review_logs_josh.csv"
OUT = ROOT / "bench" / "results"


def reviews(copies: int) -> list[LoggedReview]:
    base = read_review_csv(REVLOG)
    return [
        LoggedReview(
            r.card_id + k * 10**13,
            r.rating,
            r.reviewed_at + timedelta(milliseconds=k),
            r.duration_ms,
        )
        for k in range(copies)
        for r in base
    ]


def anki_fit(
    col: Collection, log: list[LoggedReview], before: datetime | None = None
) -> list[float]:
    items = [
        FsrsItem(
            reviews=[FsrsReview(rating=rating, delta_t=days) for rating, days in item]
        )
        for item in item_histories(log, before=before)
    ]
    return list(col._backend.compute_fsrs_params_from_items(items).params)


def anki_collection(path: str, log: list[LoggedReview]) -> Collection:
    """A collection with one Basic card per log card and the log as its revlog.

    Revlog type: learning on the card's first day, review later, relearning
    for same-day answers after a lapse (what Anki's FSRS reader expects).
    """
    col = Collection(path)
    model = col.models.by_name("Basic")
    assert model is not None
    histories = by_card(log)
    deck_id = col.decks.id("Bench")
    assert deck_id is not None
    cids = {}
    for card_id in histories:
        note = col.new_note(model)
        note["Front"] = str(card_id)
        note["Back"] = "answer"
        col.add_note(note, deck_id)
        cids[card_id] = note.card_ids()[0]
    rows = []
    for card_id, history in histories.items():
        first_day = history[0].reviewed_at.date()
        lapsed_day = None
        for review in history:
            day = review.reviewed_at.date()
            kind = 0 if day == first_day else 2 if day == lapsed_day else 1
            if kind == 1 and review.rating == 1:
                lapsed_day = day
            ms = int(review.reviewed_at.timestamp() * 1000)
            rows.append(
                (
                    ms,
                    cids[card_id],
                    -1,
                    int(review.rating),
                    1,
                    0,
                    0,
                    review.duration_ms,
                    kind,
                )
            )
    col.db.executemany("INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return col


def studyapp_library(folder: Path, log: list[LoggedReview]) -> Library:
    """A StudyApp collection with one card per log card and the log as its reviews."""
    histories = by_card(log)
    lines = ["deck:", "  id: bench", "  title: Bench", "  kind: glossary", "cards:"]
    for card_id in histories:
        lines += [
            f"  - id: c{card_id}",
            f"    front: card {card_id}",
            "    back: answer",
        ]
    deck = folder / "bench.yaml"
    deck.write_text("\n".join(lines) + "\n", encoding="utf-8")
    library = Library.open(folder / "data")
    library.import_paths([deck], now=min(r.reviewed_at for r in log))
    store = library.store
    ids = dict(store.execute("SELECT note_id, id FROM cards WHERE deck_id = 'bench'"))
    blank = '{"state": 0}'
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, "
            "state_before, before, due) VALUES (?, ?, ?, ?, 0, ?, ?)",
            (
                (
                    ids[f"c{r.card_id}"],
                    to_ms(r.reviewed_at),
                    int(r.rating),
                    r.duration_ms,
                    blank,
                    to_ms(r.reviewed_at),
                )
                for r in log
            ),
        )
    return library


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--copies", type=int, default=8)
    args = parser.parse_args()
    log = reviews(args.copies)
    folder = Path(tempfile.mkdtemp())
    col = anki_collection(str(folder / "bench.anki2"), log)
    library = studyapp_library(folder, log)
    times: dict[str, list[float]] = {
        "studyapp_fit": [],
        "anki_fit": [],
        "studyapp_collection": [],
        "anki_collection": [],
        "studyapp_optimize": [],
        "fsrs_rs_fit_only": [],
    }
    items: dict[str, int] = {"studyapp": len(item_histories(log))}
    for rep in range(args.reps):
        order = ("studyapp", "anki") if rep % 2 == 0 else ("anki", "studyapp")
        for side in order:
            start = time.perf_counter()
            if side == "studyapp":
                fit_parameters(log)
            else:
                anki_fit(col, log)
            times[f"{side}_fit"].append(time.perf_counter() - start)
            start = time.perf_counter()
            if side == "studyapp":
                library.tuning().fit()
            else:
                answer = col._backend.compute_fsrs_params(
                    search="",
                    current_params=[],
                    ignore_revlogs_before_ms=0,
                    num_of_relearning_steps=1,
                    health_check=False,
                )
                items["anki"] = answer.fsrs_items
            times[f"{side}_collection"].append(time.perf_counter() - start)
        prebuilt = training_items(log)
        start = time.perf_counter()
        fit_items(prebuilt)
        times["fsrs_rs_fit_only"].append(time.perf_counter() - start)
        start = time.perf_counter()
        optimize(log, tz=UTC)
        times["studyapp_optimize"].append(time.perf_counter() - start)
    # Quality on the real log: both fitted on the earlier 75%, scored on the rest.
    josh = read_review_csv(REVLOG)
    since = split_time(josh)
    ours = fit_parameters(josh, before=since)
    theirs = anki_fit(col, josh, before=since)
    col.close()
    library.close()
    from studyapp.core.study.scheduling import DEFAULT_PARAMETERS

    quality = {
        name: evaluate(josh, params, since=since)
        for name, params in (
            ("defaults", DEFAULT_PARAMETERS),
            ("studyapp", ours),
            ("anki", theirs),
        )
    }
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "versions": {
            "anki": version("anki"),
            "fsrs-rs-python": version("fsrs-rs-python"),
            "fsrs": version("fsrs"),
        },
        "reviews": len(log),
        "cards": len({r.card_id for r in log}),
        "reps": args.reps,
        "seconds": times,
        "training_items": items,
        "held_out_josh": {
            k: {"log_loss": m.log_loss, "rmse_bins": m.rmse_bins, "reviews": m.reviews}
            for k, m in quality.items()
        },
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "optimize.json").write_text(
        json.dumps(result, indent=2) + "\n", encoding="utf-8"
    )
    (OUT / "optimize.md").write_text(report(result), encoding="utf-8")
    print(report(result))


def report(result: dict) -> str:
    def cell(key: str) -> str:
        values = result["seconds"][key]
        return (
            f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"
        )

    ratio = statistics.median(result["seconds"]["studyapp_fit"]) / statistics.median(
        result["seconds"]["anki_fit"]
    )
    ratio2 = statistics.median(
        result["seconds"]["studyapp_collection"]
    ) / statistics.median(result["seconds"]["anki_collection"])
    q = result["held_out_josh"]
    lines = [
        "## FSRS optimisation (issue 18)",
        "",
        f"Run {result['when']} on {result['machine']}; anki {result['versions']['anki']}, "
        f"fsrs-rs-python {result['versions']['fsrs-rs-python']}, fsrs {result['versions']['fsrs']}. "
        f"{result['reviews']:,} reviews of {result['cards']:,} cards (the vendored real log repeated), "
        f"{result['reps']} repetitions alternating, median (min–max). `python bench/optimize_bench.py`.",
        "",
        "| metric | StudyApp | Anki | StudyApp/Anki | goal |",
        "|---|---|---|---|---|",
        f"| fit FSRS-6 on the same reviews in memory (build items + fit; Anki: `compute_fsrs_params_from_items`) | {cell('studyapp_fit')} | "
        f"{cell('anki_fit')} | {ratio:.2f}× | ≤ 1× {'met' if ratio <= 1 else 'NOT met'} |",
        f"| read the log from the collection + fit (Anki: `compute_fsrs_params`, {result['training_items']['anki']:,} items; StudyApp {result['training_items']['studyapp']:,}) | "
        f"{cell('studyapp_collection')} | {cell('anki_collection')} | {ratio2:.2f}× | ≤ 1× {'met' if ratio2 <= 1 else 'NOT met'} |",
        f"| whole `optimize` (fit on 75%, score current and fitted on the rest, refit) | "
        f"{cell('studyapp_optimize')} | – | – | – |",
        f"| for reference: fsrs-rs-python's fit alone, items already built | "
        f"{cell('fsrs_rs_fit_only')} | – | – | – |",
        "",
        "Held-out quality on the real log (fit on the earlier 75%, scored by the py-fsrs replay on "
        f"the later {q['defaults']['reviews']:,} reviews; lower is better):",
        "",
        "| parameters | log loss | RMSE (bins) |",
        "|---|---|---|",
    ]
    for name, label in (
        ("defaults", "FSRS-6 defaults"),
        ("studyapp", "StudyApp fit"),
        ("anki", "Anki fit"),
    ):
        lines.append(
            f"| {label} | {q[name]['log_loss']:.4f} | {q[name]['rmse_bins']:.4f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
