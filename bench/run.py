"""Benchmark StudyApp against Anki's own library, side by side in one run.

For each size the synthetic data is built once (``synth``); then, repetition by
repetition, the two sides are measured in alternating order, every measurement
in a child process of its own. The report gives medians, min-max over the
repetitions and the ratio StudyApp/Anki, and the raw results are kept as JSON.

usage: python bench/run.py --sizes 1000,10000 --reps 3 [--only anki|studyapp]
                           [--out docs/benchmarks.md --json bench/results/latest.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as dist_version
from pathlib import Path
from typing import Any

import anki_side
import harness
import studyapp_side
import synth

SIDES = ("anki", "studyapp")
MODULES = {"anki": anki_side, "studyapp": studyapp_side}
LABELS = {"anki": "Anki", "studyapp": "StudyApp"}


class Metric:
    """One row of the report: where the value comes from and how to show it."""

    def __init__(
        self,
        key: str,
        label: str,
        unit: str,
        step: str,
        field: str = "",
        *,
        must: float | None = None,
        must_abs: float | None = None,
        must_at: int | None = None,
    ) -> None:
        self.key = key
        self.label = label
        self.unit = unit
        self.step = step  # which measurement ("import", "review", "open_first")
        self.field = field or key
        self.must = must  # the performance bar as a ratio StudyApp/Anki ...
        self.must_abs = must_abs  # ... or as an absolute value in `unit`
        self.must_at = must_at  # the one deck size the bar is set for, if any

    def bar(self, n: int) -> str:
        """The issue's "must" for this row at N cards, as text."""
        if self.must_at is not None and n != self.must_at:
            return f"(at {self.must_at:,})"
        if self.must is not None:
            return f"≤ {self.must:.1f}x"
        if self.must_abs is not None:
            return f"≤ {self.must_abs:g} {self.unit}"
        return ""

    def is_met(self, n: int, ours: float | None, ratio: float | None) -> bool | None:
        """Whether StudyApp's median meets the bar (None: no bar or no data)."""
        if self.must_at is not None and n != self.must_at:
            return None
        if self.must is not None and ratio is not None:
            return ratio <= self.must
        if self.must_abs is not None and ours is not None:
            return ours <= self.must_abs
        return None

    def value(self, record: dict[str, Any]) -> float | None:
        """This metric's value in one repetition's record, if it has one."""
        step = record.get(self.step)
        if not step or "error" in step:
            return None
        v = step.get(self.field)
        if isinstance(v, dict):  # a per-answer summary: take its median
            v = v.get("median")
        return None if v is None else float(v)


METRICS = (
    Metric(
        "import_s", "import N cards into a fresh collection", "s", "import", must=1.0
    ),
    Metric(
        "reimport_s",
        "re-import of the same unchanged deck",
        "s",
        "import",
        must_abs=0.1,
    ),
    Metric(
        "first_queue_ms", "first queue build (fresh open)", "ms", "review", must=1.0
    ),
    Metric("next_ms", "next card, median", "ms", "review", must=1.0),
    Metric("answer_ms", "answer incl. commit, median", "ms", "review", must=1.0),
    Metric(
        "answer_normal_ms",
        "answer incl. commit, synchronous=NORMAL (not power-safe)",
        "ms",
        "review",
    ),
    Metric(
        "open_first_s",
        "new process: open, show first card",
        "s",
        "open_first",
        must=1.0,
    ),
    Metric(
        "gui_window_s",
        "GUI (offscreen): process start to main window shown",
        "s",
        "gui_first",
    ),
    Metric(
        "gui_first_s",
        "GUI (offscreen): process start to first card shown",
        "s",
        "gui_first",
        must_abs=0.6,
    ),
    Metric("gui_interp_s", "… of which interpreter start", "s", "gui_first"),
    Metric("gui_pyside_s", "… of which importing PySide6", "s", "gui_first"),
    Metric("gui_import_s", "… of which importing StudyApp", "s", "gui_first"),
    Metric("gui_study_s", "… of which Study now to first card", "s", "gui_first"),
    Metric(
        "gui_source_first_s",
        "GUI, source pane open: process start to first card shown",
        "s",
        "gui_source",
        "gui_first_s",
        must_abs=0.6,
    ),
    Metric(
        "gui_source_study_s",
        "… of which Study now to first card (source pane open)",
        "s",
        "gui_source",
        "gui_study_s",
    ),
    Metric("peak_rss_mb", "peak memory while reviewing", "MiB", "review", must=1.0),
    Metric(
        "import_rss_mb", "peak memory while importing", "MiB", "import", "peak_rss_mb"
    ),
    Metric("bytes_per_note", "database bytes per note", "B", "import", must=1.0),
)


