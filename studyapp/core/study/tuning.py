"""The learner's FSRS parameters: in use, optimised, simulated, rescheduled.

``Library.tuning()`` hands this to the front ends. Parameters are stored as
the setting ``fsrs_parameters`` in a scope: '' for every deck, or a deck id
(a deck's own parameters win over the global ones).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from studyapp.core.errors import StoreError
from studyapp.core.model import SchedulerSettings
from studyapp.core.store import tuning_runs
from studyapp.core.store.database import Store
from studyapp.core.study.optimize import (
    MIN_REVIEWS,
    LoggedReview,
    Metrics,
    OptimizationResult,
    Progress,
    StoredRun,
    by_card,
    count_scored,
    evaluate,
    fit_rows,
    optimize,
    split_time,
)
from studyapp.core.study.scheduling import DEFAULT_PARAMETERS, Scheduler, new_state
from studyapp.core.study.simulate import RetentionCurve, simulate_retentions

PARAMETERS_KEY = "fsrs_parameters"
_PARAMETER_COUNT = len(DEFAULT_PARAMETERS)


@dataclass(frozen=True, slots=True)
class Optimized:
    """An optimisation's result and the id it was stored under (None: dry run)."""

    result: OptimizationResult
    run_id: int | None


class Tuning:
    """Optimise, evaluate and apply FSRS parameters over the store."""

    def __init__(
        self,
        store: Store,
        settings: Callable[[str | None], SchedulerSettings],
        on_change: Callable[[], None],
        tz: tzinfo | None = None,
    ) -> None:
        self._store = store
        self._settings = settings
        self._on_change = on_change  # drops the library's cached schedulers
        self._tz = tz
        self.min_reviews = MIN_REVIEWS

    def parameters(self, scope: str = "") -> tuple[float, ...]:
        """Parameters in use for a deck (its own, else the global ones)."""
        for where in (scope, "") if scope else ("",):
            stored = self._store.settings(where).get(PARAMETERS_KEY)
            if isinstance(stored, list) and len(stored) == _PARAMETER_COUNT:
                return tuple(float(w) for w in stored)
        return DEFAULT_PARAMETERS

    def is_default(self, scope: str = "") -> bool:
        """Whether the scope schedules with FSRS's default parameters."""
        return self.parameters(scope) == DEFAULT_PARAMETERS

    def set_parameters(
        self, parameters: Sequence[float] | None, scope: str = ""
    ) -> None:
        """Use these parameters for a scope (None: back to the defaults there)."""
        if parameters is not None and len(parameters) != _PARAMETER_COUNT:
            raise StoreError(f"FSRS-6 needs {_PARAMETER_COUNT} parameters")
        value = [float(w) for w in parameters] if parameters is not None else None
        self._store.save_settings({PARAMETERS_KEY: value}, scope)
        self._on_change()

    def usable_reviews(self, scope: str = "") -> int:
        """Reviews a day or more apart: what the minimum-reviews rule counts."""
        return count_scored(self._reviews(scope))

    def optimize(
        self,
        scope: str = "",
        *,
        now: datetime,
        dry_run: bool = False,
        progress: Progress | None = None,
    ) -> Optimized:
        """Fit, judge on later reviews, adopt if better, store the run.

        A dry run stores nothing and changes nothing.

        Raises:
            NotEnoughReviewsError: Fewer reviews than ``min_reviews``.
        """
        current = self.parameters(scope)
        result = optimize(
            self._reviews(scope),
            current,
            rollover_hour=self._settings(scope or None).day_rollover_hour,
            tz=self._tz,
            min_reviews=self.min_reviews,
            progress=progress,
        )
        if dry_run:
            return Optimized(result, None)
        return Optimized(result, self.record(result, scope, now=now))

    def record(
        self, result: OptimizationResult, scope: str = "", *, now: datetime
    ) -> int:
        """Store a run and, if it was adopted, use its parameters; returns its id.

        The GUI fits off the UI thread with ``dry_run=True`` and records here.
        """
        run_id = tuning_runs.save_run(self._store, result, scope=scope, now=now)
        if result.adopted:
            self.set_parameters(result.parameters_fitted, scope)
        return run_id

    def fit(self, scope: str = "") -> tuple[float, ...]:
        """Parameters fitted on the whole log, neither judged nor adopted.

        Raises:
            NotEnoughReviewsError: No review a day or more after the one before.
        """
        decks = tuning_runs.deck_ids_in(self._store, scope)
        rows = tuning_runs.review_rows(self._store, decks) if decks else []
        rollover = self._settings(scope or None).day_rollover_hour
        return fit_rows(rows, rollover_hour=rollover, tz=self._tz)

    def evaluate(self, scope: str = "") -> tuple[Metrics, int]:
        """The parameters in use scored on the later quarter of the log.

        Returns:
            The metrics and how many reviews the log holds.
        """
        reviews = self._reviews(scope)
        if not reviews:
            return evaluate([], self.parameters(scope)), 0
        since = split_time(reviews)
        return evaluate(reviews, self.parameters(scope), since=since), len(reviews)

    def runs(self) -> list[StoredRun]:
        """Every stored optimisation run, newest first."""
        return tuning_runs.runs(self._store)

    def go_back(self, run_id: int) -> tuple[float, ...]:
        """Use again the parameters that were in use before a run."""
        found = tuning_runs.runs(self._store, run_id)
        if not found:
            raise StoreError(f"optimisation run {run_id} is not stored")
        self.set_parameters(found[0].parameters_before, found[0].scope)
        return found[0].parameters_before

    def simulate(self, scope: str = "", *, days: int = 365) -> list[RetentionCurve]:
        """Workload and knowledge over ``days`` for desired retention 0.70-0.97."""
        decks = tuning_runs.deck_ids_in(self._store, scope)
        settings = self._settings(scope or None)
        return simulate_retentions(
            self.parameters(scope),
            self._reviews(scope),
            settings,
            cards=max(1, tuning_runs.count_cards(self._store, decks)) if decks else 1,
            days=days,
        )

    def reschedule(self, run_id: int, scope: str = "") -> int:
        """Recompute studied cards' memory and due dates with the parameters in use.

        Each card's history is replayed through the scheduler; the old states
        are kept under ``run_id`` so :meth:`undo_reschedule` puts them back.

        Returns:
            How many cards were rescheduled.
        """
        decks = tuning_runs.deck_ids_in(self._store, scope)
        if not decks:
            return 0
        scheduler = Scheduler(self._settings(scope or None), self.parameters(scope))
        histories = by_card(tuning_runs.logged_reviews(self._store, decks))
        before, after = [], []
        for state in tuning_runs.card_states(self._store, decks):
            history = histories.get(state.card_id)
            if not history:
                continue
            replayed = new_state(state.card_id, history[0].reviewed_at)
            for review in history:
                replayed = scheduler.review(replayed, review.rating, review.reviewed_at)
            before.append(state)
            after.append(replayed)
        tuning_runs.replace_states(self._store, run_id, before, after)
        self._on_change()
        return len(after)

    def undo_reschedule(self, run_id: int) -> int:
        """Put back the card states a reschedule replaced; returns how many."""
        undone = tuning_runs.undo_states(self._store, run_id)
        self._on_change()
        return undone

    def _reviews(self, scope: str) -> list[LoggedReview]:
        decks = tuning_runs.deck_ids_in(self._store, scope)
        return tuning_runs.logged_reviews(self._store, decks) if decks else []
