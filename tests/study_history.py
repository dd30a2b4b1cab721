"""A simulated study history on the bundled decks, for the statistics tests.

Cards are answered through ``ReviewQueue`` at fixed UTC times over several
days; every answer is recorded so tests can compare the statistics with
what was actually done.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from studyapp.core.clock import day_start
from studyapp.core.library import Library
from studyapp.core.model import Rating, State
from studyapp.core.study.review import ReviewQueue

from .conftest import ROOT

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # day 0 of the history
DECK = "pedersen-2019-glossary"
# (day, answers) of each session; days 2, 4, 5 and 6 are left out.
SESSIONS = ((0, 15), (1, 12), (3, 14), (7, 20), (8, 10))
LAST_DAY = 8
RATINGS = (Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.EASY, Rating.HARD)
ANSWER_MS = 30_000  # each answer takes 30 s, and the clock moves 40 s


@dataclass(frozen=True)
class Answer:
    day: int
    card_id: int
    rating: Rating
    state_before: State
    duration_ms: int


@dataclass
class History:
    answers: list[Answer] = field(default_factory=list)

    def on_day(self, day: int) -> list[Answer]:
        return [a for a in self.answers if a.day == day]

    @property
    def card_ids(self) -> set[int]:
        return {a.card_id for a in self.answers}


def utc_day_start(moment: datetime) -> datetime:
    """The study day's start with the default 4 a.m. rollover, in UTC."""
    return day_start(moment, 4, UTC)


def open_bundled() -> Library:
    library = Library.in_memory()
    library.import_paths([ROOT / "decks"], now=START)
    return library


def study(library: Library) -> History:
    """Answer glossary cards day by day; ratings cycle through RATINGS."""
    history = History()
    turn = 0
    for day, count in SESSIONS:
        moment = START + timedelta(days=day)
        queue = ReviewQueue(
            library.store,
            library.scheduler_for,
            [DECK],
            now=moment,
            day_start=utc_day_start(moment),
        )
        for _ in range(count):
            card = queue.next_card(moment)
            if card is None:
                break
            queue.reveal()
            before = queue.state().state
            rating = RATINGS[turn % len(RATINGS)]
            queue.answer(rating, now=moment, duration_ms=ANSWER_MS)
            history.answers.append(Answer(day, card.id, rating, before, ANSWER_MS))
            turn += 1
            moment += timedelta(seconds=40)
    return history


def now_after_history() -> datetime:
    """Noon on the last day of the history, after its session."""
    return START + timedelta(days=LAST_DAY, hours=2)
