import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from studyapp.core.exam.questions import Question, QuestionType, Response
from studyapp.core.exam.session import ExamSession, ExamSpec, build_exam, feed_reviews
from studyapp.core.library import Library
from studyapp.core.model import CardKind, Rating
from studyapp.core.store.exams import CSV_COLUMNS, exam_csv, exam_history, save_exam
from tests.conftest import ROOT

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
DECKS = (
    "pedersen-2019-glossary",
    "pedersen-2019-mechanisms",
    "pedersen-2019-findings",
    "pedersen-2019-key-points",
    "correia-2021-neurturin",
)


@pytest.fixture
def bundled() -> Iterator[Library]:
    library = Library.in_memory()
    library.import_paths([ROOT / "decks"], now=NOW)
    yield library
    library.close()


def right(q: Question) -> Response:
    if q.type in (QuestionType.TYPED, QuestionType.CLOZE):
        return q.answer
    return q.key


def wrong(q: Question) -> Response:
    if q.type in (QuestionType.TYPED, QuestionType.CLOZE):
        return "no idea"
    if q.type in (QuestionType.MULTIPLE_CHOICE, QuestionType.TRUE_FALSE):
        return ((q.key[0] + 1) % len(q.options),)
    return tuple(reversed(q.key))


def take(session: ExamSession, *, mixed: bool = False) -> None:
    """Answer every question: all right, or (mixed) every other one wrong."""
    at = session.started_at
    while (q := session.current) is not None:
        at += timedelta(seconds=20)
        is_wrong = mixed and session.position % 2 == 0
        session.answer(wrong(q) if is_wrong else right(q), now=at)


def snapshot(library: Library) -> tuple[list[object], list[object]]:
    states = library.store.execute("SELECT * FROM card_state ORDER BY card_id")
    reviews = library.store.execute("SELECT * FROM reviews ORDER BY id")
    return list(states), list(reviews)


def test_build_exam_follows_the_spec(bundled: Library) -> None:
    spec = ExamSpec(
        DECKS,
        count=12,
        types=(QuestionType.MULTIPLE_CHOICE, QuestionType.TYPED),
        kinds=(CardKind.MECHANISM,),
        seed=3,
    )
    questions = build_exam(bundled.store, spec)
    assert len(questions) == 12
    assert {q.type for q in questions} == set(spec.types)
    assert {q.kind for q in questions} == {CardKind.MECHANISM}
    assert questions == build_exam(bundled.store, spec)


def test_sections_narrow_the_questions(bundled: Library) -> None:
    spec = ExamSpec(DECKS, count=10, sections=("Glossary",), seed=1)
    questions = build_exam(bundled.store, spec)
    assert questions
    assert {q.anchor.section for q in questions if q.anchor} == {"Glossary"}


def test_full_marks_and_per_section_scores_add_up(bundled: Library) -> None:
    spec = ExamSpec(DECKS, count=15, types=tuple(QuestionType), seed=11)
    session = ExamSession(spec, build_exam(bundled.store, spec), started_at=NOW)
    take(session)
    result = session.finish(now=NOW + timedelta(minutes=10))
    assert result.overall.score == result.overall.total == 15
    assert not result.wrong
    assert result.duration == timedelta(minutes=10)


def test_mixed_answers_are_scored_per_kind_and_section(bundled: Library) -> None:
    spec = ExamSpec(DECKS, count=20, types=tuple(QuestionType), seed=8)
    session = ExamSession(spec, build_exam(bundled.store, spec), started_at=NOW)
    take(session, mixed=True)
    result = session.finish(now=NOW + timedelta(minutes=7))
    total = result.overall
    assert 0 < total.score < total.total == 20
    for groups in (result.by_section, result.by_kind, result.by_type):
        assert sum(t.score for t in groups.values()) == pytest.approx(total.score)
        assert sum(t.total for t in groups.values()) == total.total
    assert len(result.by_section) > 1
    for record in result.wrong:
        assert record.question.answer
        assert record.question.anchor is not None
        assert record.question.anchor.quote


def test_an_exam_leaves_the_schedule_alone(bundled: Library) -> None:
    queue = bundled.review_queue(now=NOW)
    for _ in range(5):
        card = queue.next_card(NOW)
        assert card is not None
        queue.answer(Rating.GOOD, now=NOW)
    before = snapshot(bundled)
    spec = ExamSpec(DECKS, count=20, types=tuple(QuestionType), seed=2)
    session = ExamSession(spec, build_exam(bundled.store, spec), started_at=NOW)
    take(session, mixed=True)
    save_exam(bundled.store, session.finish(now=NOW + timedelta(minutes=5)))
    assert snapshot(bundled) == before


def test_feeding_results_in_records_reviews(bundled: Library) -> None:
    spec = ExamSpec(DECKS, count=6, types=(QuestionType.MULTIPLE_CHOICE,), seed=2)
    session = ExamSession(spec, build_exam(bundled.store, spec), started_at=NOW)
    take(session, mixed=True)
    result = session.finish(now=NOW + timedelta(minutes=2))
    fed = feed_reviews(
        bundled.store, bundled.scheduler_for, result, now=NOW + timedelta(minutes=2)
    )
    assert fed == 6
    reviews = list(bundled.store.execute("SELECT card_id, rating FROM reviews"))
    expected = {(a.question.card_id, 3 if a.is_correct else 1) for a in result.answers}
    assert set(reviews) == expected


def test_time_limit_ends_the_exam(bundled: Library) -> None:
    spec = ExamSpec(DECKS, count=5, time_limit=timedelta(minutes=1), seed=4)
    session = ExamSession(spec, build_exam(bundled.store, spec), started_at=NOW)
    first = session.current
    assert first is not None
    session.answer(right(first), now=NOW + timedelta(seconds=30))
    assert session.time_left(NOW + timedelta(seconds=45)) == timedelta(seconds=15)
    late = NOW + timedelta(minutes=2)
    assert session.is_over(late)
    with pytest.raises(ValueError, match="over"):
        session.answer(right(first), now=late)
    result = session.finish(now=late)
    assert result.timed_out
    assert result.duration == timedelta(minutes=1)
    assert result.overall.total == 5
    assert result.overall.score == 1
    assert [a.response is None for a in result.answers] == [False] + [True] * 4


def test_history_is_stored_and_exported_as_csv(bundled: Library) -> None:
    spec = ExamSpec(DECKS, count=8, types=tuple(QuestionType), seed=6)
    session = ExamSession(spec, build_exam(bundled.store, spec), started_at=NOW)
    take(session, mixed=True)
    result = session.finish(now=NOW + timedelta(minutes=3))
    exam_id = save_exam(bundled.store, result)
    [summary] = exam_history(bundled.store)
    assert summary.id == exam_id
    assert summary.score == pytest.approx(result.overall.score)
    assert summary.questions == 8
    rows = list(csv.DictReader(io.StringIO(exam_csv(bundled.store, exam_id))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 8
    assert sum(float(r["score"]) for r in rows) == pytest.approx(result.overall.score)
    assert all(r["quote"] and r["correct_answer"] for r in rows)
