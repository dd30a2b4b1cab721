"""Card search at N cards: StudyApp's query language against Anki's ``find_cards``.

Builds the synthetic deck once (``synth.py``), prepares both collections as the
main benchmark does (10,000 cards made due), then runs the same queries on
both sides, each in its own child process, one warm-up and REPS timed runs per
query, alternating which side goes first. Prints the markdown table and writes
the raw numbers as JSON.

    .venv/bin/python bench/search.py --n 100000 --reps 7
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import anki_side
import harness
import studyapp_side
import synth


def queries(n: int) -> dict[str, tuple[str, str]]:
    """(StudyApp query, Anki query) per row; the same cards on both sides."""
    words = synth.word_list(__import__("random").Random(f"{synth.SEED}:{n}"))
    common, other = words[7], words[11]
    deck = f"bench-{n}"
    return {
        f"word `{common}`": (common, common),
        "tag:group7": ("tag:group7", "tag:group7"),
        "is:due": ("is:due", "is:due"),
        "is:new": ("is:new", "is:new"),
        f"deck + tag + negated word `-{other}`": (
            f"deck:{deck} tag:group7 -{other}",
            f'"deck:{synth.ANKI_DECK}" tag:group7 -{other}',
        ),
        f"`({common} OR {other}) is:review`": (
            f"({common} OR {other}) is:review",
            f"({common} OR {other}) is:review",
        ),
        "prop:due<=2": ("prop:due<=2", "prop:due<=2"),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--json", type=Path, default=Path("bench/results/search.json"))
    args = ap.parse_args()
    rows = queries(args.n)
    out: dict[str, Any] = {"n": args.n, "reps": args.reps, "queries": {}}
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp_name:
        tmp = Path(tmp_name)
        data = synth.build(args.n, tmp / "data")
        due = min(synth.DUE_CARDS, args.n)
        anki_path = tmp / "anki" / "collection.anki2"
        ours_dir = tmp / "studyapp"
        t0 = time.perf_counter()
        anki_side.prepare(data.tsv_path, anki_path, due)
        studyapp_side.prepare(data.yaml_path, ours_dir, due)
        print(f"prepared both sides in {time.perf_counter() - t0:.0f} s", flush=True)
        results: dict[str, list[dict[str, Any]]] = {"studyapp": [], "anki": []}
        for rep in range(2):  # two children a side, alternating who goes first
            for side in ("studyapp", "anki") if rep == 0 else ("anki", "studyapp"):
                column = 0 if side == "studyapp" else 1
                child_args = {
                    "path": str(anki_path),
                    "data_dir": str(ours_dir),
                    "reps": args.reps,
                    "queries": {k: v[column] for k, v in rows.items()},
                }
                script = studyapp_side.SCRIPT if column == 0 else anki_side.SCRIPT
                results[side].append(harness.run_child(script, "search", child_args))
    lines = [
        f"| query ({args.n:,} cards) | StudyApp ms (median) | Anki ms (median) | "
        "matches (StudyApp / Anki) |",
        "|---|---:|---:|---|",
    ]
    for name in rows:
        ours = [t for r in results["studyapp"] for t in r[name]["times"]]
        theirs = [t for r in results["anki"] for t in r[name]["times"]]
        counts = (
            results["studyapp"][0][name]["count"],
            results["anki"][0][name]["count"],
        )
        out["queries"][name] = {
            "studyapp": harness.summarize(ours),
            "anki": harness.summarize(theirs),
            "counts": counts,
            "queries": rows[name],
        }
        lines.append(
            f"| {name} | {statistics.median(ours) * 1000:.1f} | "
            f"{statistics.median(theirs) * 1000:.1f} | {counts[0]:,} / {counts[1]:,} |"
        )
    out["anki_version"] = anki_side.version()
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
