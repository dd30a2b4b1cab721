"""The one answer path: load a card's state, apply a rating, commit it.

The review queue, the planner's study session and exam answers fed in as
reviews all record an answer through ``record_answer``, so every answer is
scheduled the same way and committed before the caller shows the next card.
"""

from __future__ import annotations

from datetime import datetime

from studyapp.core.clock import truncate_ms
from studyapp.core.model import CardState, Rating
from studyapp.core.store.database import Store
from studyapp.core.store.study_rows import save_typed_answer
from studyapp.core.study.scheduling import Scheduler, apply_answer
from studyapp.core.study.session import TypedAnswer


def record_answer(
    store: Store,
    scheduler: Scheduler,
    card_id: int,
    rating: Rating,
    *,
    now: datetime,
    duration_ms: int = 0,
    typed: TypedAnswer | None = None,
) -> tuple[CardState, int]:
    """Rate a card and commit the answer; returns its new state and review id.

    Args:
        store: The collection.
        scheduler: The scheduler with the card's deck settings.
        card_id: The card answered.
        rating: The learner's rating.
        now: When the answer was given (stored to the millisecond).
        duration_ms: How long the learner took, 0 when unknown.
        typed: For typed cards, what was typed and how it was judged; kept
            beside the review, in the same transaction.
    """
    before = store.card_state(card_id)
    after, record = apply_answer(
        before,
        rating,
        now=truncate_ms(now),
        scheduler=scheduler,
        duration_ms=duration_ms,
    )
    with store.transaction():
        review_id = store.save_answer(record)
        if typed is not None:
            save_typed_answer(
                store,
                review_id,
                typed.typed,
                graded_right=typed.graded_right,
                overridden=typed.overridden,
            )
    return after, review_id
