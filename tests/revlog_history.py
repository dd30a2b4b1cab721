"""Review logs loaded into a library, and a synthetic FSRS learner.

A review log's cards become the cards of one generated deck, and its
answers rows of the review log, so the library's optimiser reads them
as if they had been studied in the app.
"""

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studyapp.core.clock import to_ms
from studyapp.core.library import Library
from studyapp.core.model import Rating, SchedulerSettings
from studyapp.core.store.codecs import state_to_json
from studyapp.core.study.optimize import LoggedReview, by_card
from studyapp.core.study.scheduling import DEFAULT_PARAMETERS, Scheduler, new_state

from .conftest import DATA

REVLOG = DATA / "revlogs" / "py-fsrs_review_logs_josh.csv"

# A learner who forgets faster than FSRS's defaults expect: first stabilities
# a quarter as long, and a flatter forgetting curve (decay 0.5 vs 0.1542).
TRUE_PARAMETERS = (
    *(w * 0.25 for w in DEFAULT_PARAMETERS[:4]),
    *DEFAULT_PARAMETERS[4:8],
    1.2,  # w8: smaller stability gain on success (default 1.8722)
    *DEFAULT_PARAMETERS[9:20],
    0.5,
)


def load_into_library(
    library: Library, reviews: Sequence[LoggedReview], folder: Path
) -> dict[int, int]:
    """Make a deck with one card per log card and store the log's answers.

    Returns:
        The log's card id -> the library's card id.
    """
    histories = by_card(reviews)
    lines = [
        "deck:",
        "  id: revlog",
        "  title: Review log",
        "  kind: glossary",
        "cards:",
    ]
    for card_id in histories:
        lines += [
            f"  - id: c{card_id}",
            f"    front: card {card_id}",
            "    back: answer",
        ]
    deck = folder / "revlog.yaml"
    deck.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = min(r.reviewed_at for r in reviews)
    library.import_paths([deck], now=first)
    store = library.store
    ids = dict(store.execute("SELECT note_id, id FROM cards WHERE deck_id = 'revlog'"))
    mapping = {card_id: ids[f"c{card_id}"] for card_id in histories}
    with store.transaction():
        for card_id, history in histories.items():
            ours = mapping[card_id]
            blank = state_to_json(new_state(ours, history[0].reviewed_at))
            store.conn.executemany(
                "INSERT INTO reviews (card_id, reviewed_at, rating, duration_ms, "
                "state_before, before, due) VALUES (?, ?, ?, ?, 0, ?, ?)",
                [
                    (
                        ours,
                        to_ms(r.reviewed_at),
                        int(r.rating),
                        r.duration_ms,
                        blank,
                        to_ms(r.reviewed_at),
                    )
                    for r in history
                ],
            )
            last = to_ms(history[-1].reviewed_at)
            store.execute(
                "UPDATE card_state SET state = 2, stability = 1.0, difficulty = 5.0, "
                "due = ?, last_review = ?, reps = ? WHERE card_id = ?",
                (last + 86_400_000, last, len(history), ours),
            )
    return mapping


def synthetic_learner(
    true_parameters: Sequence[float] = TRUE_PARAMETERS,
    *,
    cards: int = 400,
    new_per_day: int = 10,
    days: int = 240,
    seed: int = 7,
) -> list[LoggedReview]:
    """Reviews of a learner whose memory follows FSRS with ``true_parameters``.

    Cards are scheduled by the app's default scheduler (as before any
    optimisation) and answered at their due time; each answer is recalled
    with the probability the true model gives, then rated Good (or Easy /
    Hard now and then), else Again.
    """
    rng = random.Random(seed)
    truth = Scheduler(SchedulerSettings(), true_parameters, enable_fuzzing=False)
    app = Scheduler(SchedulerSettings(), DEFAULT_PARAMETERS, enable_fuzzing=False)
    start = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
    end = start + timedelta(days=days)
    reviews = []
    for card in range(cards):
        when = start + timedelta(days=card // new_per_day, minutes=card % new_per_day)
        true_state = new_state(card, when)
        app_state = new_state(card, when)
        while when < end:
            recall = (
                truth.retrievability(true_state, when)
                if true_state.last_review
                else 0.0
            )
            if rng.random() < recall:
                rating = rng.choices(
                    (Rating.HARD, Rating.GOOD, Rating.EASY), (1, 8, 1)
                )[0]
            else:
                rating = Rating.AGAIN
            reviews.append(LoggedReview(card, rating, when, 8000))
            true_state = truth.review(true_state, rating, when)
            app_state = app.review(app_state, rating, when)
            when = max(app_state.due, when + timedelta(minutes=1))
    reviews.sort(key=lambda r: r.reviewed_at)
    return reviews
