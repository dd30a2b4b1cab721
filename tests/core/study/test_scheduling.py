import csv
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import fsrs
import pytest

from studyapp.core.model import Rating, SchedulerSettings, State
from studyapp.core.study.scheduling import (
    Scheduler,
    apply_answer,
    new_state,
    to_fsrs,
)

from ...conftest import DATA

REVLOG = DATA / "revlogs" / "py-fsrs_review_logs_josh.csv"


def _replay_rows(limit_cards: int) -> dict[int, list[tuple[int, datetime]]]:
    cards: dict[int, list[tuple[int, datetime]]] = {}
    with REVLOG.open() as handle:
        for row in csv.DictReader(handle):
            card = int(row["card_id"])
            if card not in cards and len(cards) >= limit_cards:
                continue
            when = datetime.fromisoformat(row["review_time"])
            cards.setdefault(card, []).append((int(row["review_rating"]), when))
    return cards


def test_wrapper_matches_fsrs_on_a_real_review_log() -> None:
    """Replaying real reviews through our wrapper and through fsrs agrees."""
    ours = Scheduler(enable_fuzzing=False)
    theirs = fsrs.Scheduler(enable_fuzzing=False)
    histories = _replay_rows(limit_cards=150)
    compared = 0
    for card_id, reviews in histories.items():
        state = new_state(card_id, reviews[0][1])
        card = fsrs.Card(card_id=card_id, due=reviews[0][1])
        for rating, when in reviews:
            state = ours.review(state, Rating(rating), when)
            card, _ = theirs.review_card(card, fsrs.Rating(rating), when)
            assert state.due == card.due
            assert state.stability == pytest.approx(card.stability)
            assert state.difficulty == pytest.approx(card.difficulty)
            assert int(state.state) == card.state.value
            compared += 1
    assert compared > 1000


def test_recall_is_fsrs_retrievability_on_a_real_review_log() -> None:
    """Our recall (from a state, or from stored ms) is fsrs's, bit for bit."""
    parameters = list(fsrs.scheduler.DEFAULT_PARAMETERS)
    parameters[20] = 0.3  # a tuned decay: the curve follows the parameters
    ours = Scheduler(parameters=parameters, enable_fuzzing=False)
    theirs = fsrs.Scheduler(parameters=parameters, enable_fuzzing=False)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    compared = 0
    for card_id, reviews in _replay_rows(limit_cards=60).items():
        state = new_state(card_id, reviews[0][1])
        assert ours.retrievability(state, reviews[0][1]) == 0.0
        for rating, when in reviews:
            state = ours.review(state, Rating(rating), when)
            assert state.last_review is not None
            last_ms = (state.last_review - epoch) // timedelta(milliseconds=1)
            for later in (0, 1, 36, 86_399, 86_400, 200_000, 9_000_000):
                at = state.last_review + timedelta(seconds=later, microseconds=999)
                expected = theirs.get_card_retrievability(to_fsrs(state), at)
                assert ours.retrievability(state, at) == expected
                at_ms = (at - epoch) // timedelta(milliseconds=1)
                assert ours.recall_ms(state.stability, last_ms, at_ms) == expected
                compared += 1
    assert compared > 2000
    assert ours.recall_ms(None, 0, 10**12) == ours.recall_ms(3.0, None, 0) == 0.0


def test_fuzz_is_reproducible_per_card_and_review(now: datetime) -> None:
    scheduler = Scheduler()
    state = new_state(42, now)
    for rating in (Rating.GOOD, Rating.GOOD, Rating.GOOD):
        state = scheduler.review(state, rating, now)
        now = state.due
    first = scheduler.review(state, Rating.GOOD, now)
    again = scheduler.review(state, Rating.GOOD, now)
    assert first == again
    intervals = {
        Scheduler().review(replace(state, card_id=cid), Rating.GOOD, now).due
        for cid in range(40)
    }
    assert len(intervals) > 1  # fuzz still varies between cards


def _fields(state: object) -> dict[str, object]:
    return {name: getattr(state, name) for name in state.__slots__}  # type: ignore[attr-defined]


def test_preview_gives_all_four_intervals_in_order(now: datetime) -> None:
    scheduler = Scheduler(enable_fuzzing=False)
    previews = scheduler.preview(new_state(1, now), now)
    assert list(previews) == list(Rating)
    assert previews[Rating.AGAIN] == timedelta(minutes=1)
    assert previews[Rating.GOOD] == timedelta(minutes=10)
    assert previews[Rating.AGAIN] < previews[Rating.HARD] < previews[Rating.EASY]


def test_settings_reach_fsrs(now: datetime) -> None:
    settings = SchedulerSettings(
        desired_retention=0.8, learning_steps=(timedelta(minutes=5),)
    )
    scheduler = Scheduler(settings, enable_fuzzing=False)
    assert scheduler.preview(new_state(1, now), now)[Rating.AGAIN] == timedelta(
        minutes=5
    )
    review = scheduler.review(
        scheduler.review(new_state(1, now), Rating.GOOD, now),
        Rating.GOOD,
        now + timedelta(minutes=5),
    )
    strict = Scheduler(enable_fuzzing=False)
    reference = strict.review(
        strict.review(new_state(1, now), Rating.GOOD, now),
        Rating.GOOD,
        now + timedelta(minutes=5),
    )
    assert review.due - now > reference.due - now  # lower retention, longer gaps


def test_apply_answer_counts_reps_and_lapses(
    now: datetime, scheduler: Scheduler
) -> None:
    state = new_state(7, now)
    state, record = apply_answer(state, Rating.EASY, now=now, scheduler=scheduler)
    assert record.state_before.state is State.NEW
    assert state.state is State.REVIEW
    assert state.reps == 1
    later = state.due
    state, _ = apply_answer(state, Rating.AGAIN, now=later, scheduler=scheduler)
    assert state.state is State.RELEARNING
    assert state.lapses == 1
    assert state.reps == 2


def test_state_converts_to_fsrs(now: datetime, scheduler: Scheduler) -> None:
    state = scheduler.review(new_state(3, now), Rating.GOOD, now)
    assert to_fsrs(state).card_id == 3


def test_naive_time_is_refused(scheduler: Scheduler) -> None:
    with pytest.raises(ValueError, match="UTC"):
        scheduler.review(
            new_state(1, datetime.now(UTC)), Rating.GOOD, datetime(2026, 1, 1)
        )
