"""FSRS parameters fitted to the learner's own review log, adopted only if better.

The fit is fsrs-rs (``fsrs-rs-python``), the Rust optimizer Anki uses. The
evaluation is ours and honest: the log is split by time, the parameters are
fitted on the earlier part only, and both the current and the fitted
parameters predict every later review the fit never saw. A prediction is the
app's own scheduler (``scheduling.Scheduler``, py-fsrs) replaying the card's
history and asking its recall probability before each review at least a day
after the previous one; the label is "not Again". The metrics are log loss
and RMSE (bins) as srs-benchmark computes them.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TypeVar

import fsrs_rs_python as fsrs_rs

from studyapp.core.errors import StudyAppError
from studyapp.core.model import CardState, Rating, SchedulerSettings
from studyapp.core.study.scheduling import DEFAULT_PARAMETERS, Scheduler, new_state

#: Anki asks for several hundred reviews before it optimises; so do we. Counted
#: are reviews at least a day after the card's previous one (the ones FSRS
#: learns from and is scored on).
MIN_REVIEWS = 400
#: The later part of the log must hold this many scored reviews.
MIN_TEST_REVIEWS = 100
#: Fraction of the log (by time) the fit sees; the rest is held out.
TRAIN_FRACTION = 0.75
_DAY = timedelta(days=1)
_DAY_MS = 86_400_000
_R = TypeVar("_R")
_I = TypeVar("_I")
_EPS = 1e-4  # predictions are clipped like srs-benchmark's, to keep log finite

#: Called with (step done, steps in all, what comes next).
Progress = Callable[[int, int, str], None]


class NotEnoughReviewsError(StudyAppError):
    """The log is too short to fit or to judge a fit."""

    def __init__(self, have: int, need: int, what: str) -> None:
        self.have = have
        self.need = need
        super().__init__(
            f"{have} {what}; optimising needs at least {need}. "
            "Keep studying with the current parameters and try again later."
        )


@dataclass(frozen=True, slots=True)
class LoggedReview:
    """One answer from the review log."""

    card_id: int
    rating: Rating
    reviewed_at: datetime
    duration_ms: int = 0


@dataclass(frozen=True, slots=True)
class Metrics:
    """How well some parameters predicted a set of reviews (lower is better)."""

    log_loss: float
    rmse_bins: float
    reviews: int  # reviews scored


@dataclass(frozen=True, slots=True)
class OptimizationResult:
    """One optimisation run: what was fitted, how both did, what was decided.

    ``fitted`` scores the parameters fitted on the reviews before
    ``split_at``. When the held-out test favours them, ``parameters_fitted``
    is the same fit repeated on every review (and is adopted); otherwise it
    is the scored fit itself, kept for the record.
    """

    parameters_current: tuple[float, ...]
    parameters_fitted: tuple[float, ...]
    reviews: int
    train_reviews: int
    split_at: datetime
    current: Metrics
    fitted: Metrics
    adopted: bool

    @property
    def parameters(self) -> tuple[float, ...]:
        """The parameters in use after the run."""
        return self.parameters_fitted if self.adopted else self.parameters_current


@dataclass(frozen=True, slots=True)
class StoredRun:
    """An optimisation run as stored."""

    id: int
    ran_at: datetime
    scope: str
    reviews: int
    train_reviews: int
    test_reviews: int
    split_at: datetime
    parameters_before: tuple[float, ...]
    parameters_fitted: tuple[float, ...]
    log_loss_current: float
    log_loss_fitted: float
    rmse_bins_current: float
    rmse_bins_fitted: float
    adopted: bool
    rescheduled: int  # cards whose reschedule can still be undone


def is_better(fitted: Metrics, current: Metrics) -> bool:
    """The fit wins only when both metrics agree: lower log loss, RMSE no higher."""
    return fitted.log_loss < current.log_loss and fitted.rmse_bins <= current.rmse_bins


def split_time(
    reviews: Sequence[LoggedReview], fraction: float = TRAIN_FRACTION
) -> datetime:
    """The time before which ``fraction`` of the reviews were given."""
    times = sorted(r.reviewed_at for r in reviews)
    if not times:
        raise NotEnoughReviewsError(0, MIN_REVIEWS, "reviews in the log")
    return times[min(len(times) - 1, int(len(times) * fraction))]


def fit_parameters(
    reviews: Iterable[LoggedReview],
    *,
    before: datetime | None = None,
    rollover_hour: int = 4,
    tz: tzinfo | None = UTC,
) -> tuple[float, ...]:
    """FSRS-6 parameters fitted by fsrs-rs on the reviews (before ``before``).

    Args:
        reviews: The log, any order.
        before: Fit only on answers given before this time; all when None.
        rollover_hour: Hour at which the study day starts (local to ``tz``).
        tz: The learner's time zone for day counting; the machine's when None.
    """
    items = training_items(reviews, before=before, rollover_hour=rollover_hour, tz=tz)
    return fit_items(items)


def fit_rows(
    rows: Iterable[tuple[int, int, int]],
    *,
    rollover_hour: int = 4,
    tz: tzinfo | None = UTC,
) -> tuple[float, ...]:
    """Like :func:`fit_parameters`, from (card id, rating, epoch ms) rows.

    The rows must come sorted by card, then time (as the store reads them):
    the quick path for a big log, with no objects per review.
    """
    day = day_numbers(rollover_hour, tz)
    return fit_items(_items(rows, day, None, fsrs_rs.FSRSReview, fsrs_rs.FSRSItem))


def fit_items(items: Sequence[fsrs_rs.FSRSItem]) -> tuple[float, ...]:
    """fsrs-rs's fit of FSRS-6 on training items."""
    if not items:
        raise NotEnoughReviewsError(0, MIN_REVIEWS, "reviews a day or more apart")
    fitted = fsrs_rs.FSRS(DEFAULT_PARAMETERS).compute_parameters(items)
    return tuple(float(w) for w in fitted)


