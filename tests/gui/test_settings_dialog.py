from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from studyapp.core.library import Library
from studyapp.core.model import Rating
from studyapp.gui.main_window import MainWindow
from studyapp.gui.settings_dialog import (
    SettingsDialog,
    format_steps,
    parse_steps,
    retention_explanation,
)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1m 10m", [1, 10]),
        ("30s, 2", [0.5, 2]),
        ("1h 1d", [60, 1440]),
        ("", []),
    ],
)
def test_steps_are_read_in_minutes(text: str, minutes: list[float]) -> None:
    assert parse_steps(text) == tuple(timedelta(minutes=m) for m in minutes)


@pytest.mark.parametrize("text", ["10x", "-1m", "0m", "m"])
def test_bad_steps_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a step"):
        parse_steps(text)


def test_steps_are_written_back_in_the_largest_whole_unit() -> None:
    steps = (timedelta(minutes=1), timedelta(hours=2), timedelta(days=1))
    assert format_steps(steps) == "1m 2h 1d"


def test_retention_is_explained_in_plain_words() -> None:
    assert "85 times out of 100" in retention_explanation(85)


def test_settings_change_the_next_interval_at_once(
    qtbot: QtBot, window: MainWindow, library: Library
) -> None:
    view = window.start_review(["mini"])
    qtbot.keyClick(view, Qt.Key.Key_Space)
    good = view.rating_buttons[Rating.GOOD]
    assert good.text() == "Good · 10m"

    dialog = window.open_settings()
    qtbot.addWidget(dialog)
    dialog.learning_steps.setText("2m 30m")
    with qtbot.waitSignal(dialog.settings_saved):
        apply = dialog.buttons.button(QDialogButtonBox.StandardButton.Apply)
        assert apply is not None
        qtbot.mouseClick(apply, Qt.MouseButton.LeftButton)

    assert library.settings().learning_steps == (
        timedelta(minutes=2),
        timedelta(minutes=30),
    )
    assert good.text() == "Good · 30m"
    assert view.rating_buttons[Rating.AGAIN].text() == "Again · 2m"


def test_invalid_steps_disable_saving(qtbot: QtBot, library: Library) -> None:
    dialog = SettingsDialog(library, [("mini", "Mini deck")])
    qtbot.addWidget(dialog)
    dialog.learning_steps.setText("1m soon")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok is not None
    assert not ok.isEnabled()
    assert not dialog.save()
    assert library.store.settings("") == {}


def test_per_deck_settings_leave_the_global_ones_alone(
    qtbot: QtBot, library: Library
) -> None:
    dialog = SettingsDialog(library, [("mini", "Mini deck")], deck_id="mini")
    qtbot.addWidget(dialog)
    assert dialog.deck_id == "mini"
    assert not dialog.rollover.isEnabled()
    dialog.retention.setValue(85)
    dialog.new_per_day.setValue(7)
    with qtbot.waitSignal(dialog.settings_saved) as saved:
        assert dialog.save()
    assert saved.args == ["mini"]
    assert library.settings("mini").desired_retention == pytest.approx(0.85)
    assert library.settings("mini").new_per_day == 7
    assert library.settings().desired_retention == pytest.approx(0.9)
    dialog.scope.setCurrentIndex(0)
    assert dialog.retention.value() == 90


def test_out_of_range_steps_are_refused_by_the_library(
    qtbot: QtBot, library: Library
) -> None:
    """Issue 20: the dialog's values pass the same checks as every other entry."""
    dialog = SettingsDialog(library, [("mini", "Mini deck")])
    qtbot.addWidget(dialog)
    dialog.learning_steps.setText("1m " * 21)  # more steps than allowed
    assert not dialog.save()
    dialog.learning_steps.setText("400d")  # longer than a year
    assert not dialog.save()
    assert library.store.settings("") == {}
    dialog.learning_steps.setText("1m 10m")
    assert dialog.save()
