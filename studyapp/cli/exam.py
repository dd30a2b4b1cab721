"""`studyapp exam`, `exams` and `plan`: practice exams and exam-date planning."""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from studyapp.cli.common import open_library
from studyapp.core.clock import exam_time
from studyapp.core.decks.richtext import to_plain_text
from studyapp.core.errors import StudyAppError
from studyapp.core.exam.questions import LETTERS, Question, QuestionType, parse_response
from studyapp.core.exam.session import (
    DEFAULT_TYPES,
    ExamResult,
    ExamSession,
    ExamSpec,
    Tally,
)
from studyapp.core.library import Library, utc_now
from studyapp.core.model import CardKind, Rating
from studyapp.core.study.planner import StudySession

if TYPE_CHECKING:
    from studyapp.cli.common import Subparsers

BAR_WIDTH = 20


def add_commands(sub: Subparsers) -> None:
    """Register the exam, exams and plan subcommands."""
    exam = sub.add_parser(
        "exam",
        help="take a practice exam in the terminal (or print it with --json)",
        description="Take a practice exam generated from the decks; answers are "
        "read from stdin. The review schedule is left alone unless "
        "--feed-reviews is given. --json prints the questions with their "
        "answers and source anchors instead of running the exam.",
    )
    exam.add_argument("--deck", action="append", help="deck id (repeat; default all)")
    exam.add_argument("--questions", type=int, default=10, help="how many (10)")
    exam.add_argument(
        "--types",
        default=",".join(t.value for t in DEFAULT_TYPES),
        help="comma-separated: " + ",".join(t.value for t in QuestionType),
    )
    exam.add_argument("--kinds", default="", help="comma-separated card kinds")
    exam.add_argument("--section", action="append", help="source section (repeat)")
    exam.add_argument("--seed", type=int, help="same seed, same exam (default random)")
    exam.add_argument("--time-limit", type=float, help="minutes")
    exam.add_argument(
        "--feed-reviews",
        action="store_true",
        help="record the answers as reviews (right: Good, wrong: Again)",
    )
    exam.add_argument("--json", action="store_true", help="print the questions")
    exam.set_defaults(handler=run_exam)

    history = sub.add_parser(
        "exams",
        help="list past exams, or export one as CSV",
        description="List past exams with their scores; --csv ID prints one "
        "exam's answers as CSV.",
    )
    history.add_argument("--csv", type=int, metavar="ID", help="exam id to export")
    history.set_defaults(handler=run_history)

    plan = sub.add_parser(
        "plan",
        help="predicted recall on an exam date, and what to study first",
        description="Predict recall per source section on the exam date from "
        "each card's FSRS state (new cards count as 0) and list the cards "
        "weakest on that day; --study N reviews the N weakest now.",
    )
    plan.add_argument("--deck", action="append", help="deck id (repeat; default all)")
    plan.add_argument("--date", required=True, help="exam date, YYYY-MM-DD")
    plan.add_argument("--top", type=int, default=10, help="weakest cards to list")
    plan.add_argument("--study", type=int, default=0, help="review N weakest now")
    plan.add_argument("--json", action="store_true", help="print JSON for scripts")
    plan.set_defaults(handler=run_plan)


def _open(args: argparse.Namespace) -> tuple[Library, list[str]]:

    library = open_library(args)
    known = [c.id for c in library.deck_counts()]
    decks = args.deck or known
    unknown = sorted(set(decks) - set(known))
    if unknown:
        library.close()
        raise StudyAppError(f"no deck named {', '.join(unknown)}")
    return library, decks


def _spec(args: argparse.Namespace, decks: list[str]) -> ExamSpec:
    try:
        types = tuple(QuestionType(t.strip()) for t in args.types.split(",") if t)
        kinds = tuple(CardKind(k.strip()) for k in args.kinds.split(",") if k)
    except ValueError as error:
        raise StudyAppError(str(error)) from None
    return ExamSpec(
        deck_ids=tuple(decks),
        count=args.questions,
        types=types or DEFAULT_TYPES,
        kinds=kinds,
        sections=tuple(args.section or ()),
        seed=args.seed if args.seed is not None else random.randrange(1_000_000),
        time_limit=timedelta(minutes=args.time_limit) if args.time_limit else None,
    )