# --------------------------------------------------------------------------
# Running


def run_size(
    n: int,
    sides: list[str],
    reps: int,
    reviews: int,
    workdir: Path | None,
    timeout: float | None,
    log: Any,
) -> dict[str, Any]:
    """Build the data for N cards once and measure every side `reps` times."""
    out: dict[str, Any] = {"n": n, "due": min(synth.DUE_CARDS, n), "prepare": {}}
    runs: dict[str, list[dict[str, Any]]] = {side: [] for side in sides}
    out["runs"] = runs
    with tempfile.TemporaryDirectory(prefix=f"bench-{n}-", dir=workdir) as tmp_name:
        tmp = Path(tmp_name)
        t0 = time.perf_counter()
        data = synth.build(n, tmp / "data")
        out["synth_s"] = time.perf_counter() - t0
        log(f"n={n}: data built in {out['synth_s']:.1f} s")
        prepared = {
            "anki": tmp / "anki-prepared" / "collection.anki2",
            "studyapp": tmp / "studyapp-prepared",
        }
        inputs = {"anki": data.tsv_path, "studyapp": data.yaml_path}
        live = list(sides)
        for side in sides:
            try:
                out["prepare"][side] = MODULES[side].prepare(
                    inputs[side], prepared[side], out["due"], timeout
                )
            except (harness.ChildError, subprocess.TimeoutExpired) as error:
                out["prepare"][side] = {"error": str(error)}
                live.remove(side)
                log(f"n={n}: {side} prepare failed:\n{error}")
                continue
            try:
                durable = MODULES[side].check_durable(prepared[side], tmp, timeout)
            except (harness.ChildError, subprocess.TimeoutExpired) as error:
                durable = {"error": str(error)}
            out["prepare"][side]["durability"] = durable
        for rep in range(reps):
            order = live if rep % 2 == 0 else live[::-1]
            for side in order:
                record = measure_once(
                    side, inputs[side], prepared[side], tmp, reviews, timeout
                )
                runs[side].append(record)
                log(f"n={n} rep={rep + 1} {side}: {brief(record)}")
    out["summary"] = summarize_runs(runs)
    return out


def measure_once(
    side: str,
    source: Path,
    prepared: Path,
    tmp: Path,
    reviews: int,
    timeout: float | None,
) -> dict[str, Any]:
    """One repetition of one side: import, review, open-and-show."""
    mod = MODULES[side]
    steps = {
        "import": lambda: mod.measure_import(source, tmp, timeout),
        "review": lambda: mod.measure_review(prepared, tmp, reviews, timeout),
        "open_first": lambda: mod.measure_open_first(prepared, tmp, timeout),
    }
    gui_first = getattr(mod, "measure_gui_first", None)  # StudyApp only
    if gui_first is not None:
        steps["gui_first"] = lambda: gui_first(prepared, tmp, timeout)
        steps["gui_source"] = lambda: gui_first(
            prepared, tmp, timeout, source_open=True
        )
    record: dict[str, Any] = {}
    for name, step in steps.items():
        try:
            record[name] = step()
        except (harness.ChildError, subprocess.TimeoutExpired) as error:
            record[name] = {"error": str(error)}
    return record


def brief(record: dict[str, Any]) -> str:
    parts = []
    for m in METRICS:
        v = m.value(record)
        if v is not None:
            parts.append(f"{m.key}={v:.4g}")
    errors = [k for k, v in record.items() if "error" in v]
    if errors:
        parts.append(f"ERRORS in {', '.join(errors)}")
    return " ".join(parts)


