from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from studyapp.core.errors import StudyAppError
from studyapp.core.library import Library
from studyapp.core.model import Rating
from studyapp.core.study.planner import StudySession, forecast
from tests.conftest import ROOT

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
EXAM = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
DECKS = ["pedersen-2019-glossary", "pedersen-2019-mechanisms"]


@pytest.fixture
def bundled() -> Iterator[Library]:
    library = Library.in_memory()
    library.import_paths([ROOT / "decks"], now=NOW)
    yield library
    library.close()


def study(library: Library, card_ids: list[int], at: datetime) -> None:
    session = StudySession(library.store, library.scheduler_for, card_ids)
    while session.current is not None:
        session.answer(Rating.GOOD, now=at)


def test_new_cards_are_predicted_as_forgotten(bundled: Library) -> None:
    result = forecast(bundled.store, bundled.scheduler_for, DECKS, exam_at=EXAM)
    assert result.cards
    assert result.recall == 0.0
    assert {s.section for s in result.sections} >= {
        "pedersen-2019: Glossary",
        "pedersen-2019: Abstract",
    }
    assert all(s.new == s.cards for s in result.sections)


def test_forecast_drops_for_cards_not_reviewed(bundled: Library) -> None:
    ids = bundled.store.card_ids(DECKS[0])[:8]
    study(bundled, ids, NOW)
    study(bundled, ids, NOW + timedelta(days=1))
    early, late = (
        forecast(bundled.store, bundled.scheduler_for, DECKS[:1], exam_at=at)
        for at in (EXAM, EXAM + timedelta(days=30))
    )
    studied = {c.card_id: c.recall for c in early.cards if c.card_id in ids}
    later = {c.card_id: c.recall for c in late.cards if c.card_id in ids}
    assert all(0 < later[i] < studied[i] < 1 for i in ids)
    assert late.recall < early.recall


def test_forecast_rises_after_reviewing(bundled: Library) -> None:
    ids = bundled.store.card_ids(DECKS[0])
    study(bundled, ids[:5], NOW)
    before = forecast(bundled.store, bundled.scheduler_for, DECKS[:1], exam_at=EXAM)
    weakest = before.study_order()[:10]
    assert not set(weakest) & set(ids[:5])  # new cards come first
    study(bundled, weakest, NOW + timedelta(days=2))
    after = forecast(bundled.store, bundled.scheduler_for, DECKS[:1], exam_at=EXAM)
    assert after.recall > before.recall
    # The glossary deck quotes the Glossary and, for a few cards (issue 16:
    # abbreviations, muscle as an organ), the References.
    glossary_before, glossary_after = (
        next(s for s in f.sections if s.section == "pedersen-2019: Glossary")
        for f in (before, after)
    )
    assert glossary_after.recall > glossary_before.recall
    assert sum(s.new for s in after.sections) == (
        sum(s.new for s in before.sections) - 10
    )
    # Reviewing a card again nearer the exam raises its own forecast.
    one = ids[0]
    old = next(c.recall for c in after.cards if c.card_id == one)
    study(bundled, [one], NOW + timedelta(days=4))
    again = forecast(bundled.store, bundled.scheduler_for, DECKS[:1], exam_at=EXAM)
    assert next(c.recall for c in again.cards if c.card_id == one) > old


def test_study_order_puts_weakest_first(bundled: Library) -> None:
    ids = bundled.store.card_ids(DECKS[0])
    study(bundled, ids[:3], NOW)
    study(bundled, ids[3:6], NOW + timedelta(days=10))
    result = forecast(bundled.store, bundled.scheduler_for, DECKS[:1], exam_at=EXAM)
    order = result.study_order()
    recall = {c.card_id: c.recall for c in result.cards}
    assert [recall[i] for i in order] == sorted(recall[i] for i in order)
    assert order[-3:] == sorted(ids[3:6], key=lambda i: (recall[i], i))


def test_study_session_answers_and_undoes(bundled: Library) -> None:
    ids = bundled.store.card_ids(DECKS[1])[:2]
    session = StudySession(bundled.store, bundled.scheduler_for, ids)
    first = session.current
    assert first is not None
    assert first.id == ids[0]
    session.answer(Rating.GOOD, now=NOW)
    assert session.remaining.total == 1
    assert session.undo().id == ids[0]
    assert bundled.store.card_state(ids[0]).reps == 0
    with pytest.raises(StudyAppError):
        session.undo()


def test_forecast_reads_every_deck_in_one_query(bundled: Library) -> None:
    decks = bundled.store.deck_ids()[::-1]  # the order given is kept
    assert len(decks) >= 3
    study(bundled, bundled.store.card_ids(decks[1])[:6], NOW)
    forecast(bundled.store, bundled.scheduler_for, decks, exam_at=EXAM)  # schedulers
    statements: list[str] = []
    bundled.store.conn.set_trace_callback(statements.append)
    try:
        whole = forecast(bundled.store, bundled.scheduler_for, decks, exam_at=EXAM)
    finally:
        bundled.store.conn.set_trace_callback(None)
    assert len(statements) == 1, statements
    # The same cards, recall and order as deck by deck.
    one_by_one = [
        card
        for deck in decks
        for card in forecast(
            bundled.store, bundled.scheduler_for, [deck], exam_at=EXAM
        ).cards
    ]
    assert list(whole.cards) == one_by_one
    assert [c.card_id for c in whole.cards if c.deck_id == decks[0]] == (
        bundled.store.card_ids(decks[0])
    )
    assert sum(c.recall > 0 for c in whole.cards) == 6
    assert forecast(bundled.store, bundled.scheduler_for, [], exam_at=EXAM).cards == ()