def run_exam(args: argparse.Namespace) -> int:
    """Generate an exam; print it (--json) or take it in the terminal."""
    library, decks = _open(args)
    try:
        spec = _spec(args, decks)
        questions = library.build_exam(spec)
        if args.json:
            data = {
                "seed": spec.seed,
                "questions": [question_to_dict(q) for q in questions],
            }
            print(json.dumps(data, indent=2, ensure_ascii=False))
            return 0
        if not questions:
            raise StudyAppError("these decks and settings give no questions")
        result = _take(ExamSession(spec, questions, started_at=utc_now()))
        exam_id, fed = library.finish_exam(
            result, record_reviews=args.feed_reviews, now=utc_now()
        )
        print_result(result)
        if args.feed_reviews:
            print(f"\n{fed} answers recorded as reviews.")
        print(
            f"\nSaved as exam {exam_id} (seed {spec.seed}); "
            f"`studyapp exams --csv {exam_id}` exports it."
        )
        return 0
    finally:
        library.close()


def question_to_dict(question: Question) -> dict[str, Any]:
    """A question with its correct answer and source anchor, for --json."""
    anchor = question.anchor
    return {
        "type": question.type.value,
        "card_id": question.card_id,
        "card_ids": list(question.card_ids),
        "deck": question.deck_id,
        "kind": question.kind.value,
        "prompt": question.prompt,
        "items": list(question.items),
        "options": list(question.options),
        "key": list(question.key),
        "answer": question.answer,
        "source": None
        if anchor is None
        else {"ref": anchor.ref, "section": anchor.section, "quote": anchor.quote},
    }


def _take(session: ExamSession) -> ExamResult:
    total = len(session.questions)
    print(
        f"{total} questions. Enter answers; an empty line skips a question, "
        "end of input (Ctrl+D) ends the exam."
    )
    while (question := session.current) is not None:
        now = utc_now()
        if session.is_over(now):
            print("\nTime is up.")
            break
        left = session.time_left(now)
        clock = f"  ({_minutes(left)} left)" if left is not None else ""
        print(f"\nQuestion {session.position + 1} of {total}{clock}")
        print(format_question(question))
        try:
            line = input("> ")
        except EOFError:
            break
        if session.is_over(utc_now()):
            print("Time is up; that answer came too late.")
            break
        record = session.answer(parse_response(question, line), now=utc_now())
        if record.is_correct:
            print("Right.")
        else:
            print(f"Not quite. Answer: {question.answer}")
    return session.finish(now=utc_now())


def format_question(question: Question) -> str:
    """A question as terminal text, with how to answer it."""
    lines = [to_plain_text(question.prompt)]
    kind = question.type
    if kind is QuestionType.MATCHING:
        lines += [f"  {i}. {item}" for i, item in enumerate(question.items, 1)]
        lines += [f"  {LETTERS[i]}) {o}" for i, o in enumerate(question.options)]
        lines.append("(a letter for each item, in order, e.g. CADB)")
    elif kind is QuestionType.ORDERING:
        lines += [f"  {i}. {o}" for i, o in enumerate(question.options, 1)]
        lines.append("(the numbers in the right order, e.g. 3 1 2)")
    elif kind is QuestionType.TRUE_FALSE:
        lines.append("(t: true, f: false)")
    elif kind is QuestionType.MULTIPLE_CHOICE:
        lines += [f"  {LETTERS[i]}) {o}" for i, o in enumerate(question.options)]
    else:
        lines.append("(type the answer)")
    return "\n".join(lines)


