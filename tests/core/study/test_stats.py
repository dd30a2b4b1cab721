import bisect
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from studyapp.core.clock import to_ms
from studyapp.core.library import Library
from studyapp.core.model import NO_SOURCE, CardState, Rating, State
from studyapp.core.store.stats_queries import sourced_decks
from studyapp.core.study.planner import forecast
from studyapp.core.study.review import ReviewQueue
from studyapp.core.study.scheduling import DEFAULT_PARAMETERS, Scheduler
from studyapp.core.study.stats import (
    INTERVAL_EDGES,
    cards_by_state,
    interval_histogram,
    section_mastery,
    summary,
    weakest_cards,
)
from tests.study_history import (
    START,
    History,
    now_after_history,
    open_bundled,
    study,
    utc_day_start,
)

GLOSSARY = "pedersen-2019: Glossary"


@pytest.fixture(scope="module")
def studied() -> Iterator[tuple[Library, History]]:
    library = open_bundled()
    yield library, study(library)
    library.close()


def test_summary_counts_today_and_thirty_day_retention(
    studied: tuple[Library, History],
) -> None:
    library, history = studied
    now = now_after_history()
    result = summary(library.store, now=now, day_start=utc_day_start(now))
    assert result.reviews_today == 10
    assert result.minutes_today == 5.0
    reviewed = [a for a in history.answers if a.state_before is State.REVIEW]
    passed = sum(a.rating is not Rating.AGAIN for a in reviewed)
    assert result.retention_30d == pytest.approx(passed / len(reviewed)) == 8 / 10
    assert result.total_reviews == len(history.answers) == 71


def test_cards_by_state_add_up_to_every_card(studied: tuple[Library, History]) -> None:
    library, history = studied
    states = cards_by_state(library.store)
    total = library.store.execute("SELECT count(*) FROM cards").fetchone()[0]
    assert sum(states.values()) == total == 250
    assert states["new"] == total - len(history.card_ids)
    assert states == {"new": 228, "learning": 3, "review": 18, "relearning": 1}


def test_interval_histogram_bins_the_review_cards(
    studied: tuple[Library, History],
) -> None:
    library, history = studied
    bins = interval_histogram(library.store)
    assert [b.low for b in bins] == list(INTERVAL_EDGES)
    assert bins[-1].high is None
    assert [b.label for b in bins] == [
        "1d",
        "2d",
        "3-6d",
        "1-2w",
        "2-4w",
        "1-2mo",
        "2-4mo",
        "4-12mo",
        "1y+",
    ]
    expected = [0] * len(bins)
    for card_id in history.card_ids:
        state = library.store.card_state(card_id)
        if state.state is State.REVIEW and state.last_review is not None:
            days = round((state.due - state.last_review) / timedelta(days=1))
            index = max(i for i, b in enumerate(bins) if b.low <= days or i == 0)
            expected[index] += 1
    assert [b.cards for b in bins] == expected
    assert sum(expected) == 18  # the review-state cards


def test_mastery_is_zero_until_a_section_is_studied() -> None:
    library = open_bundled()
    try:
        before = section_mastery(library.store, library.scheduler_for, now=START)
        assert {m.recall for m in before} == {0.0}
        assert {m.studied for m in before} == {0}
        key_points = next(m for m in before if m.label == "pedersen-2019: Key points")
        assert key_points.cards == 27  # 21 in its deck, 6 in the mechanisms deck

        queue = ReviewQueue(
            library.store,
            library.scheduler_for,
            ["pedersen-2019-key-points"],
            now=START,
            day_start=utc_day_start(START),
        )
        answered = set()
        for _ in range(5):
            card = queue.next_card(START)
            assert card is not None
            queue.answer(Rating.EASY, now=START)
            answered.add(card.id)
        later = START + timedelta(hours=1)
        after = {
            m.label: m
            for m in section_mastery(library.store, library.scheduler_for, now=later)
        }
    finally:
        library.close()
    risen = after["pedersen-2019: Key points"]
    assert risen.studied == len(answered) == 5
    assert 0 < risen.recall <= 5 / 27  # five of 27 cards, each recalled at most 1
    assert risen.recall == pytest.approx(5 / 27, rel=0.01)  # just answered Easy
    others = [m for label, m in after.items() if label != risen.label]
    assert {m.recall for m in others} == {0.0}


def test_mastery_is_the_mean_recall_weakest_first(
    studied: tuple[Library, History],
) -> None:
    library, history = studied
    now = now_after_history()
    mastery = section_mastery(library.store, library.scheduler_for, now=now)
    assert [m.recall for m in mastery] == sorted(m.recall for m in mastery)
    glossary = mastery[-1]
    assert glossary.label == GLOSSARY
    assert (glossary.cards, glossary.studied) == (40, 22)
    scheduler = library.scheduler_for("pedersen-2019-glossary")
    recalls = [
        scheduler.retrievability(library.store.card_state(i), now)
        for i in history.card_ids
    ]
    assert glossary.recall == pytest.approx(sum(recalls) / 40)
    assert glossary.recall == pytest.approx(0.533, abs=0.001)
    assert all(m.recall == 0.0 and m.studied == 0 for m in mastery[:-1])
    assert len(mastery) == 8

    only = section_mastery(
        library.store,
        library.scheduler_for,
        now=now,
        deck_ids=["pedersen-2019-glossary"],
    )
    # The glossary deck also quotes the References (issue 16).
    assert [(m.label, m.cards, m.studied) for m in only] == [
        ("pedersen-2019: References", 4, 0),
        (GLOSSARY, 38, 22),
    ]


