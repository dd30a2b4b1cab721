"""replay.Replayer repeats fsrs's review_card bit for bit, whatever the settings."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from studyapp.core.model import SchedulerSettings
from studyapp.core.study import scheduling
from studyapp.core.study.scheduling import DEFAULT_PARAMETERS, Scheduler

DAY_MS = 86_400_000
START_MS = 1_700_000_000_123
STEPS = (
    (),
    (timedelta(minutes=1),),
    (timedelta(minutes=1), timedelta(minutes=10)),
    (timedelta(seconds=7), timedelta(minutes=3), timedelta(hours=1, seconds=1)),
)


def history(rng: random.Random) -> list[tuple[int, int]]:
    """Answers at same-moment, same-day and long gaps, every rating."""
    at, answers = START_MS + rng.randint(0, 10**6), []
    for _ in range(rng.randint(1, 25)):
        at += rng.choice((0, 1, 61_000, 3_600_000, DAY_MS - 1, DAY_MS, 5 * DAY_MS))
        at += rng.randint(0, 40) * DAY_MS if rng.random() < 0.5 else 0
        answers.append((at, rng.choice((1, 2, 3, 3, 3, 4))))
    return answers


def scheduler(rng: random.Random, fuzz: bool) -> Scheduler:
    parameters = [
        value * rng.uniform(0.8, 1.2) if rng.random() < 0.5 else value
        for value in DEFAULT_PARAMETERS
    ]
    bounds = zip(LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    parameters = [
        min(max(v, lo), hi) for v, (lo, hi) in zip(parameters, bounds, strict=True)
    ]
    settings = SchedulerSettings(
        desired_retention=rng.choice((0.8, 0.9, 0.97)),
        learning_steps=rng.choice(STEPS),
        relearning_steps=rng.choice(STEPS[:3]),
        maximum_interval=rng.choice((7, 100, 36500)),
    )
    return Scheduler(settings, parameters, enable_fuzzing=fuzz)


@pytest.mark.parametrize("seed", range(8))
def test_replayer_equals_fsrs(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    compared = 0
    for case in range(150):
        made = scheduler(random.Random(seed * 1000 + case), fuzz=case % 4 != 0)
        twin = scheduler(random.Random(seed * 1000 + case), fuzz=case % 4 != 0)
        answers = history(rng)
        card_id = rng.randint(1, 10**6)
        monkeypatch.setattr(scheduling, "fast_replay", lambda: True)
        fast = made.replay_ms(card_id, START_MS, answers)
        monkeypatch.setattr(scheduling, "fast_replay", lambda: False)
        reference = twin.replay_ms(card_id, START_MS, answers)
        assert fast == reference, (seed, case, answers)
        compared += len(answers)
    assert compared > 1000


def test_an_unchecked_fsrs_version_replays_through_fsrs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scheduling.fast_replay.cache_clear()
    monkeypatch.setattr(scheduling, "REPLAY_CHECKED", ("0.0",))
    try:
        assert not scheduling.fast_replay()
        rows, final = Scheduler().replay_ms(5, START_MS, [(START_MS, 3)])
        assert rows[0][0] == 0
        assert final[0] == 1
    finally:
        scheduling.fast_replay.cache_clear()