def print_result(result: ExamResult) -> None:
    """Scores overall, per kind and per section; each wrong answer explained."""
    total = result.overall
    print(
        f"\nScore: {total.score:g} / {total.total} ({total.fraction:.0%})"
        f"  in {_minutes(result.duration)}"
        + ("  (time ran out)" if result.timed_out else "")
    )
    for title, groups in (
        ("By kind", result.by_kind),
        ("By section", result.by_section),
    ):
        print(f"\n{title}:")
        for name, tally in groups.items():
            print(f"  {_bar(tally)} {tally.score:g}/{tally.total}  {name}")
    for record in result.wrong:
        q = record.question
        print(f"\n✗ {to_plain_text(q.prompt)}")
        print(f"  your answer: {record.response_text or '(none)'}")
        print(f"  right answer: {q.answer}")
        if q.anchor is not None:
            print(f"  source: {q.anchor.ref}, {q.anchor.section}: “{q.anchor.quote}”")


def _bar(tally: Tally) -> str:
    filled = round(tally.fraction * BAR_WIDTH)
    return "█" * filled + "·" * (BAR_WIDTH - filled)


def _minutes(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    return f"{seconds // 60}:{seconds % 60:02d}"


def run_history(args: argparse.Namespace) -> int:
    """List past exams or print one as CSV."""
    library = open_library(args)
    try:
        if args.csv is not None:
            sys.stdout.write(library.exam_csv(args.csv))
            return 0
        for past in library.exam_history():
            print(
                f"{past.id:>4}  {past.started_at:%Y-%m-%d %H:%M}  "
                f"{past.score:g}/{past.questions} ({past.fraction:.0%})  "
                f"{', '.join(past.deck_ids)}"
            )
        return 0
    finally:
        library.close()


def run_plan(args: argparse.Namespace) -> int:
    """Print the forecast for an exam date; optionally study the weakest cards."""
    try:
        day = date.fromisoformat(args.date)
    except ValueError:
        raise StudyAppError(f"--date {args.date}: expected YYYY-MM-DD") from None
    library, decks = _open(args)
    try:
        result = library.forecast(decks, exam_time(day))
        weakest = result.study_order()
        if args.json:
            print(
                json.dumps(
                    {
                        "exam_at": result.exam_at.isoformat(),
                        "recall": result.recall,
                        "sections": [
                            {
                                "section": s.section,
                                "cards": s.cards,
                                "new": s.new,
                                "recall": s.recall,
                            }
                            for s in result.sections
                        ],
                        "study_order": weakest,
                    },
                    indent=2,
                    ensure_ascii=False,
                )
            )
            return 0
        print(
            f"Predicted recall on {day:%Y-%m-%d}: {result.recall:.0%} "
            f"over {len(result.cards)} cards"
        )
        for s in result.sections:
            print(
                f"  {_bar(Tally(s.recall, 1))} {s.recall:4.0%}  {s.section}  "
                f"({s.cards} cards, {s.new} new)"
            )
        recall = {c.card_id: c.recall for c in result.cards}
        print("\nWeakest on the exam day:")
        for card_id in weakest[: args.top]:
            card = library.card(card_id)
            print(f"  {recall[card_id]:4.0%}  {to_plain_text(card.front)[:70]}")
        if args.study:
            _study(library.study_session(weakest[: args.study]))
        return 0
    finally:
        library.close()


def _study(session: StudySession) -> None:
    keys = {"1": Rating.AGAIN, "2": Rating.HARD, "3": Rating.GOOD, "4": Rating.EASY}
    while (card := session.current) is not None:
        print(f"\n[{session.remaining} left]  {to_plain_text(card.front)}")
        shown = time.monotonic()
        try:
            input("Enter: show answer > ")
            print(to_plain_text(card.back))
            key = ""
            while key not in keys and key != "q":
                key = input("1 Again  2 Hard  3 Good  4 Easy  (q: quit) > ").strip()
        except EOFError:
            key = "q"
        if key == "q":
            break
        took_ms = round((time.monotonic() - shown) * 1000)
        session.answer(keys[key], now=utc_now(), duration_ms=took_ms)
    print("Study session over; every answer is saved.")
