"""Settings → Scheduling: FSRS parameters in use, optimise now, retention simulator."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from studyapp.core.errors import StudyAppError
from studyapp.core.library import Library, utc_now
from studyapp.core.study.optimize import OptimizationResult
from studyapp.core.study.simulate import RetentionCurve, suggested_retention
from studyapp.gui.charts import BarChart, Series, line_colour, review_colour
from studyapp.gui.plain import PlainLabel


def result_words(result: OptimizationResult) -> str:
    """An optimisation's verdict in plain words, with its numbers."""
    numbers = (
        f"log loss {result.current.log_loss:.3f} → {result.fitted.log_loss:.3f} "
        f"on your last {result.current.reviews:,} reviews"
    )
    if result.adopted:
        return (
            f"The fitted scheduler predicts your recall better: {numbers}. "
            "It is now in use."
        )
    return (
        f"The fitted scheduler does not predict your recall better ({numbers}); "
        "the current parameters are kept."
    )


class _Signals(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)  # OptimizationResult or StudyAppError


class _OptimizeJob(QRunnable):
    """Fits and scores off the UI thread; storing happens back on it."""

    def __init__(self, work: Callable[..., OptimizationResult]) -> None:
        super().__init__()
        self.signals = _Signals()
        self._work = work

    @override
    def run(self) -> None:
        try:
            result: object = self._work(progress=self.signals.progressed.emit)
        except StudyAppError as error:
            result = error
        self.signals.finished.emit(result)


