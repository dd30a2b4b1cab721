"""The benchmark harness runs end to end at 1,000 cards (not timed)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import run  # noqa: E402
import studyapp_side  # noqa: E402
import synth  # noqa: E402

# Each child process gets this long; the whole test stays well under a minute.
CHILD_TIMEOUT = "50"


def test_synth_is_deterministic_and_anchored(tmp_path: Path) -> None:
    a = synth.build(200, tmp_path / "a")
    b = synth.build(200, tmp_path / "b")
    assert a.yaml_path.read_bytes() == b.yaml_path.read_bytes()
    assert a.tsv_path.read_bytes() == b.tsv_path.read_bytes()

    deck = yaml.load(a.yaml_path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    cards = deck["cards"]
    assert len(cards) == 200
    assert len({c["id"] for c in cards}) == 200
    source = " ".join(a.source_path.read_text(encoding="utf-8").split())
    for card in cards:
        assert 60 <= len(card["front"]) <= 200
        assert 60 <= len(card["back"]) <= 200
        assert card["source"]["ref"] == "synth"
        assert card["source"]["quote"] in source

    rows = [
        line.split("\t")
        for line in a.tsv_path.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert len(rows) == 200
    assert [r[:2] for r in rows] == [[c["front"], c["back"]] for c in cards]


def _run_harness(tmp_path: Path, only: str) -> dict[str, Any]:
    out, raw = tmp_path / "benchmarks.md", tmp_path / "results.json"
    results = run.main(
        [
            "--sizes=1000",
            "--reps=1",
            "--reviews=50",
            f"--only={only}",
            f"--out={out}",
            f"--json={raw}",
            f"--workdir={tmp_path}",
            f"--timeout={CHILD_TIMEOUT}",
            "--quiet",
        ]
    )
    assert json.loads(raw.read_text(encoding="utf-8"))["sizes"][0]["n"] == 1000
    report = out.read_text(encoding="utf-8")
    assert "## 1,000 cards (1,000 due)" in report
    assert "| CPU |" in report
    return {"results": results, "report": report}


@pytest.mark.skipif(
    importlib.util.find_spec("anki") is None,
    reason="anki is not installed (pip install -e .[bench])",
)
def test_harness_anki_end_to_end(tmp_path: Path) -> None:
    got = _run_harness(tmp_path, "anki")
    size = got["results"]["sizes"][0]
    assert size["prepare"]["anki"]["notes"] == 1000
    assert size["prepare"]["anki"]["fsrs"] is True
    summary = size["summary"]["anki"]
    assert summary["errors"] == []
    for key in ("import_s", "first_queue_ms", "next_ms", "answer_ms", "open_first_s"):
        assert summary[key]["median"] > 0
    assert summary["bytes_per_note"]["median"] > 100
    for label in (
        "import N cards into a fresh collection",
        "next card, median",
        "answer incl. commit, median",
        "first queue build",
        "peak memory while reviewing",
        "database bytes per note",
    ):
        assert label in got["report"]


def test_harness_studyapp_end_to_end(tmp_path: Path) -> None:
    if not studyapp_side.available():
        pytest.skip("studyapp.core.library is not importable yet")
    got = _run_harness(tmp_path, "studyapp")
    size = got["results"]["sizes"][0]
    assert "error" not in size["prepare"]["studyapp"], size["prepare"]["studyapp"]
    summary = size["summary"]["studyapp"]
    assert summary["errors"] == []
    for key in ("import_s", "reimport_s", "first_queue_ms", "next_ms", "answer_ms"):
        assert summary[key]["median"] > 0
    assert summary["gui_first_s"]["median"] >= summary["gui_window_s"]["median"] > 0
    shares = ("gui_interp_s", "gui_pyside_s", "gui_import_s", "gui_study_s")
    parts = [summary[key]["median"] for key in shares]
    assert all(part > 0 for part in parts)
    assert sum(parts) < summary["gui_first_s"]["median"]
    record = size["runs"]["studyapp"][0]
    assert not record["gui_first"]["source_shown"]  # the pane starts closed
    assert record["gui_source"]["source_shown"]  # the learner's choice kept
    assert summary["gui_source_first_s"]["median"] > 0
    assert "source pane open: process start to first card shown" in got["report"]
    assert "re-import of the same unchanged deck" in got["report"]
    assert "process start to first card shown" in got["report"]
    assert "| must | met |" in got["report"]
