"""Practice exams: choosing the questions, taking them against a clock, scoring.

An exam reads cards and never writes scheduling state; ``feed_reviews`` is
the one opt-in path from an exam's results into the review log.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from studyapp.core.exam.generate import QuestionMaker
from studyapp.core.exam.questions import (
    Question,
    QuestionType,
    Response,
    grade,
    response_text,
)
from studyapp.core.model import NO_SOURCE, Card, CardKind, Rating, SourceAnchor
from studyapp.core.store.database import Store
from studyapp.core.study.answer import record_answer
from studyapp.core.study.scheduling import Scheduler

DEFAULT_TYPES = (
    QuestionType.MULTIPLE_CHOICE,
    QuestionType.TRUE_FALSE,
    QuestionType.TYPED,
    QuestionType.MATCHING,
    QuestionType.ORDERING,
)


@dataclass(frozen=True, slots=True)
class ExamSpec:
    """What an exam is made of. Empty ``kinds`` or ``sections`` mean all."""

    deck_ids: tuple[str, ...]
    count: int = 20
    types: tuple[QuestionType, ...] = DEFAULT_TYPES
    kinds: tuple[CardKind, ...] = ()
    sections: tuple[str, ...] = ()
    seed: int = 0
    time_limit: timedelta | None = None


def section_label(anchor: SourceAnchor | None) -> str:
    """The source section a question is scored under: ``ref: section``."""
    if anchor is None:
        return NO_SOURCE
    return f"{anchor.ref}: {anchor.section}"


def exam_cards(store: Store, deck_ids: Iterable[str]) -> list[Card]:
    """The live cards of some decks, in deck order."""
    return [store.card(i) for deck_id in deck_ids for i in store.card_ids(deck_id)]


def build_exam(store: Store, spec: ExamSpec) -> list[Question]:
    """The questions of an exam; the same spec (and seed) gives the same exam.

    Every card of the chosen decks can give distractors; only cards of the
    chosen kinds and sections (matched by section name or ``ref: section``)
    are asked about.
    """
    cards = exam_cards(store, spec.deck_ids)
    asked = [
        c.id
        for c in cards
        if (not spec.kinds or c.kind in spec.kinds)
        and (
            not spec.sections
            or (c.source is not None and c.source.section in spec.sections)
            or section_label(c.source) in spec.sections
        )
    ]
    return generate_questions(
        cards, types=spec.types, count=spec.count, seed=spec.seed, asked=asked
    )


def generate_questions(
    cards: Iterable[Card],
    *,
    types: Sequence[QuestionType],
    count: int,
    seed: int,
    asked: Iterable[int] | None = None,
) -> list[Question]:
    """Up to ``count`` questions, the types taken in turn; same seed, same exam.

    Args:
        cards: The cards of the chosen decks; all of them may give distractors.
        types: The question types to use, in turn; a type with no card left
            that fits it drops out.
        count: How many questions to make (fewer if the cards run out).
        seed: Seeds the one random generator behind every choice.
        asked: Ids of the cards that may be asked about (default: all).

    Returns:
        The questions in the order they are to be asked. No note is asked
        twice, and each mechanism's chain of steps is ordered at most once.
    """
    rng = random.Random(seed)
    maker = QuestionMaker(cards, rng)
    allowed = set(asked) if asked is not None else {c.id for c in maker.cards}
    targets = [c for c in maker.cards if c.id in allowed]
    queues: dict[QuestionType, list[Card]] = {}
    for kind in dict.fromkeys(types):
        queue = list(targets)
        rng.shuffle(queue)
        queues[kind] = queue
    used = _Used(maker.avoid)
    questions: list[Question] = []
    live = list(queues)
    turn = 0
    while len(questions) < count and live:
        kind = live[turn % len(live)]
        question = _next_question(maker, kind, queues[kind], used)
        if question is None:
            live.remove(kind)
            continue
        questions.append(question)
        turn += 1
    return questions


@dataclass(slots=True)
class _Used:
    """Notes already asked about, and mechanism chains already ordered."""

    notes: set[tuple[str, str]]  # shared with the maker's ``avoid``
    chains: set[tuple[str, ...]] = field(default_factory=set)


def _next_question(
    maker: QuestionMaker, kind: QuestionType, queue: list[Card], used: _Used
) -> Question | None:
    ordering = kind is QuestionType.ORDERING
    while queue:
        card = queue.pop()
        if (card.deck_id, card.note_id) in used.notes or (
            ordering and card.steps in used.chains
        ):
            continue
        question = maker.make(kind, card)
        if question is None:
            continue
        asked = maker.card(question.card_id)  # ordering asks on the chain's card
        note = (asked.deck_id, asked.note_id)
        if note in used.notes:
            continue
        for card_id in question.card_ids:  # a matching question uses several
            other = maker.card(card_id)
            used.notes.add((other.deck_id, other.note_id))
        if ordering:
            used.chains.add(card.steps)
        return question
    return None


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """One question as answered (``response`` None: not answered in time)."""

    question: Question
    response: Response | None
    score: float
    seconds: float = 0.0

    @property
    def is_correct(self) -> bool:
        """Full marks."""
        return self.score >= 1.0

    @property
    def response_text(self) -> str:
        """The response as the learner would read it back."""
        return response_text(self.question, self.response)


@dataclass(frozen=True, slots=True)
class Tally:
    """Points scored out of questions asked."""

    score: float = 0.0
    total: int = 0

    @property
    def fraction(self) -> float:
        """Score over total, 0 when nothing was asked."""
        return self.score / self.total if self.total else 0.0

    def add(self, score: float) -> Tally:
        """This tally with one more question."""
        return Tally(self.score + score, self.total + 1)


@dataclass(frozen=True, slots=True)
class ExamResult:
    """A finished exam: every answer, and totals overall, per kind and section."""

    spec: ExamSpec
    started_at: datetime
    finished_at: datetime
    answers: tuple[AnswerRecord, ...]
    timed_out: bool = False

    @property
    def duration(self) -> timedelta:
        """Time taken."""
        return self.finished_at - self.started_at

    @property
    def overall(self) -> Tally:
        """Points over all questions."""
        return _tally(self.answers, lambda a: "all").get("all", Tally())

    @property
    def by_kind(self) -> dict[str, Tally]:
        """Points per card kind (glossary, mechanism, finding...)."""
        return _tally(self.answers, lambda a: a.question.kind.value)

    @property
    def by_section(self) -> dict[str, Tally]:
        """Points per source section (``ref: section``)."""
        return _tally(self.answers, lambda a: section_label(a.question.anchor))

    @property
    def by_type(self) -> dict[str, Tally]:
        """Points per question type."""
        return _tally(self.answers, lambda a: a.question.type.value)

    @property
    def wrong(self) -> list[AnswerRecord]:
        """The answers without full marks, in exam order."""
        return [a for a in self.answers if not a.is_correct]


def _tally(
    answers: Iterable[AnswerRecord], key: Callable[[AnswerRecord], str]
) -> dict[str, Tally]:
    result: dict[str, Tally] = {}
    for answer in answers:
        name = key(answer)
        result[name] = result.get(name, Tally()).add(answer.score)
    return dict(sorted(result.items()))


@dataclass(slots=True)
class ExamSession:
    """An exam being taken: one question at a time, against an optional clock.

    Nothing here touches the store; call ``finish`` for the result.
    """

    spec: ExamSpec
    questions: list[Question]
    started_at: datetime
    answers: list[AnswerRecord] = field(default_factory=list)
    _shown_at: datetime | None = field(default=None, init=False)

    @property
    def current(self) -> Question | None:
        """The question to answer now, or None when all are answered."""
        if len(self.answers) >= len(self.questions):
            return None
        return self.questions[len(self.answers)]

    @property
    def position(self) -> int:
        """How many questions have been answered."""
        return len(self.answers)

    def deadline(self) -> datetime | None:
        """When time runs out, if the exam is timed."""
        if self.spec.time_limit is None:
            return None
        return self.started_at + self.spec.time_limit

    def time_left(self, now: datetime) -> timedelta | None:
        """Time left on the clock (never negative), if the exam is timed."""
        deadline = self.deadline()
        return None if deadline is None else max(deadline - now, timedelta(0))

    def is_over(self, now: datetime) -> bool:
        """Whether every question is answered or the time is up."""
        deadline = self.deadline()
        return self.current is None or (deadline is not None and now >= deadline)

    def answer(self, response: Response | None, *, now: datetime) -> AnswerRecord:
        """Answer (or with None, skip) the current question.

        Raises:
            ValueError: If the exam is over (all answered or out of time).
        """
        question = self.current
        if question is None or self.is_over(now):
            raise ValueError("the exam is over")
        shown = self._shown_at or self.started_at
        record = AnswerRecord(
            question,
            response,
            grade(question, response),
            max(0.0, (now - shown).total_seconds()),
        )
        self.answers.append(record)
        self._shown_at = now
        return record

    def finish(self, *, now: datetime) -> ExamResult:
        """The result; questions not reached count as unanswered (no points)."""
        deadline = self.deadline()
        timed_out = deadline is not None and now >= deadline
        records = list(self.answers)
        records += [AnswerRecord(q, None, 0.0) for q in self.questions[len(records) :]]
        end = min(now, deadline) if timed_out and deadline is not None else now
        return ExamResult(self.spec, self.started_at, end, tuple(records), timed_out)


def feed_reviews(
    store: Store,
    scheduler_for: Callable[[str], Scheduler],
    result: ExamResult,
    *,
    now: datetime,
) -> int:
    """Record an exam's answers as reviews (opt-in): right is Good, wrong Again.

    Each card goes through ``record_answer`` as in the review queue; a
    matching question rates each of its pairs on its own. Unanswered
    questions are not fed in.

    Returns:
        How many reviews were recorded.
    """
    ratings: dict[int, Rating] = {}
    for answer in result.answers:
        if answer.response is None:
            continue
        question = answer.question
        if question.type is QuestionType.MATCHING and isinstance(
            answer.response, tuple
        ):
            for i, card_id in enumerate(question.card_ids):
                right = (
                    i < len(answer.response) and answer.response[i] == question.key[i]
                )
                ratings[card_id] = min(
                    ratings.get(card_id, Rating.EASY), _rating(right)
                )
        else:
            previous = ratings.get(question.card_id, Rating.EASY)
            ratings[question.card_id] = min(previous, _rating(answer.is_correct))
    for card_id, rating in ratings.items():
        scheduler = scheduler_for(store.card(card_id).deck_id)
        record_answer(store, scheduler, card_id, rating, now=now)
    return len(ratings)


def _rating(right: bool) -> Rating:
    return Rating.GOOD if right else Rating.AGAIN
