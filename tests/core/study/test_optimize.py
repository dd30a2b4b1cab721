import math
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studyapp.core.errors import DeckError
from studyapp.core.model import Rating
from studyapp.core.study.optimize import (
    LoggedReview,
    NotEnoughReviewsError,
    evaluate,
    fit_parameters,
    is_better,
    optimize,
    split_time,
)
from studyapp.core.study.revlog import read_review_csv
from studyapp.core.study.scheduling import DEFAULT_PARAMETERS

from ...revlog_history import REVLOG, TRUE_PARAMETERS, synthetic_learner


@pytest.fixture(scope="module")
def josh() -> list[LoggedReview]:
    return read_review_csv(REVLOG)


@pytest.fixture(scope="module")
def learner() -> list[LoggedReview]:
    return synthetic_learner()


def test_vendored_log_reads_whole(josh: list[LoggedReview]) -> None:
    assert len(josh) == 12_580
    assert len({r.card_id for r in josh}) == 1_205


def test_default_parameters_score_as_measured_on_the_later_quarter(
    josh: list[LoggedReview],
) -> None:
    since = split_time(josh)
    assert since == datetime(2024, 9, 21, 18, 56, 41, 651000, tzinfo=UTC)
    metrics = evaluate(josh, DEFAULT_PARAMETERS, since=since)
    assert metrics.reviews == 1_678
    assert metrics.log_loss == pytest.approx(0.4444, abs=5e-4)
    assert metrics.rmse_bins == pytest.approx(0.0725, abs=5e-4)


def test_fit_on_the_real_log_is_judged_on_reviews_it_never_saw(
    josh: list[LoggedReview],
) -> None:
    result = optimize(josh, DEFAULT_PARAMETERS, tz=UTC)
    assert result.train_reviews == 9_435
    assert result.current.reviews == result.fitted.reviews == 1_678
    assert result.current.log_loss == pytest.approx(0.4444, abs=5e-4)
    # fsrs-rs fitted on the earlier 75% predicts the later 25% a little better.
    assert result.fitted.log_loss == pytest.approx(0.4431, abs=2e-3)
    assert result.adopted == is_better(result.fitted, result.current)
    assert result.adopted
    assert result.parameters == result.parameters_fitted
    assert len(result.parameters) == 21
    assert result.parameters != DEFAULT_PARAMETERS


def test_a_fit_no_better_than_the_current_parameters_is_not_adopted(
    josh: list[LoggedReview],
) -> None:
    # Already using what the fit finds: equal scores are not "better".
    current = fit_parameters(josh, before=split_time(josh), tz=UTC)
    result = optimize(josh, current, tz=UTC)
    assert result.fitted.log_loss >= result.current.log_loss or (
        result.fitted.rmse_bins > result.current.rmse_bins
    )
    assert not result.adopted
    assert result.parameters == current


def test_fitted_parameters_beat_the_defaults_for_a_synthetic_learner(
    learner: list[LoggedReview],
) -> None:
    result = optimize(learner, DEFAULT_PARAMETERS, tz=UTC)
    truth = evaluate(learner, TRUE_PARAMETERS, since=result.split_at)
    assert result.fitted.log_loss < result.current.log_loss - 0.01
    assert result.fitted.rmse_bins < result.current.rmse_bins
    assert result.adopted
    # The fit comes close to the learner's true memory model.
    assert result.fitted.log_loss < truth.log_loss + 0.005


def test_too_few_reviews_are_refused_with_the_counts(
    learner: list[LoggedReview],
) -> None:
    few = learner[:300]
    with pytest.raises(NotEnoughReviewsError) as refused:
        optimize(few, tz=UTC)
    assert refused.value.need == 400
    assert refused.value.have < 400
    assert "at least 400" in str(refused.value)


def test_empty_log_scores_nothing() -> None:
    metrics = evaluate([], DEFAULT_PARAMETERS)
    assert metrics.reviews == 0
    assert math.isnan(metrics.log_loss)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("card_id,rating\n", "first line must be"),
        (
            "card_id,review_rating,review_time,review_duration\n"
            "1,3,2024-03-29T20:32:32+00:00,100\n1,7,2024-03-30T20:32:32+00:00,100\n",
            ":3:1: rating 7 is not 1-4",
        ),
        (
            "card_id,review_rating,review_time,review_duration\n"
            "1,3,2024-03-29T20:32:32,100\n",
            ":2:1: time '2024-03-29T20:32:32' has no time zone",
        ),
        (
            "card_id,review_rating,review_time,review_duration\nx,3,a,1\n",
            ":2:1: invalid literal",
        ),
    ],
)
def test_bad_review_csv_says_where(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DeckError) as error:
        read_review_csv(path)
    assert message in str(error.value)


def test_review_csv_ratings_and_times(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "card_id,review_rating,review_time,review_duration\n"
        "5,1,2024-03-29T22:00:00+02:00,2500\n",
        encoding="utf-8",
    )
    (review,) = read_review_csv(path)
    assert review == LoggedReview(
        5, Rating.AGAIN, datetime(2024, 3, 29, 20, 0, tzinfo=UTC), 2500
    )