def training_items(
    reviews: Iterable[LoggedReview],
    *,
    before: datetime | None = None,
    rollover_hour: int = 4,
    tz: tzinfo | None = UTC,
) -> list[fsrs_rs.FSRSItem]:
    """Anki-style training items: a card's history up to each later-day review."""
    return _items(
        _sorted_rows(reviews),
        day_numbers(rollover_hour, tz),
        None if before is None else _ms(before),
        fsrs_rs.FSRSReview,
        fsrs_rs.FSRSItem,
    )


def item_histories(
    reviews: Iterable[LoggedReview],
    *,
    before: datetime | None = None,
    rollover_hour: int = 4,
    tz: tzinfo | None = UTC,
) -> list[list[tuple[int, int]]]:
    """Training items as (rating, days since the previous review) lists."""
    return _items(
        _sorted_rows(reviews),
        day_numbers(rollover_hour, tz),
        None if before is None else _ms(before),
        lambda rating, days: (rating, days),
        lambda done: list(done),  # a copy: the list keeps growing
    )


def day_numbers(rollover_hour: int, tz: tzinfo | None) -> Callable[[int], int]:
    """Epoch ms -> study day number, the day starting at ``rollover_hour`` in ``tz``."""
    shift = rollover_hour * 3_600_000
    fixed = tz.utcoffset(None) if tz is not None else None
    if fixed is not None:
        offset = fixed // timedelta(milliseconds=1) - shift
        return lambda ms: (ms + offset) // _DAY_MS
    offsets: dict[int, int] = {}  # a zone's offset, per quarter hour

    def day(ms: int) -> int:
        quarter = ms // 900_000
        if quarter not in offsets:
            local = datetime.fromtimestamp(quarter * 900, tz).astimezone(tz)
            utcoffset = local.utcoffset() or timedelta(0)
            offsets[quarter] = utcoffset // timedelta(milliseconds=1) - shift
        return (ms + offsets[quarter]) // _DAY_MS

    return day


def _sorted_rows(reviews: Iterable[LoggedReview]) -> list[tuple[int, int, int]]:
    rows = [(r.card_id, int(r.rating), _ms(r.reviewed_at)) for r in reviews]
    rows.sort(key=lambda row: (row[0], row[2]))
    return rows


def _ms(moment: datetime) -> int:
    # A third of the time of clock.to_ms's exact arithmetic: matters at 100k.
    return round(moment.timestamp() * 1000)


def _items(
    rows: Iterable[tuple[int, int, int]],
    day: Callable[[int], int],
    before_ms: int | None,
    review: Callable[[int, int], _R],
    item: Callable[[list[_R]], _I],
) -> list[_I]:
    """A card's history up to each review on a later day than the one before.

    ``rows`` are sorted by card, then time. fsrs-rs copies a history when an
    item is made, so one growing list serves all of a card's items.
    """
    items: list[_I] = []
    card: int | None = None
    done: list[_R] = []
    previous = 0
    for card_id, rating, ms in rows:
        if before_ms is not None and ms >= before_ms:
            continue
        if card_id != card:
            card, done = card_id, []
        today = day(ms)
        elapsed = today - previous if done else 0
        previous = today
        done.append(review(rating, elapsed))
        if elapsed > 0:
            items.append(item(done))
    return items


def by_card(reviews: Iterable[LoggedReview]) -> dict[int, list[LoggedReview]]:
    """Each card's reviews in time order."""
    cards: dict[int, list[LoggedReview]] = defaultdict(list)
    for review in reviews:
        cards[review.card_id].append(review)
    for history in cards.values():
        history.sort(key=lambda r: r.reviewed_at)
    return cards


def count_scored(reviews: Iterable[LoggedReview], since: datetime | None = None) -> int:
    """Reviews at least a day after the card's previous one (from ``since``)."""
    count = 0
    for history in by_card(reviews).values():
        for earlier, later in itertools.pairwise(history):
            if later.reviewed_at - earlier.reviewed_at >= _DAY and (
                since is None or later.reviewed_at >= since
            ):
                count += 1
    return count


