import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studyapp import cli
from studyapp.core.library import Library
from studyapp.core.study.optimize import fit_parameters
from studyapp.core.study.revlog import read_review_csv
from studyapp.core.study.scheduling import DEFAULT_PARAMETERS
from studyapp.core.study.simulate import RETENTIONS, suggested_retention

from ...revlog_history import REVLOG, load_into_library, synthetic_learner

NOW = datetime(2024, 10, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
def josh_library(tmp_path: Path) -> Library:
    library = Library.in_memory()
    load_into_library(library, read_review_csv(REVLOG), tmp_path)
    return library


def test_optimising_stores_the_run_and_uses_the_adopted_parameters(
    josh_library: Library,
) -> None:
    tuning = josh_library.tuning()
    assert tuning.is_default()
    assert tuning.usable_reviews() == 5_329
    done = tuning.optimize(now=NOW)
    result = done.result
    assert result.reviews == 12_580
    assert result.current.log_loss == pytest.approx(0.4444, abs=1e-3)
    assert result.adopted
    assert tuning.parameters() == result.parameters_fitted
    assert josh_library.scheduler_for("revlog")._fsrs.parameters == pytest.approx(
        result.parameters_fitted
    )
    (run,) = tuning.runs()
    assert run.id == done.run_id
    assert run.adopted
    assert run.test_reviews == 1_678
    assert run.log_loss_fitted == result.fitted.log_loss
    assert run.parameters_before == DEFAULT_PARAMETERS
    # Going back restores what was in use before the run.
    assert tuning.go_back(run.id) == DEFAULT_PARAMETERS
    assert tuning.is_default()


def test_a_dry_run_changes_nothing(josh_library: Library) -> None:
    tuning = josh_library.tuning()
    done = tuning.optimize(now=NOW, dry_run=True)
    assert done.run_id is None
    assert done.result.adopted
    assert tuning.is_default()
    assert tuning.runs() == []


def test_reschedule_moves_due_dates_and_undo_puts_them_back(
    josh_library: Library,
) -> None:
    tuning = josh_library.tuning()
    store = josh_library.store
    before = store.execute("SELECT * FROM card_state ORDER BY card_id").fetchall()
    done = tuning.optimize(now=NOW)
    assert done.run_id is not None
    moved = tuning.reschedule(done.run_id)
    assert moved == 1_205
    after = store.execute("SELECT * FROM card_state ORDER BY card_id").fetchall()
    assert after != before
    assert tuning.runs()[0].rescheduled == 1_205
    assert tuning.undo_reschedule(done.run_id) == 1_205
    assert (
        store.execute("SELECT * FROM card_state ORDER BY card_id").fetchall() == before
    )
    assert tuning.runs()[0].rescheduled == 0


def test_evaluate_scores_the_parameters_in_use(josh_library: Library) -> None:
    metrics, reviews = josh_library.tuning().evaluate()
    assert reviews == 12_580
    assert metrics.reviews == 1_678
    assert metrics.log_loss == pytest.approx(0.4444, abs=1e-3)


def test_simulator_trades_workload_for_retention(tmp_path: Path) -> None:
    library = Library.in_memory()
    load_into_library(library, synthetic_learner(cards=100, days=60), tmp_path)
    curves = library.tuning().simulate(days=120)
    assert [c.desired_retention for c in curves] == list(RETENTIONS)
    assert RETENTIONS[0] == 0.70
    assert RETENTIONS[-1] == 0.97
    low, high = curves[0], curves[-1]
    assert len(low.reviews_per_day) == 120
    assert sum(high.reviews_per_day) > 2 * sum(low.reviews_per_day)
    assert high.remembered_per_day[-1] > low.remembered_per_day[-1]
    best = suggested_retention(curves)
    assert best == min(curves, key=lambda c: c.minutes_per_remembered).desired_retention
    assert 0.70 <= best < 0.97


def test_cli_optimize_json_keys_and_dry_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    library = Library.open(folder)
    load_into_library(library, read_review_csv(REVLOG), tmp_path)
    library.close()
    base = ["--data-dir", str(folder), "optimize", "--json"]
    assert cli.main([*base, "--dry-run"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in (
        "parameters",
        "reviews",
        "log_loss_current",
        "log_loss_fitted",
        "rmse_bins_current",
        "rmse_bins_fitted",
        "adopted",
    ):
        assert key in out
    assert len(out["parameters"]) == 21
    assert out["reviews"] == 12_580
    assert out["adopted"] is True
    assert out["run_id"] is None
    assert cli.main([*base, "--evaluate"]) == 0
    evaluated = json.loads(capsys.readouterr().out)
    assert evaluated["parameters"] == list(DEFAULT_PARAMETERS)  # dry run kept them
    assert evaluated["log_loss_current"] == out["log_loss_current"]
    assert cli.main(base) == 0
    adopted = json.loads(capsys.readouterr().out)
    assert adopted["run_id"] == 1
    assert cli.main([*base, "--evaluate"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert after["parameters"] == adopted["parameters"]


def test_cli_refuses_a_short_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--data-dir", str(tmp_path), "optimize"]) == 1
    assert "optimising needs at least 400" in capsys.readouterr().err


def test_fit_from_the_store_matches_the_fit_on_the_log(josh_library: Library) -> None:
    reviews = read_review_csv(REVLOG)
    assert josh_library.tuning().fit() == pytest.approx(
        fit_parameters(reviews, tz=None), abs=1e-6
    )


def test_a_deck_can_have_its_own_parameters(tmp_path: Path) -> None:
    library = Library.in_memory()
    load_into_library(library, synthetic_learner(cards=20, days=10), tmp_path)
    tuning = library.tuning()
    own = tuple(w * 1.01 for w in DEFAULT_PARAMETERS)
    tuning.set_parameters(own, "revlog")
    assert tuning.parameters("revlog") == pytest.approx(own)
    assert tuning.parameters() == DEFAULT_PARAMETERS
    assert library.scheduler_for("revlog")._fsrs.parameters == pytest.approx(own)
    tuning.set_parameters(None, "revlog")
    assert tuning.parameters("revlog") == DEFAULT_PARAMETERS