def test_weakest_cards_are_studied_cards_lowest_recall_first(
    studied: tuple[Library, History],
) -> None:
    library, history = studied
    now = now_after_history()
    weakest = weakest_cards(library.store, library.scheduler_for, now=now, limit=50)
    assert {w.card_id for w in weakest} == history.card_ids
    assert [w.recall for w in weakest] == sorted(w.recall for w in weakest)
    scheduler = library.scheduler_for("pedersen-2019-glossary")
    lowest = min(
        scheduler.retrievability(library.store.card_state(i), now)
        for i in history.card_ids
    )
    assert weakest[0].recall == pytest.approx(lowest)
    assert weakest[0].recall == pytest.approx(0.902, abs=0.001)
    assert len(weakest_cards(library.store, library.scheduler_for, now=now)) == 20
    assert weakest_cards(library.store, library.scheduler_for, now=now, limit=0) == []


def test_ties_in_recall_go_to_the_card_with_more_lapses() -> None:
    library = open_bundled()
    try:
        ids = library.store.card_ids("pedersen-2019-glossary")[:2]
        library.store.set_due(ids, START)  # same state and recall for both
        library.store.execute(
            "UPDATE card_state SET lapses = 3 WHERE card_id = ?", (ids[1],)
        )
        weakest = weakest_cards(library.store, library.scheduler_for, now=START)
    finally:
        library.close()
    assert [(w.card_id, w.lapses) for w in weakest] == [(ids[1], 3), (ids[0], 0)]


def test_recall_computed_in_sql_is_the_schedulers_on_every_card(
    studied: tuple[Library, History],
) -> None:
    """Mastery, weakest cards and the planner compute recall in SQL (issue 21)."""
    library, history = studied
    store = library.store
    decks = store.deck_ids()
    schedulers = {}
    for index, deck_id in enumerate(decks):  # a curve of its own per deck
        parameters = list(DEFAULT_PARAMETERS)
        parameters[20] = 0.1 + 0.07 * index
        schedulers[deck_id] = Scheduler(parameters=parameters)
    now = now_after_history() + timedelta(days=9, hours=5)
    truth = {}  # card id -> (deck, section label, recall, lapses, state)
    for card in forecast(store, schedulers.__getitem__, decks, exam_at=now).cards:
        state = store.card_state(card.card_id)
        recall = schedulers[card.deck_id].retrievability(state, now)
        assert card.recall == recall  # bit for bit
        truth[card.card_id] = (card.section, recall, state)
    assert len(truth) == 250
    assert sum(r > 0 for _, r, _ in truth.values()) == len(history.card_ids)

    studied_ids = [i for i, t in truth.items() if t[2].state is not State.NEW]
    expected = sorted(
        studied_ids,
        key=lambda i: (round(truth[i][1], 6), -truth[i][2].lapses, i),
    )
    for limit in (1, 5, 50):
        weakest = weakest_cards(store, schedulers.__getitem__, now=now, limit=limit)
        assert [w.card_id for w in weakest] == expected[:limit]
        assert [w.recall for w in weakest] == [truth[i][1] for i in expected[:limit]]

    mastery = section_mastery(store, schedulers.__getitem__, now=now)
    assert sum(m.cards for m in mastery) == 250
    for m in mastery:
        members = [t for t in truth.values() if t[0] == m.label]
        assert m.cards == len(members)
        assert m.studied == sum(t[2].state is not State.NEW for t in members)
        mean = sum(t[1] for t in members) / len(members)
        assert m.recall == pytest.approx(mean, rel=1e-12, abs=1e-15)
    assert any(m.recall > 0 for m in mastery)


def test_interval_bins_round_half_days_as_python_does() -> None:
    """Intervals of exactly n.5 days fall where round() puts them (to even)."""
    library = open_bundled()
    try:
        ids = library.store.card_ids("pedersen-2019-glossary")[:12]
        day, half = 86_400_000, 43_200_000
        lengths = [
            1 * day + half,  # 1.5 -> 2
            2 * day + half,  # 2.5 -> 2
            6 * day + half,  # 6.5 -> 6
            13 * day + half,  # 13.5 -> 14
            29 * day + half,  # 29.5 -> 30
            364 * day + half,  # 364.5 -> 364
            365 * day + half,  # 365.5 -> 366
            3 * day - 1,
            -day,
            0,
            half,
            120 * day,
        ]
        for card_id, length in zip(ids, lengths, strict=True):
            library.store.execute(
                "UPDATE card_state SET state = 2, last_review = 1000, due = ?, "
                "stability = 5.0 WHERE card_id = ?",
                (1000 + length, card_id),
            )
        bins = interval_histogram(library.store)
    finally:
        library.close()
    expected = [0] * len(INTERVAL_EDGES)
    for length in lengths:
        days = round(length / 86_400_000)
        expected[max(0, bisect.bisect_right(INTERVAL_EDGES, days) - 1)] += 1
    assert [b.cards for b in bins] == expected
    assert expected == [3, 2, 2, 0, 1, 1, 0, 2, 1]