def evaluate(
    reviews: Iterable[LoggedReview],
    parameters: Sequence[float],
    *,
    since: datetime | None = None,
) -> Metrics:
    """Log loss and RMSE (bins) of ``parameters`` on the reviews from ``since``.

    Every card's whole history is replayed (so memory built before ``since``
    counts), but only answers given at or after ``since`` are scored.
    """
    scheduler = Scheduler(SchedulerSettings(), parameters, enable_fuzzing=False)
    predictions: list[tuple[float, bool, tuple[float, float, float]]] = []
    for history in by_card(reviews).values():
        state: CardState = new_state(history[0].card_id, history[0].reviewed_at)
        lapses = 0
        for number, review in enumerate(history, start=1):
            last = state.last_review
            if last is not None and review.reviewed_at - last >= _DAY:
                recalled = review.rating is not Rating.AGAIN
                if since is None or review.reviewed_at >= since:
                    p = scheduler.retrievability(state, review.reviewed_at)
                    days = (review.reviewed_at - last) / _DAY
                    predictions.append((p, recalled, _bin(days, number, lapses)))
                lapses += not recalled
            state = scheduler.review(state, review.rating, review.reviewed_at)
    return metrics(predictions)


def metrics(
    predictions: Sequence[tuple[float, bool, tuple[float, float, float]]],
) -> Metrics:
    """Log loss and srs-benchmark's RMSE (bins) of (p, recalled, bin) triples."""
    if not predictions:
        return Metrics(math.nan, math.nan, 0)
    loss = 0.0
    bins: dict[tuple[float, float, float], list[float]] = defaultdict(lambda: [0, 0, 0])
    for p, recalled, key in predictions:
        clipped = min(max(p, _EPS), 1 - _EPS)
        loss -= math.log(clipped if recalled else 1 - clipped)
        total = bins[key]
        total[0] += 1
        total[1] += recalled
        total[2] += p
    # srs-benchmark: mean recall and mean prediction per bin, weighted by count.
    squares = sum((y - q) ** 2 / n for n, y, q in bins.values())
    n_all = len(predictions)
    return Metrics(loss / n_all, math.sqrt(squares / n_all), n_all)


def _bin(days: float, number: int, lapses: int) -> tuple[float, float, float]:
    """srs-benchmark's (delta_t, i, lapse) bin of a review: log-spaced buckets."""
    days = max(1.0, math.floor(days))
    delta_t = round(2.48 * 3.62 ** math.floor(math.log(days) / math.log(3.62)), 2)
    i = round(1.99 * 1.89 ** math.floor(math.log(number) / math.log(1.89)), 0)
    lapse = (
        round(1.65 * 1.73 ** math.floor(math.log(lapses) / math.log(1.73)), 0)
        if lapses
        else 0.0
    )
    return delta_t, i, lapse


def optimize(
    reviews: Sequence[LoggedReview],
    current: Sequence[float] = DEFAULT_PARAMETERS,
    *,
    rollover_hour: int = 4,
    tz: tzinfo | None = UTC,
    min_reviews: int = MIN_REVIEWS,
    progress: Progress | None = None,
) -> OptimizationResult:
    """Fit on the earlier reviews, judge on the later ones, decide.

    Args:
        reviews: The learner's log (a deck's or everyone's).
        current: The parameters in use now.
        rollover_hour: Hour the study day starts, for the fit's day counts.
        tz: The learner's time zone; the machine's when None.
        min_reviews: Reviews a day or more apart needed before fitting.
        progress: Told before each of the four steps and once at the end.

    Raises:
        NotEnoughReviewsError: Too few reviews to fit, or to judge the fit.
    """
    steps = (
        "fitting on earlier reviews",
        "scoring current parameters",
        "scoring fitted parameters",
        "fitting on all reviews",
    )
    usable = count_scored(reviews)
    if usable < min_reviews:
        raise NotEnoughReviewsError(usable, min_reviews, "reviews a day or more apart")
    split_at = split_time(reviews)
    held_out = count_scored(reviews, since=split_at)
    if held_out < MIN_TEST_REVIEWS:
        raise NotEnoughReviewsError(
            held_out, MIN_TEST_REVIEWS, "later reviews to test a fit on"
        )

    def step(done: int) -> None:
        if progress is not None:
            progress(done, len(steps), steps[done] if done < len(steps) else "done")

    step(0)
    on_train = fit_parameters(
        reviews, before=split_at, rollover_hour=rollover_hour, tz=tz
    )
    step(1)
    before = evaluate(reviews, current, since=split_at)
    step(2)
    after = evaluate(reviews, on_train, since=split_at)
    adopted = is_better(after, before)
    step(3)
    on_all = (
        fit_parameters(reviews, rollover_hour=rollover_hour, tz=tz)
        if adopted
        else on_train
    )
    step(4)
    return OptimizationResult(
        parameters_current=tuple(float(w) for w in current),
        parameters_fitted=on_all,
        reviews=len(reviews),
        train_reviews=sum(r.reviewed_at < split_at for r in reviews),
        split_at=split_at,
        current=before,
        fitted=after,
        adopted=adopted,
    )
