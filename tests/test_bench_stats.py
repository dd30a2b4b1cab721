"""bench/stats_bench.py runs end to end at 1,000 cards (not timed).

Both sides hold the same package (Anki's library makes it); the test checks
that each child saw the same collection, that the statistics screen was
painted, and that the planner's forecast read its cards in one query.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import stats_bench  # noqa: E402


@pytest.mark.slow  # about 15 s: a package made, imported twice, 8 children
@pytest.mark.skipif(
    importlib.util.find_spec("anki") is None,
    reason="anki is not installed (pip install -e .[bench])",
)
def test_stats_bench_runs_both_sides_on_the_same_collection(tmp_path: Path) -> None:
    raw = tmp_path / "stats.json"
    args = ["--notes=1000", "--revlog=10000", "--reps=2", f"--work={tmp_path}"]
    result = stats_bench.main([*args, f"--json={raw}", "--timeout=120", "--quiet"])
    assert raw.is_file()
    runs = result["runs"]
    assert set(runs) == {"anki", "core", "gui", "planner"}
    assert all(len(records) == 2 for records in runs.values())
    anki, core, gui, planner = (runs[s][0] for s in stats_bench.SIDES)
    assert anki["cards"] == core["cards"] == planner["cards"] == 1000
    assert anki["reviews"] == core["reviews"] == 10_000
    assert anki["future_due_days"] > 0
    assert core["review_cards"] > 0
    assert core["due_today"] > 0
    assert gui["sections"] == core["sections"] >= 1
    # The tables are read after the first paint, then filled.
    assert gui["complete_s"] >= gui["seconds"] > 0
    # One query for the forecast's cards, however many decks (three here).
    assert planner["decks"] == 3
    assert planner["statements_warm"] == 1
    assert planner["warm_sql"][0].lstrip().startswith("WITH curve")
    assert 0 < planner["recall"] < 1
    for side in runs:
        summary = result["summary"][side]
        assert summary["seconds"]["median"] > 0
        assert summary["peak_mb"]["median"] > 10
    # The data is kept: a second run builds nothing.
    again = stats_bench.main([*args, "--reps=1", "--sides=planner", "--quiet"])
    assert again["built"] == result["built"]