class SchedulingTab(QWidget):
    """FSRS parameters of a scope, their optimisation and the retention trade-off.

    Signals:
        optimised(bool): an optimisation finished and was recorded; carries
            whether the fit was adopted.
    """

    optimised = Signal(bool)

    def __init__(
        self, library: Library, scope: Callable[[], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._scope = scope
        self._run_id: int | None = None
        self.parameters = PlainLabel()
        self.parameters.setWordWrap(True)
        self.parameters.setAccessibleName("Parameters in use")
        self.optimise = QPushButton("Optimise now")
        self.progress = QProgressBar()
        self.progress.setRange(0, 4)
        self.progress.setAccessibleName("Optimisation progress")
        self.rule = PlainLabel()
        self.rule.setWordWrap(True)
        self.rule.setObjectName("explanation")
        self.verdict = PlainLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName("Optimisation result")
        self.reschedule = QPushButton("Reschedule cards with these parameters")
        self.undo = QPushButton("Undo reschedule")
        self.go_back = QPushButton("Go back to the previous parameters")
        self.simulate = QPushButton("Simulate a year at each desired retention")
        self.suggestion = PlainLabel()
        self.suggestion.setWordWrap(True)
        self.workload_chart = BarChart(
            "Workload", x_label="desired retention", y_label="reviews per day"
        )
        self.knowledge_chart = BarChart(
            "Knowledge after a year",
            x_label="desired retention",
            y_label="cards remembered",
        )

        buttons = QHBoxLayout()
        for button in (self.optimise, self.reschedule, self.undo, self.go_back):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.parameters)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.rule)
        layout.addWidget(self.verdict)
        layout.addWidget(self.simulate)
        layout.addWidget(self.suggestion)
        charts = QHBoxLayout()  # side by side: the dialog stays short
        charts.addWidget(self.workload_chart)
        charts.addWidget(self.knowledge_chart)
        layout.addLayout(charts)

        self.optimise.clicked.connect(self._on_optimise_clicked)
        self.reschedule.clicked.connect(self._on_reschedule_clicked)
        self.undo.clicked.connect(self._on_undo_clicked)
        self.go_back.clicked.connect(self._on_go_back_clicked)
        self.simulate.clicked.connect(self._on_simulate_clicked)
        self.refresh()

    def refresh(self) -> None:
        """Show the scope's parameters and whether there are reviews enough."""
        tuning = self._library.tuning()
        scope = self._scope()
        values = ", ".join(f"{w:.4f}" for w in tuning.parameters(scope))
        origin = "FSRS-6 defaults" if tuning.is_default(scope) else "fitted to you"
        self.parameters.setText(f"Parameters in use ({origin}): {values}")
        have, need = tuning.usable_reviews(scope), tuning.min_reviews
        enough = have >= need
        self.optimise.setEnabled(enough)
        self.rule.setText(
            f"Optimising needs at least {need:,} reviews given a day or more after "
            f"the card's previous one; you have {have:,}."
            + ("" if enough else " Keep studying and come back later.")
        )
        runs = [r for r in tuning.runs() if r.scope == scope]
        self.go_back.setEnabled(bool(runs) and runs[0].adopted)
        self.reschedule.setEnabled(self._run_id is not None)
        self.undo.setEnabled(bool(runs) and runs[0].rescheduled > 0)

    def _on_optimise_clicked(self) -> None:
        scope = self._scope()
        tuning = self._library.tuning()
        self.optimise.setEnabled(False)
        self.progress.setValue(0)
        self.verdict.setText("Optimising…")

        def work(progress: Callable[[int, int, str], None]) -> OptimizationResult:
            return tuning.optimize(
                scope, now=utc_now(), dry_run=True, progress=progress
            ).result

        job = _OptimizeJob(work)
        job.signals.progressed.connect(self._on_job_progressed)
        job.signals.finished.connect(self._on_job_finished)
        self._job = job  # keeps the signal object alive until it reports
        QThreadPool.globalInstance().start(job)

    def _on_job_progressed(self, done: int, total: int, _step: str) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def _on_job_finished(self, outcome: object) -> None:
        if isinstance(outcome, OptimizationResult):
            run_id = self._library.tuning().record(
                outcome, self._scope(), now=utc_now()
            )
            self._run_id = run_id if outcome.adopted else None
            self.verdict.setText(result_words(outcome))
            self.refresh()
            self.optimised.emit(outcome.adopted)
        else:
            self.verdict.setText(str(outcome))
            self.refresh()

    def _on_reschedule_clicked(self) -> None:
        if self._run_id is None:
            return
        cards = self._library.tuning().reschedule(self._run_id, self._scope())
        self.verdict.setText(f"{cards:,} cards rescheduled. Undo puts them back.")
        self._run_id = None
        self.refresh()

    def _on_undo_clicked(self) -> None:
        runs = [r for r in self._library.tuning().runs() if r.scope == self._scope()]
        if runs:
            cards = self._library.tuning().undo_reschedule(runs[0].id)
            self.verdict.setText(f"{cards:,} cards put back as they were.")
        self.refresh()

    def _on_go_back_clicked(self) -> None:
        runs = [r for r in self._library.tuning().runs() if r.scope == self._scope()]
        if runs:
            self._library.tuning().go_back(runs[0].id)
            self.verdict.setText("Back to the parameters in use before that run.")
        self._run_id = None
        self.refresh()

    def _on_simulate_clicked(self) -> None:
        self.show_curves(self._library.tuning().simulate(self._scope()))

    def show_curves(self, curves: list[RetentionCurve]) -> None:
        """Plot workload and knowledge per desired retention; name the suggestion."""
        labels = [f"{c.desired_retention:.0%}" for c in curves]
        days = max(1, len(curves[0].reviews_per_day)) if curves else 1
        self.workload_chart.set_data(
            labels,
            [
                Series(
                    "Reviews per day",
                    tuple(sum(c.reviews_per_day) / days for c in curves),
                    review_colour,
                )
            ],
        )
        self.knowledge_chart.set_data(
            labels,
            [
                Series(
                    "Cards remembered",
                    tuple(c.remembered_per_day[-1] for c in curves),
                    line_colour,
                )
            ],
        )
        best = suggested_retention(curves)
        self.suggestion.setText(
            f"Suggested desired retention: {best:.0%}, the least study time per "
            "card you still remember after a year. Higher costs more reviews each "
            "day for a little more knowledge."
        )
