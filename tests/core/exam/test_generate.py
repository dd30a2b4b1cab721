import random
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from studyapp.core.exam.generate import QuestionMaker, roles
from studyapp.core.exam.questions import (
    Question,
    QuestionType,
    grade,
    is_typed_match,
    normalise,
    parse_response,
)
from studyapp.core.exam.session import exam_cards, generate_questions
from studyapp.core.library import Library
from studyapp.core.model import Card, CardKind, CardType
from tests.conftest import ROOT

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def cards() -> Iterator[list[Card]]:
    library = Library.in_memory()
    library.import_paths([ROOT / "decks"], now=NOW)
    decks = [c.id for c in library.deck_counts(now=NOW)]
    yield exam_cards(library.store, decks)
    library.close()


def _all(cards: list[Card], kind: QuestionType, seed: int = 1) -> list[Question]:
    maker = QuestionMaker(cards, random.Random(seed))
    return [q for c in maker.cards if (q := maker.make(kind, c)) is not None]


def test_bundled_decks_give_every_question_type(cards: list[Card]) -> None:
    for kind in QuestionType:
        assert _all(cards, kind), kind


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_multiple_choice_has_one_right_answer_among_options(
    cards: list[Card], seed: int
) -> None:
    answers_by_prompt: dict[str, set[str]] = defaultdict(set)
    for card in cards:
        maker_answer = QuestionMaker([card], random.Random(0)).answer(card)
        answers_by_prompt[normalise(card.front)].add(normalise(maker_answer))
    questions = _all(cards, QuestionType.MULTIPLE_CHOICE, seed)
    assert len(questions) > 50
    for q in questions:
        options = [normalise(o) for o in q.options]
        assert len(options) == 4
        assert len(set(options)) == 4, q.options
        assert options.count(normalise(q.answer)) == 1
        assert q.options[q.key[0]] == q.answer
        prompt = normalise(next(c.front for c in cards if c.id == q.card_id))
        for i, option in enumerate(options):
            if i != q.key[0]:
                assert option not in answers_by_prompt[prompt], (q.prompt, option)


def test_distractors_come_from_the_same_deck_kind_and_role(cards: list[Card]) -> None:
    maker = QuestionMaker(cards, random.Random(4))
    by_answer: dict[str, list[Card]] = defaultdict(list)
    for card in cards:
        by_answer[normalise(maker.answer(card))].append(card)
    for q in _all(cards, QuestionType.MULTIPLE_CHOICE, 4):
        asked = next(c for c in cards if c.id == q.card_id)
        for i, option in enumerate(q.options):
            if i == q.key[0]:
                continue
            sources = by_answer[normalise(option)]
            assert any(
                s.kind is asked.kind
                and s.deck_id == asked.deck_id
                and maker.role[s.id] == maker.role[asked.id]
                for s in sources
            ), (q.prompt, option)


def test_study_questions_are_answered_by_other_studies(cards: list[Card]) -> None:
    questions = [
        q
        for q in _all(cards, QuestionType.MULTIPLE_CHOICE)
        if q.deck_id == "pedersen-2019-findings" and q.prompt.startswith("Which study")
    ]
    assert len(questions) >= 20
    for q in questions:  # each option names a study: "Aberg et al., 2009."
        assert all(
            re.fullmatch(r"[^,]+, (19|20)\d\d\.", option) for option in q.options
        ), q.options


def test_no_distractor_names_the_same_study(cards: list[Card]) -> None:
    maker = QuestionMaker(cards, random.Random(0))
    for card in cards:
        study = card.study
        if study is None:
            continue
        surname = normalise(study.authors.split(",")[0])
        for other in maker.siblings(card):
            if other.study == study:
                names = [normalise(maker.answer(c)) for c in (card, other)]
                assert not all(
                    surname in n or normalise(study.journal) in n for n in names
                )


def test_mediators_are_offered_against_other_mediators(cards: list[Card]) -> None:
    role = roles(cards)
    mediators = {c.id for c in cards if role[c.id] == "mediator"}
    assert len(mediators) >= 4
    maker = QuestionMaker(cards, random.Random(2))
    for card in cards:
        if card.id in mediators:
            assert {role[s.id] for s in maker.siblings(card)} == {"mediator"}


def test_same_seed_gives_the_same_exam(cards: list[Card]) -> None:
    types = list(QuestionType)
    first = generate_questions(cards, types=types, count=20, seed=42)
    again = generate_questions(list(reversed(cards)), types=types, count=20, seed=42)
    other = generate_questions(cards, types=types, count=20, seed=43)
    assert first == again
    assert first != other
    assert len(first) == 20
    assert {q.type for q in first} == set(types)


def test_exam_asks_no_note_twice(cards: list[Card]) -> None:
    questions = generate_questions(cards, types=list(QuestionType), count=60, seed=5)
    asked = [(q.deck_id, q.card_id) for q in questions]
    by_id = {c.id: c for c in cards}
    notes = [
        (by_id[i].deck_id, by_id[i].note_id) for q in questions for i in q.card_ids
    ]
    assert len(set(asked)) == len(asked)
    assert len(set(notes)) == len(notes)


