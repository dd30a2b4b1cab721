from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from studyapp.core.library import Library
from studyapp.core.study.revlog import read_review_csv
from studyapp.core.study.scheduling import DEFAULT_PARAMETERS
from studyapp.gui.scheduling_tab import SchedulingTab
from studyapp.gui.settings_dialog import SettingsDialog

from ..revlog_history import REVLOG, load_into_library, synthetic_learner


def test_optimise_now_adopts_a_better_fit_and_reschedules_with_undo(
    qtbot: QtBot, tmp_path: Path
) -> None:
    library = Library.in_memory()
    load_into_library(library, read_review_csv(REVLOG), tmp_path)
    dialog = SettingsDialog(library, [("revlog", "Review log")])
    qtbot.addWidget(dialog)
    tab = dialog.scheduling
    assert dialog.tabs.tabText(1) == "Scheduling"
    assert "FSRS-6 defaults" in tab.parameters.text()
    assert "you have 5,329" in tab.rule.text()
    assert tab.optimise.isEnabled()
    with qtbot.waitSignal(tab.optimised, timeout=60_000) as finished:
        qtbot.mouseClick(tab.optimise, Qt.MouseButton.LeftButton)
    assert finished.args == [True]
    assert tab.verdict.text().startswith(
        "The fitted scheduler predicts your recall better"
    )
    assert "on your last 1,678 reviews" in tab.verdict.text()
    assert tab.progress.value() == tab.progress.maximum() == 4
    assert "fitted to you" in tab.parameters.text()
    assert library.tuning().parameters() != DEFAULT_PARAMETERS
    before = library.store.execute(
        "SELECT due FROM card_state ORDER BY card_id"
    ).fetchall()
    qtbot.mouseClick(tab.reschedule, Qt.MouseButton.LeftButton)
    assert tab.verdict.text().startswith("1,205 cards rescheduled")
    assert (
        library.store.execute("SELECT due FROM card_state ORDER BY card_id").fetchall()
        != before
    )
    assert tab.undo.isEnabled()
    qtbot.mouseClick(tab.undo, Qt.MouseButton.LeftButton)
    assert (
        library.store.execute("SELECT due FROM card_state ORDER BY card_id").fetchall()
        == before
    )
    qtbot.mouseClick(tab.go_back, Qt.MouseButton.LeftButton)
    assert library.tuning().parameters() == DEFAULT_PARAMETERS


def test_too_few_reviews_disable_optimising_with_a_reason(qtbot: QtBot) -> None:
    tab = SchedulingTab(Library.in_memory(), lambda: "")
    qtbot.addWidget(tab)
    assert not tab.optimise.isEnabled()
    assert "at least 400 reviews" in tab.rule.text()
    assert "you have 0" in tab.rule.text()
    assert "Keep studying" in tab.rule.text()


def test_simulator_plots_workload_and_suggests_a_retention(
    qtbot: QtBot, tmp_path: Path
) -> None:
    library = Library.in_memory()
    load_into_library(library, synthetic_learner(cards=60, days=40), tmp_path)
    tab = SchedulingTab(library, lambda: "")
    qtbot.addWidget(tab)
    qtbot.mouseClick(tab.simulate, Qt.MouseButton.LeftButton)
    workload = tab.workload_chart.values("Reviews per day")
    assert len(workload) == 28
    first, last = workload[0], workload[-1]
    assert first is not None
    assert last is not None
    assert tab.workload_chart.labels[0] == "70%"
    assert tab.workload_chart.labels[-1] == "97%"
    assert last > first
    assert tab.suggestion.text().startswith("Suggested desired retention: ")