def summarize_runs(runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Per side and metric: median, min and max over the repetitions."""
    summary: dict[str, Any] = {}
    for side, records in runs.items():
        summary[side] = {}
        for m in METRICS:
            values = [v for r in records if (v := m.value(r)) is not None]
            if values:
                summary[side][m.key] = {
                    "median": statistics.median(values),
                    "min": min(values),
                    "max": max(values),
                    "values": values,
                }
        summary[side]["errors"] = sorted(
            {
                f"{step}: {v['error'].splitlines()[0]}"
                for r in records
                for step, v in r.items()
                if "error" in v
            }
        )
    if "anki" in summary and "studyapp" in summary:
        ratios = {}
        for m in METRICS:
            a = summary["anki"].get(m.key)
            s = summary["studyapp"].get(m.key)
            if a and s and a["median"] > 0:
                ratios[m.key] = s["median"] / a["median"]
        summary["ratio"] = ratios
    return summary


# --------------------------------------------------------------------------
# Machine and versions


def _first_line(path: str, prefix: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _dist(name: str) -> str:
    try:
        return dist_version(name)
    except PackageNotFoundError:
        return "not installed"


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args],
            capture_output=True,
            text=True,
            cwd=harness.REPO_ROOT,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine_info() -> dict[str, Any]:
    import sqlite3

    mem_kib = _first_line("/proc/meminfo", "MemTotal:").split(" ")[0]
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _first_line("/proc/cpuinfo", "model name") or platform.processor(),
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "ram_gib": round(int(mem_kib) / 1024 / 1024, 1) if mem_kib.isdigit() else None,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite_python": sqlite3.sqlite_version,
        "anki": _dist("anki"),
        "fsrs": _dist("fsrs"),
        "sqlite_utils": _dist("sqlite-utils"),
        "pyyaml": _dist("PyYAML"),
        "git": _git("rev-parse", "--short", "HEAD")
        + (" (dirty)" if _git("status", "--porcelain", "--untracked-files=no") else ""),
    }


# --------------------------------------------------------------------------
# Report


def fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.4f}" if value < 1 else f"{value:.3f}"
    if unit == "ms":
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return f"{value:.0f}"


def cell(entry: dict[str, float] | None, unit: str) -> str:
    if not entry:
        return "—"
    med, lo, hi = (fmt(entry[k], unit) for k in ("median", "min", "max"))
    return med if lo == hi else f"{med} ({lo}-{hi})"


SYNCHRONOUS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
FACTS = (
    "cards in the first queue (new/learn/review)",
    "database journal, synchronous",
    "answer kept after a crash right after it returned",
)


def side_facts(size: dict[str, Any], side: str) -> dict[str, str]:
    """Non-timed facts of one side at one size, for the report's table."""
    prep = size["prepare"].get(side)
    if not prep or "error" in prep:
        return {}
    facts = {}
    if "journal_mode" in prep:
        sync = SYNCHRONOUS.get(prep.get("synchronous"), str(prep.get("synchronous")))
        facts[FACTS[1]] = f"{prep['journal_mode']}, {sync}"
    durable = prep.get("durability", {})
    if "answer_durable" in durable:
        facts[FACTS[2]] = "yes" if durable["answer_durable"] else "**no**"
    for record in size["runs"].get(side, []):
        counts = record.get("review", {}).get("queue_counts")
        if counts:
            facts[FACTS[0]] = "{new}/{learning}/{review}".format(**counts)
            break
    return facts


def markdown(results: dict[str, Any]) -> str:
    mi = results["machine"]
    cfg = results["config"]
    lines = [
        "# Benchmarks: StudyApp and Anki, measured side by side",
        "",
        f"Generated by `{cfg['command']}` on {mi['date']} (commit {mi['git'] or '?'}).",
        "",
        "## Machine and versions",
        "",
        "| | |",
        "| --- | --- |",
        f"| CPU | {mi['cpu']} |",
        f"| cores | {mi['cores']} ({mi['usable_cores']} usable) |",
        f"| RAM | {mi['ram_gib']} GiB |",
        f"| OS | {mi['os']} |",
        f"| Python | {mi['python']} (sqlite {mi['sqlite_python']}) |",
        f"| anki | {mi['anki']} (bundled sqlite {results.get('anki_sqlite', '?')}) |",
        f"| fsrs | {mi['fsrs']} |",
        f"| sqlite-utils | {mi['sqlite_utils']} |",
        f"| PyYAML | {mi['pyyaml']} |",
        "",
        "## Method",
        "",
        f"- Sides measured: {', '.join(LABELS[s] for s in cfg['sides'])}; "
        f"{cfg['reps']} repetition(s) per size, the two sides alternating "
        "(A then B, then B then A); every measurement in a fresh child process.",
        "- Data: `bench/synth.py` (seeded), front and back of 60-200 characters, each "
        "card anchored by a verbatim quote of a generated source text. StudyApp "
        "imports the YAML deck; Anki imports the same notes from a TSV with its "
        "CSV/text import into a notetype Front/Back/Source.",
        f"- Reviews: min(N, {synth.DUE_CARDS:,}) cards made due now (Anki: "
        "`set_due_date`, StudyApp: `store.set_due`), FSRS on, daily limits "
        f"{synth.NEW_PER_DAY} new / {synth.REVIEWS_PER_DAY} reviews on both sides "
        f"(Anki accepts at most 9999). {cfg['reviews']} answers per repetition with a "
        "fixed rating cycle.",
        "- Anki's next card is `get_queued_cards()` + `get_card()`; its answer is "
        "`build_answer()` + `answer_card()`, which commits before it returns.",
        "- Times are medians over the repetitions with min-max in brackets; next "
        "card and answer are per-repetition medians of all answers. Memory is the "
        "peak resident set (VmHWM) of the child process. Ratio = StudyApp / Anki "
        "(below 1 is better).",
    ]
    for size in results["sizes"]:
        summary = size["summary"]
        lines += [
            "",
            f"## {size['n']:,} cards ({size['due']:,} due)",
            "",
            "| what | unit | Anki | StudyApp | StudyApp/Anki | must | met |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for m in METRICS:
            a = summary.get("anki", {}).get(m.key)
            s = summary.get("studyapp", {}).get(m.key)
            if not a and not s:
                continue
            ratio = summary.get("ratio", {}).get(m.key)
            r = f"{ratio:.2f}x" if ratio is not None else "—"
            met = m.is_met(size["n"], s["median"] if s else None, ratio)
            verdict = {True: "yes", False: "**no**", None: ""}[met]
            row = (
                m.label,
                m.unit,
                cell(a, m.unit),
                cell(s, m.unit),
                r,
                m.bar(size["n"]),
                verdict,
            )
            lines.append("| " + " | ".join(row) + " |")
        facts = {side: side_facts(size, side) for side in SIDES}
        for label in FACTS:
            a, s = (facts[side].get(label, "—") for side in SIDES)
            if a != "—" or s != "—":
                lines.append(f"| {label} | | {a} | {s} | | | |")
        for side in SIDES:
            prep = size["prepare"].get(side, {})
            if "error" in prep:
                why = prep["error"].splitlines()[0]
                lines.append(f"\n{LABELS[side]} could not be prepared: `{why}`")
            for err in summary.get(side, {}).get("errors", []):
                lines.append(f"\n{LABELS[side]} error: `{err}`")
    lines.append("")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# CLI


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated card counts")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", choices=SIDES)
    ap.add_argument("--reviews", type=int, default=500, help="answers per repetition")
    ap.add_argument(
        "--out", type=Path, default=harness.REPO_ROOT / "docs" / "benchmarks.md"
    )
    ap.add_argument(
        "--json",
        type=Path,
        default=harness.REPO_ROOT / "bench" / "results" / "latest.json",
    )
    ap.add_argument("--workdir", type=Path, help="where temporary data goes")
    ap.add_argument("--timeout", type=float, help="seconds one child may take")
    ap.add_argument("--quiet", action="store_true")
    return ap.parse_args(argv)


def available_sides(only: str | None) -> tuple[list[str], dict[str, str]]:
    """The sides to measure, and why the others are left out."""
    wanted = [only] if only else list(SIDES)
    sides, skipped = [], {}
    for side in wanted:
        if MODULES[side].available():
            sides.append(side)
        elif side == "anki":
            skipped[side] = (
                "the anki package is not installed (pip install -e .[bench])"
            )
        else:
            skipped[side] = "studyapp.core.library cannot be imported"
    return sides, skipped


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)

    def log(msg: str) -> None:
        if not args.quiet:
            print(msg, file=sys.stderr, flush=True)

    sides, skipped = available_sides(args.only)
    for side, why in skipped.items():
        log(f"skipping {side}: {why}")
    if not sides:
        raise SystemExit("nothing to measure")
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    command = "python bench/run.py " + " ".join(
        shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:])
    )
    results: dict[str, Any] = {
        "machine": machine_info(),
        "config": {
            "command": command,
            "sides": sides,
            "skipped": skipped,
            "sizes": sizes,
            "reps": args.reps,
            "reviews": args.reviews,
            "seed": synth.SEED,
        },
        "sizes": [],
    }
    for n in sizes:
        size = run_size(
            n, sides, args.reps, args.reviews, args.workdir, args.timeout, log
        )
        results["sizes"].append(size)
        prep = size["prepare"].get("anki", {})
        if "sqlite_version" in prep:
            results["anki_sqlite"] = prep["sqlite_version"]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(markdown(results), encoding="utf-8")
    log(f"wrote {args.out} and {args.json}")
    return results


if __name__ == "__main__":
    main()