@pytest.mark.parametrize(
    ("response", "expected", "accepted"),
    [
        ("kynurenic acid", "Kynurenic acid", True),
        ("kynurenic acd", "Kynurenic acid", True),
        ("Kynurenic  Acid.", "Kynurenic acid", True),
        ("kynurenicacid", "Kynurenic acid", True),
        ("kynurenine", "Kynurenic acid", False),
        ("kynurenic", "Kynurenic acid", False),
        ("cathepsin b", "Cathepsin B.", True),
        ("il6", "IL-6.", True),
        ("IL-8", "IL-6.", False),
        ("60 min", "150 min", False),
        ("sarcopenea", "Sarcopenia", True),
        ("", "Sarcopenia", False),
        ("adiponectn", "Adiponectin.", True),
        ("fndc4", "FNDC5.", False),
        ("their identity", "Their identity (motor neuron identity).", True),
        (
            "their identity motor neuron identity",
            "Their identity (motor neuron identity).",
            True,
        ),
        ("their", "Their identity (motor neuron identity).", False),
    ],
)
def test_typed_answers_forgive_small_slips_only(
    response: str, expected: str, accepted: bool
) -> None:
    assert is_typed_match(response, expected) is accepted


def test_true_false_swaps_in_a_sibling_answer_when_false(cards: list[Card]) -> None:
    maker = QuestionMaker(cards, random.Random(0))
    questions = _all(cards, QuestionType.TRUE_FALSE, 3)
    assert {q.key for q in questions} == {(0,), (1,)}
    for q in questions:
        card = maker.card(q.card_id)
        right = maker.answer(card)
        if card.type is CardType.CLOZE:
            shown_right = q.prompt == card.front.replace("[...]", right, 1)
        else:
            assert q.prompt.startswith(card.front)
            shown = q.prompt.split("\n→ ")[-1]
            shown_right = shown == right
            if not shown_right:
                assert any(maker.answer(s) == shown for s in maker.siblings(card))
        assert shown_right is (q.key == (0,)), q.prompt
        assert grade(q, q.key) == 1.0
        assert grade(q, (1 - q.key[0],)) == 0.0


def test_matching_pairs_four_to_six_items(cards: list[Card]) -> None:
    for q in _all(cards, QuestionType.MATCHING):
        assert 4 <= len(q.items) <= 6
        assert sorted(q.key) == list(range(len(q.items)))
        assert len(q.card_ids) == len(q.items)
        assert len({normalise(o) for o in q.options}) == len(q.options)
        assert grade(q, q.key) == 1.0
        wrong = (q.key[1], q.key[0], *q.key[2:])
        assert grade(q, wrong) == pytest.approx(1 - 2 / len(q.key))


def test_ordering_key_restores_the_steps(cards: list[Card]) -> None:
    questions = _all(cards, QuestionType.ORDERING)
    assert questions
    for q in questions:
        card = next(c for c in cards if c.id == q.card_id)
        assert tuple(q.options[i] for i in q.key) == card.steps
        assert list(q.options) != list(card.steps)
        assert grade(q, q.key) == 1.0
        assert grade(q, tuple(range(len(q.options)))) < 1.0


def test_cloze_questions_take_the_deleted_words(cards: list[Card]) -> None:
    questions = _all(cards, QuestionType.CLOZE)
    assert questions
    for q in questions:
        card = next(c for c in cards if c.id == q.card_id)
        assert card.type is CardType.CLOZE
        assert "[" in q.prompt
        assert f"<b>{q.answer}</b>" in card.back
        assert grade(q, q.answer.upper()) == 1.0
        assert grade(q, "something else entirely") == 0.0


def test_every_question_carries_its_card_and_anchor(cards: list[Card]) -> None:
    by_id = {c.id: c for c in cards}
    for q in generate_questions(cards, types=list(QuestionType), count=40, seed=9):
        card = by_id[q.card_id]
        assert (q.deck_id, q.kind, q.anchor) == (card.deck_id, card.kind, card.source)
        assert q.anchor is not None
        assert q.anchor.quote
        assert q.answer


@pytest.mark.parametrize(
    ("kind", "options", "text", "expected"),
    [
        (QuestionType.MULTIPLE_CHOICE, ("a", "b", "c", "d"), "c", (2,)),
        (QuestionType.MULTIPLE_CHOICE, ("a", "b", "c", "d"), "z", None),
        (QuestionType.TRUE_FALSE, ("True", "False"), "false", (1,)),
        (QuestionType.MATCHING, ("x", "y", "z"), "CAB", (2, 0, 1)),
        (QuestionType.ORDERING, ("x", "y", "z"), "3 1 2", (2, 0, 1)),
        (QuestionType.TYPED, (), " kynurenic acid ", "kynurenic acid"),
        (QuestionType.TYPED, (), "   ", None),
    ],
)
def test_typed_input_becomes_a_response(
    kind: QuestionType, options: tuple[str, ...], text: str, expected: object
) -> None:
    question = Question(
        type=kind,
        card_id=1,
        deck_id="d",
        kind=CardKind.GLOSSARY,
        anchor=None,
        prompt="?",
        answer="a",
        options=options,
    )
    assert parse_response(question, text) == expected
