from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from studyapp.core.library import Library
from studyapp.core.model import Rating, State
from studyapp.core.study.stats_days import (
    due_forecast,
    retention_by_period,
    reviews_per_day,
)
from tests.study_history import (
    LAST_DAY,
    SESSIONS,
    START,
    History,
    now_after_history,
    open_bundled,
    study,
    utc_day_start,
)


@pytest.fixture(scope="module")
def studied() -> Iterator[tuple[Library, History]]:
    library = open_bundled()
    yield library, study(library)
    library.close()


def today() -> datetime:
    return utc_day_start(now_after_history())


def test_reviews_per_day_equal_the_answers_given_each_day(
    studied: tuple[Library, History],
) -> None:
    library, history = studied
    days = reviews_per_day(library.store, day_start=today(), days=LAST_DAY + 2)
    assert [d.total for d in days] == [0, 15, 12, 0, 14, 0, 0, 0, 20, 10]
    assert days[0].start == utc_day_start(START) - timedelta(days=1)
    assert days[-1].start == today()
    for offset, day in enumerate(days[1:]):
        given = history.on_day(offset)
        assert day.total == len(given)
        for rating in Rating:
            assert day.count(rating) == sum(a.rating is rating for a in given)
        assert day.minutes == pytest.approx(sum(a.duration_ms for a in given) / 60_000)
    assert days[1].by_rating == (3, 3, 6, 3)  # Again, Hard, Good, Easy
    assert days[-1].minutes == 5.0  # 10 answers of 30 s
    assert sum(d.total for d in days) == sum(n for _, n in SESSIONS) == 71


def test_reviews_per_day_only_cover_the_days_asked_for(
    studied: tuple[Library, History],
) -> None:
    library, _ = studied
    days = reviews_per_day(library.store, day_start=today(), days=2)
    assert [d.total for d in days] == [20, 10]


def test_retention_counts_only_review_state_answers_not_again(
    studied: tuple[Library, History],
) -> None:
    library, history = studied
    daily = retention_by_period(library.store, day_start=today(), days=LAST_DAY + 1)
    assert len(daily) == LAST_DAY + 1
    for offset, point in enumerate(daily):
        reviewed = [a for a in history.on_day(offset) if a.state_before is State.REVIEW]
        assert point.reviews == len(reviewed)
        assert point.passed == sum(a.rating is not Rating.AGAIN for a in reviewed)
    assert [p.reviews for p in daily] == [0, 1, 0, 3, 0, 0, 0, 1, 2]
    assert daily[3].retention == pytest.approx(2 / 3)
    assert daily[0].retention is None  # nothing in the review state yet

    weekly = retention_by_period(
        library.store, day_start=today(), days=14, period_days=7
    )
    assert [(w.reviews, w.passed) for w in weekly] == [(1, 1), (6, 5)]
    assert weekly[-1].start == today() - timedelta(days=6)
    assert weekly[-1].retention == pytest.approx(5 / 6)


def test_forecast_counts_the_cards_due_on_each_day(
    studied: tuple[Library, History],
) -> None:
    library, history = studied
    start = today()
    days = due_forecast(library.store, day_start=start, days=30)
    expected = [[0, 0] for _ in range(30)]
    for card_id in history.card_ids:
        state = library.store.card_state(card_id)
        index = max(0, (state.due - start) // timedelta(days=1))
        if index < 30:
            expected[index][state.state is State.REVIEW] += 1
    assert [[d.learning, d.review] for d in days] == expected
    assert [d.total for d in days[:6]] == [7, 3, 4, 3, 0, 1]  # siblings buried
    assert days[1].start == start + timedelta(days=1)


def test_forecast_of_a_collection_never_studied_is_empty() -> None:
    library = open_bundled()
    try:
        days = due_forecast(library.store, day_start=utc_day_start(START), days=7)
    finally:
        library.close()
    assert [d.total for d in days] == [0] * 7