def _truth(library: Library, now: datetime) -> dict[int, tuple[str, float, CardState]]:
    """Card id -> (section label, recall now, state), card by card in Python."""
    store = library.store
    truth = {}
    decks = store.deck_ids()
    for card in forecast(store, library.scheduler_for, decks, exam_at=now).cards:
        state = store.card_state(card.card_id)
        recall = library.scheduler_for(card.deck_id).retrievability(state, now)
        truth[card.card_id] = (card.section, recall, state)
    return truth


def test_mastery_of_decks_without_sources_skips_the_note_join() -> None:
    """Decks quoting no source (Anki's) count in "" without a note look-up."""
    library = open_bundled()
    try:
        study(library)
        now = now_after_history()
        store = library.store
        # The studied glossary deck loses its sources, the others keep theirs;
        # one findings note loses its own: both sides give the "" section.
        store.execute(
            "UPDATE notes SET source_ref = NULL "
            "WHERE deck_id = 'pedersen-2019-glossary'"
        )
        note = store.execute(
            "SELECT note_id FROM notes WHERE deck_id = 'pedersen-2019-findings' "
            "ORDER BY note_id LIMIT 1"
        ).fetchone()[0]
        store.execute(
            "UPDATE notes SET source_ref = NULL WHERE deck_id = ? AND note_id = ?",
            ("pedersen-2019-findings", note),
        )
        assert sourced_decks(store, None) == [
            d for d in store.deck_ids() if d != "pedersen-2019-glossary"
        ]
        assert sourced_decks(store, ["pedersen-2019-glossary"]) == []
        truth = _truth(library, now)
        for deck_ids in (None, ["pedersen-2019-glossary"], ["pedersen-2019-findings"]):
            mastery = section_mastery(
                store, library.scheduler_for, now=now, deck_ids=deck_ids
            )
            chosen = set(store.deck_ids() if deck_ids is None else deck_ids)
            cards = {
                i: t
                for i, t in truth.items()
                if store.card(i).deck_id in chosen  # the deck's own cards
            }
            assert sum(m.cards for m in mastery) == len(cards)
            for m in mastery:
                members = [t for t in cards.values() if t[0] == m.label]
                assert m.cards == len(members) > 0
                assert m.studied == sum(t[2].state is not State.NEW for t in members)
                mean = sum(t[1] for t in members) / len(members)
                assert m.recall == pytest.approx(mean, rel=1e-12, abs=1e-15)
        everything = section_mastery(store, library.scheduler_for, now=now)
        unsourced = next(m for m in everything if m.source == "")
        assert unsourced.label == NO_SOURCE
        glossary = len(store.card_ids("pedersen-2019-glossary"))
        assert (unsourced.cards, unsourced.studied) == (glossary + 1, 22)
    finally:
        library.close()


def test_weakest_cards_read_further_while_the_rounding_can_reorder() -> None:
    """40 cards within 1e-6 of each other: the ranking rounds, then lapses."""
    library = open_bundled()
    try:
        store = library.store
        ids = store.card_ids("pedersen-2019-findings")[:40]
        store.set_due(ids, START + timedelta(days=3))
        for k, card_id in enumerate(ids):
            # Stabilities 1e-9 apart: recall rises by ~1e-10 per card, while
            # the lapses rise too, so SQLite's order is the reverse of the shown.
            store.execute(
                "UPDATE card_state SET last_review = ?, lapses = ?, "
                "stability = ? WHERE card_id = ?",
                (to_ms(START), k, 3.0 + k * 1e-9, card_id),
            )
        now = START + timedelta(days=2)
        truth = _truth(library, now)
        studied_ids = [i for i, t in truth.items() if t[2].state is not State.NEW]
        assert sorted(studied_ids) == sorted(ids)
        expected = sorted(
            studied_ids, key=lambda i: (round(truth[i][1], 6), -truth[i][2].lapses, i)
        )
        recalls = [truth[i][1] for i in ids]
        assert max(recalls) - min(recalls) < 1e-6
        assert recalls == sorted(recalls)
        assert len(set(recalls)) > 20
        for limit in (1, 3, 25, 40, 60):
            weakest = weakest_cards(store, library.scheduler_for, now=now, limit=limit)
            assert [w.card_id for w in weakest] == expected[:limit]
        assert expected[0] != ids[0]  # more lapses first, not SQLite's first
    finally:
        library.close()
