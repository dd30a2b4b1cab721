import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from studyapp.core.library import Library
from studyapp.core.model import Rating
from studyapp.gui.main_window import MainWindow
from studyapp.gui.stats_view import StatsView
from tests.study_history import History, now_after_history, open_bundled, study

from .conftest import FakeClock, show_window


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC, so study days start at 04:00 UTC as in the history."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def studied(utc: None) -> Iterator[tuple[Library, History]]:
    library = open_bundled()
    yield library, study(library)
    library.close()


def open_view(qtbot: QtBot, library: Library) -> StatsView:
    view = StatsView(library, clock=FakeClock(now_after_history()))
    qtbot.addWidget(view)
    view.resize(1200, 900)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.tables_filled)
    return view


def test_charts_hold_the_answers_retention_and_forecast(
    qtbot: QtBot, studied: tuple[Library, History]
) -> None:
    library, history = studied
    view = open_view(qtbot, library)
    assert view.days == 30
    chart = view.reviews_chart
    assert [s.name for s in chart.series] == ["Again", "Hard", "Good", "Easy"]
    assert len(chart.labels) == 30
    assert chart.labels[-1] == "today"
    assert chart.slot_totals()[-9:] == [15, 12, 0, 14, 0, 0, 0, 20, 10]
    assert sum(chart.slot_totals()) == len(history.answers) == 71
    for rating in Rating:
        given = [a for a in history.on_day(0) if a.rating is rating]
        assert chart.values(rating.name.title())[-9] == len(given)
    assert chart.values("Again")[-9:] == (3, 2, 0, 3, 0, 0, 0, 4, 2)

    retention = view.retention_chart.values("Retention")
    assert len(retention) == 30
    assert retention[-9:] == (None, 1.0, None, 2 / 3, None, None, None, 1.0, 0.75)
    assert view.retention_chart.target == 0.9

    forecast = view.forecast_chart
    assert forecast.slot_totals()[:6] == [5, 5, 2, 1, 1, 0]
    horizon = library.day_start(now_after_history()) + timedelta(days=30)
    states = [library.store.card_state(i) for i in history.card_ids]
    assert sum(forecast.slot_totals()) == sum(s.due < horizon for s in states) == 20
    assert sum(view.interval_chart.slot_totals()) == 18  # review-state cards
    assert view.today["Answers today"].text() == "10"
    assert view.today["Minutes today"].text() == "5"
    assert view.today["Retention, 30 days"].text() == "80%"
    assert view.today["Due today"].text() == "5"
    assert view.today["Cards studied"].text() == "22 of 250"
    assert "today: Again 2, Hard 2, Good 4, Easy 2" in chart.accessibleDescription()


def test_mastery_table_lists_sections_weakest_first(
    qtbot: QtBot, studied: tuple[Library, History]
) -> None:
    library, _ = studied
    view = open_view(qtbot, library)
    rows = view.section_rows()
    assert len(rows) == 8
    assert rows[-1][:3] == ("pedersen-2019: Glossary", 40, 22)
    # Recall of the 22 studied cards, not 0.533 over all 40 (issue 17, bug 15).
    assert rows[-1][3] == pytest.approx(0.533 * 40 / 22, abs=0.002)
    studied_cell = view.sections.item(len(rows) - 1, 2)
    assert studied_cell is not None
    assert studied_cell.text() == "22 (55%)"
    assert all(recall == 0.0 and studied == 0 for _, _, studied, recall in rows[:-1])
    assert ("pedersen-2019: References", 125, 0, 0.0) in rows
    assert view.sections.accessibleName() == "Mastery per source section"
    assert view.weakest.rowCount() == 15
    first = view.weakest.item(0, 0)
    assert first is not None
    assert first.text() == "90%"


def test_period_choice_changes_the_span(
    qtbot: QtBot, studied: tuple[Library, History]
) -> None:
    library, _ = studied
    view = open_view(qtbot, library)
    view.period.setCurrentIndex(0)
    assert view.days == 14
    assert len(view.reviews_chart.labels) == 14
    assert len(view.forecast_chart.labels) == 14
    view.period.setCurrentIndex(2)
    weeks = view.retention_chart
    assert len(weeks.labels) == 13  # 90 days, per week
    assert weeks.values("Retention")[-2:] == (1.0, 7 / 9)
    assert weeks.x_label == "week starting"


def test_statistics_open_with_ctrl_t_and_close_with_escape(
    qtbot: QtBot, library: Library, qsettings: QSettings, clock: FakeClock
) -> None:
    window = show_window(qtbot, MainWindow(library, qsettings, clock))
    action = next(a for a in window.study_menu.actions() if a.text() == "S&tatistics…")
    assert action.shortcut() == QKeySequence("Ctrl+T")
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    view = window.findChild(StatsView)
    assert view is not None
    assert window.pages.currentWidget() is window.review_splitter
    assert not window.source_pane.isVisible()
    qtbot.waitUntil(lambda: view.tables_filled)
    assert [row[1:] for row in view.section_rows()] == [(1, 0, 0.0), (4, 0, 0.0)]
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.home
    QApplication.processEvents()


def test_tables_are_filled_after_the_charts_are_first_painted(
    qtbot: QtBot, studied: tuple[Library, History]
) -> None:
    """The charts come first; mastery and the weakest cards follow (issue 21)."""
    library, _ = studied
    view = StatsView(library, clock=FakeClock(now_after_history()))
    qtbot.addWidget(view)
    assert not view.tables_filled
    assert view.sections.rowCount() == 0
    assert view.weakest.rowCount() == 0
    assert view.today["Cards studied"].text() == "22 of 250"
    filled_at_paint: list[bool] = []

    class PaintSpy(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                filled_at_paint.append(view.tables_filled)
            return False

    spy = PaintSpy()
    view.reviews_chart.installEventFilter(spy)
    view.resize(1200, 900)
    view.show()
    qtbot.waitUntil(lambda: view.tables_filled)
    assert filled_at_paint[0] is False  # painted before the tables were read
    assert len(view.section_rows()) == 8
    assert view.weakest.rowCount() == 15
    # A refresh (the period changed) reads everything again at once.
    rows = view.section_rows()
    view.sections.setRowCount(0)
    view.period.setCurrentIndex(0)
    assert view.section_rows() == rows
