"""StudyApp's FSRS fit against Anki's on the same real log (issue 18; not timed)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from studyapp.core.study.optimize import (
    evaluate,
    fit_parameters,
    item_histories,
    split_time,
)
from studyapp.core.study.revlog import read_review_csv

from .revlog_history import REVLOG

pytest.importorskip("anki")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import optimize_bench


def test_same_training_items_as_anki_and_a_fit_as_good(tmp_path: Path) -> None:
    josh = read_review_csv(REVLOG)
    col = optimize_bench.anki_collection(str(tmp_path / "c.anki2"), josh)
    try:
        answer = col._backend.compute_fsrs_params(
            search="",
            current_params=[],
            ignore_revlogs_before_ms=0,
            num_of_relearning_steps=1,
            health_check=False,
        )
        # Anki reads its revlog into exactly the items StudyApp builds.
        assert answer.fsrs_items == len(item_histories(josh, tz=None))
        since = split_time(josh)
        anki = evaluate(
            josh, optimize_bench.anki_fit(col, josh, before=since), since=since
        )
    finally:
        col.close()
    ours = evaluate(josh, fit_parameters(josh, before=since), since=since)
    assert ours.reviews == anki.reviews == 1_678
    assert ours.log_loss <= anki.log_loss + 0.002
    assert ours.rmse_bins <= anki.rmse_bins + 0.005
