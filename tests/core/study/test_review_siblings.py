"""Siblings buried until the next day; cards of one passage kept apart."""

from dataclasses import replace
from datetime import datetime, timedelta

from studyapp.core.library import Library
from studyapp.core.model import (
    Card,
    CardKind,
    CardSpec,
    Deck,
    Rating,
    Source,
    SourceAnchor,
)
from studyapp.core.store.study_rows import typed_answer
from studyapp.core.study.review import ReviewQueue
from studyapp.core.study.session import TypedAnswer


def _session(queue: ReviewQueue, now: datetime) -> list[Card]:
    seen = []
    while (card := queue.next_card(now)) is not None:
        seen.append(card)
        queue.answer(Rating.EASY, now=now)
    return seen


def test_siblings_wait_until_the_next_day(library: Library, now: datetime) -> None:
    seen = _session(library.review_queue(now=now), now)
    # One card per note today: cathepsin-b's reverse and the second cloze wait.
    assert [(c.note_id, c.ord) for c in seen] == [
        ("myokines", 0),
        ("cathepsin-b", 0),
        ("il6-cloze", 1),
    ]
    # A new session the same day still does not bring them.
    later = now + timedelta(hours=2)
    again = library.review_queue(now=later)
    assert all(
        c.note_id not in {s.note_id for s in seen} or c.id in {s.id for s in seen}
        for c in _session(again, later)
    )
    tomorrow = now + timedelta(days=1)
    next_day = [
        (c.note_id, c.ord)
        for c in _session(library.review_queue(now=tomorrow), tomorrow)
    ]
    assert ("cathepsin-b", 1) in next_day
    assert ("il6-cloze", 2) in next_day


def test_undo_brings_a_buried_sibling_back(library: Library, now: datetime) -> None:
    queue = library.review_queue(now=now)
    first = _session(queue, now)
    assert len(first) == 3
    assert queue.buried == 2
    while queue.can_undo:
        queue.undo()
    assert queue.buried == 0


def _passage_deck(now: datetime) -> Deck:
    anchor = SourceAnchor("doc", "Results", "Exercise raises IL-6 in the blood.")
    other = SourceAnchor("doc", "Methods", "Mice ran on wheels.")
    kind = CardKind.KEY_POINT

    def spec(key: str, front: str, back: str, source: SourceAnchor) -> CardSpec:
        return CardSpec(key, kind, front=front, back=back, source=source)

    specs = (
        spec("a-question", "What rises?", "IL-6", anchor),
        spec("b-cloze", "Exercise raises what?", "IL-6", anchor),
        spec("c-other", "What did mice do?", "Ran", other),
    )
    text = "Mice ran on wheels. Exercise raises IL-6 in the blood."
    source = Source("doc", "A document", text=text)
    return Deck("passages", "Passages", kind, sources=(source,), cards=specs, path="x")


def test_cards_of_one_passage_are_kept_apart(library: Library, now: datetime) -> None:
    library.import_decks([_passage_deck(now)], now=now)
    queue = library.review_queue(["passages"], now=now)
    order = [c.note_id for c in _session(queue, now)]
    assert order == ["a-question", "c-other", "b-cloze"]


def test_keeping_passages_apart_is_a_setting(library: Library, now: datetime) -> None:
    library.import_decks([_passage_deck(now)], now=now)
    settings = replace(library.settings("passages"), separate_passages=False)
    library.save_settings(settings, "passages")
    queue = library.review_queue(["passages"], now=now)
    order = [c.note_id for c in _session(queue, now)]
    assert order == ["a-question", "b-cloze", "c-other"]


def test_a_typed_answer_and_its_override_are_recorded(
    library: Library, now: datetime
) -> None:
    queue = library.review_queue(now=now)
    assert queue.next_card(now) is not None
    queue.answer(
        Rating.GOOD, now=now, typed=TypedAnswer("neuron identity", False, True)
    )
    row = library.store.execute("SELECT max(id) FROM reviews").fetchone()
    assert typed_answer(library.store, row[0]) == ("neuron identity", False, True)
    queue.undo()
    assert typed_answer(library.store, row[0]) is None
