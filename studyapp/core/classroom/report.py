"""Instructor side: the class report, per source section and per card.

The server returns aggregates only (``studyapp.class_report``); this module
groups them by section and picks the weakest cards. Recall is FSRS
retrievability from each student's latest state of a card; a student who
has not studied a card counts as 0 in the class-wide figures. The weakest
cards are those the class studied (at least WEAKEST_MIN_STUDIED of it, and
one student) with the lowest mean recall on the exam date among those who
studied them: what the class is forgetting, not what it has not reached yet
(the sections' "studied" share shows that).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from studyapp.core.classroom.server import ClassError, session
from studyapp.core.study.scheduling import DEFAULT_PARAMETERS

WEAKEST = 20
WEAKEST_MIN_STUDIED = 0.1


@dataclass(frozen=True, slots=True)
class CardFigures:
    """One review card across the class."""

    deck_id: str
    note_id: str
    ord: int
    source_ref: str
    section: str
    quote: str  # the source passage the card is made from
    prompt: str
    studied: float  # share of the class who reviewed it at least once
    recall_now: float | None  # mean recall of those who studied it
    recall_exam: float | None
    class_recall_exam: float  # mean over the whole class (unstudied = 0)


@dataclass(frozen=True, slots=True)
class SectionFigures:
    """One source section: its cards' figures averaged, and exam results."""

    source_ref: str
    section: str
    cards: int
    studied: float
    class_recall_now: float
    class_recall_exam: float
    exam_answers: int
    exam_score: float | None


@dataclass(frozen=True, slots=True)
class ClassReport:
    """What an instructor sees of a class; no single student's data."""

    class_id: str
    title: str
    students: int
    at: datetime
    exam_at: datetime
    sections: list[SectionFigures]
    weakest: list[CardFigures]


def class_report(
    url: str, class_id: str, *, now: datetime, exam_at: datetime | None = None
) -> ClassReport:
    """The report of a class the connecting role teaches (ClassError otherwise).

    ``exam_at`` defaults to the class's exam date, else ``now``.
    """
    decay = DEFAULT_PARAMETERS[20]
    with session(url) as conn:
        meta = conn.execute(
            "SELECT title, exam_at FROM studyapp.classes WHERE id = %s", (class_id,)
        ).fetchone()
        if meta is None:
            raise ClassError(f"class {class_id!r} is not one you teach")
        title, class_exam = meta
        exam = exam_at or class_exam or now
        rows = conn.execute(
            "SELECT * FROM studyapp.class_report(%s, %s, %s, %s)",
            (class_id, now, exam, decay),
        ).fetchall()
        exams = conn.execute(
            "SELECT * FROM studyapp.class_exam_sections(%s)", (class_id,)
        ).fetchall()
    students = int(str(rows[0][8])) if rows else 0
    cards = [_card(row, students) for row in rows]  # in deck order
    least = max(WEAKEST_MIN_STUDIED, 1 / students) if students else 1.0
    weakest = sorted(
        (c for c in cards if c.studied >= least and c.recall_exam is not None),
        key=lambda c: c.recall_exam or 0.0,
    )
    return ClassReport(
        class_id=class_id,
        title=title,
        students=students,
        at=now,
        exam_at=exam,
        sections=_sections(cards, exams, students),
        weakest=weakest[:WEAKEST],
    )


def _card(row: tuple[object, ...], students: int) -> CardFigures:
    deck_id, note_id, ord_, ref, section, quote, prompt, _, _, studied, now, exam = row
    count = int(str(studied))
    recall_exam = float(str(exam)) if exam is not None else None
    return CardFigures(
        deck_id=str(deck_id),
        note_id=str(note_id),
        ord=int(str(ord_)),
        source_ref=str(ref),
        section=str(section),
        quote=str(quote),
        prompt=str(prompt),
        studied=count / students if students else 0.0,
        recall_now=float(str(now)) if now is not None else None,
        recall_exam=recall_exam,
        class_recall_exam=(recall_exam or 0.0) * count / students if students else 0.0,
    )


def _sections(
    cards: list[CardFigures],
    exams: Iterable[tuple[object, ...]],
    students: int,
) -> list[SectionFigures]:
    by_section: dict[tuple[str, str], list[CardFigures]] = defaultdict(list)
    for card in cards:
        by_section[card.source_ref, card.section].append(card)
    scores = {(str(r[0]), str(r[1])): (int(str(r[2])), r[4]) for r in exams}
    sections = []
    # Sections in deck order (dicts keep insertion order), then exam-only ones.
    for key in [*by_section, *sorted(set(scores) - set(by_section))]:
        group = by_section.get(key, [])
        answers, score = scores.get(key, (0, None))
        sections.append(
            SectionFigures(
                source_ref=key[0],
                section=key[1],
                cards=len(group),
                studied=_mean(c.studied for c in group),
                class_recall_now=_mean(
                    (c.recall_now or 0.0) * c.studied for c in group
                ),
                class_recall_exam=_mean(c.class_recall_exam for c in group),
                exam_answers=answers,
                exam_score=float(str(score)) if score is not None else None,
            )
        )
    return sections


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0
