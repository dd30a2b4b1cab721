"""bench/search.py runs end to end at 1,000 cards; both sides find the same cards."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.skipif(
    importlib.util.find_spec("anki") is None,
    reason="anki is not installed (pip install -e .[bench])",
)
def test_the_same_queries_match_the_same_cards_in_anki(tmp_path: Path) -> None:
    out = tmp_path / "search.json"
    subprocess.run(
        [sys.executable, "search.py", "--n", "1000", "--reps", "1", "--json", str(out)],
        cwd=BENCH,
        check=True,
        capture_output=True,
        timeout=300,
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    counts = {name: tuple(row["counts"]) for name, row in result["queries"].items()}
    assert len(counts) == 7
    for name, (ours, anki) in counts.items():
        assert ours == anki, name
    assert counts["is:due"] == (1000, 1000)
    assert counts["tag:group7"] == (20, 20)
    assert sum(ours > 0 for ours, _ in counts.values()) >= 6
