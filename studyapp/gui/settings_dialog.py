"""The settings dialog: retention, limits, steps and day start; global or per deck."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.library import Library
from studyapp.core.model import SchedulerSettings
from studyapp.gui.plain import PlainLabel

_STEP = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")
_UNIT_MINUTES = {"s": 1 / 60, "m": 1.0, "": 1.0, "h": 60.0, "d": 1440.0}


def parse_steps(text: str) -> tuple[timedelta, ...]:
    """Read steps such as ``"1m 10m 1h"`` (bare numbers are minutes).

    Raises:
        ValueError: If a step is not a positive number with an optional
            unit s, m, h or d.
    """
    steps = []
    for word in text.replace(",", " ").split():
        match = _STEP.match(word.strip().lower())
        if match is None or float(match.group(1)) <= 0:
            raise ValueError(f"'{word}' is not a step like 10m, 1h or 1d")
        steps.append(timedelta(minutes=float(match.group(1)) * _UNIT_MINUTES[match[2]]))
    return tuple(steps)


def format_steps(steps: tuple[timedelta, ...]) -> str:
    """Steps as the dialog shows them: ``"1m 10m"``."""
    words = []
    for step in steps:
        minutes = step.total_seconds() / 60
        for unit, size in (("d", 1440), ("h", 60)):
            if minutes >= size and minutes % size == 0:
                words.append(f"{minutes / size:g}{unit}")
                break
        else:
            words.append(f"{minutes:g}m")
    return " ".join(words)


def retention_explanation(percent: int) -> str:
    """What a desired retention means, in plain words."""
    return (
        f"When a card comes up for review you should still remember it about "
        f"{percent} times out of 100. Higher means shorter gaps between reviews "
        "and more work each day; lower means less work but more forgetting. "
        "90 suits most learners."
    )


class SettingsDialog(QDialog):
    """Edits scheduling settings for all decks or one deck; saving applies at once.

    Signals:
        settings_saved(str): settings were saved; carries the deck id, or an
            empty string for the global settings.
    """

    settings_saved = Signal(str)

    def __init__(
        self,
        library: Library,
        decks: list[tuple[str, str]],
        deck_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._library = library
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.scope = QComboBox()
        self.scope.setAccessibleName("Apply to")
        self.scope.addItem("All decks (global settings)", "")
        for identifier, title in decks:
            self.scope.addItem(f"Only the deck: {title}", identifier)
        self.retention = self._spin("Desired retention", 70, 99, " %")
        self._explanation = PlainLabel()
        self._explanation.setWordWrap(True)
        self._explanation.setObjectName("explanation")
        self.new_per_day = self._spin("New cards per day", 0, 9999, "")
        self.reviews_per_day = self._spin("Maximum reviews per day", 0, 99999, "")
        self.learning_steps = self._line("Learning steps")
        self.relearning_steps = self._line("Relearning steps")
        self.rollover = self._spin("Next day starts at", 0, 23, ":00")
        self.rollover.setToolTip("The hour (local time) when a new study day begins")
        self._error = PlainLabel()
        self._error.setAccessibleName("Problem with the settings")
        self._error.setStyleSheet("color: #c62828;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel
        )

        form = QFormLayout()
        form.addRow("Apply to:", self.scope)
        retention = QWidget()
        column = QVBoxLayout(retention)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.retention)
        column.addWidget(self._explanation)
        form.addRow("Desired retention:", retention)
        form.addRow("New cards per day:", self.new_per_day)
        form.addRow("Maximum reviews per day:", self.reviews_per_day)
        form.addRow("Learning steps:", self.learning_steps)
        form.addRow("Relearning steps:", self.relearning_steps)
        form.addRow("Next day starts at:", self.rollover)
        note = PlainLabel(
            "Steps are short waits for new and forgotten cards, e.g. 1m 10m "
            "(s, m, h, d). The day start applies to all decks. Settings for "
            "one deck replace the global ones for that deck."
        )
        note.setWordWrap(True)
        note.setObjectName("explanation")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self._error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

        self.scope.currentIndexChanged.connect(self._on_scope_current_index_changed)
        self.retention.valueChanged.connect(self._on_retention_value_changed)
        self.learning_steps.textChanged.connect(self._on_steps_text_changed)
        self.relearning_steps.textChanged.connect(self._on_steps_text_changed)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.buttons.clicked.connect(self._on_buttons_clicked)
        if deck_id:
            self.scope.setCurrentIndex(max(0, self.scope.findData(deck_id)))
        self._load()

    def _spin(self, name: str, low: int, high: int, suffix: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        spin.setAccessibleName(name)
        return spin

    def _line(self, name: str) -> QLineEdit:
        line = QLineEdit()
        line.setAccessibleName(name)
        line.setPlaceholderText("e.g. 1m 10m")
        return line

    @property
    def deck_id(self) -> str:
        """The deck the form edits; empty for the global settings."""
        return str(self.scope.currentData())

    def values(self) -> SchedulerSettings:
        """The settings in the form, on top of the scope's current ones.

        Raises:
            ValueError: If the steps cannot be read.
        """
        base = self._library.settings(self.deck_id or None)
        return replace(
            base,
            desired_retention=self.retention.value() / 100,
            new_per_day=self.new_per_day.value(),
            reviews_per_day=self.reviews_per_day.value(),
            learning_steps=parse_steps(self.learning_steps.text()),
            relearning_steps=parse_steps(self.relearning_steps.text()),
            day_rollover_hour=self.rollover.value(),
        )

    def save(self) -> bool:
        """Store the form's settings; returns False if they are not valid."""
        try:
            self._library.save_settings(self.values(), self.deck_id or None)
        except ValueError as error:  # also the library's SettingsError
            self._error.setText(str(error))
            return False
        self.settings_saved.emit(self.deck_id)
        return True

    def _load(self) -> None:
        settings = self._library.settings(self.deck_id or None)
        self.retention.setValue(round(settings.desired_retention * 100))
        self.new_per_day.setValue(settings.new_per_day)
        self.reviews_per_day.setValue(settings.reviews_per_day)
        self.learning_steps.setText(format_steps(settings.learning_steps))
        self.relearning_steps.setText(format_steps(settings.relearning_steps))
        self.rollover.setValue(settings.day_rollover_hour)
        self.rollover.setEnabled(not self.deck_id)
        self._on_retention_value_changed(self.retention.value())

    def _on_scope_current_index_changed(self, _index: int) -> None:
        self._load()

    def _on_retention_value_changed(self, value: int) -> None:
        self._explanation.setText(retention_explanation(value))

    def _on_steps_text_changed(self, _text: str) -> None:
        try:
            parse_steps(self.learning_steps.text())
            parse_steps(self.relearning_steps.text())
        except ValueError as error:
            self._error.setText(str(error))
        else:
            self._error.clear()
        valid = not self._error.text()
        for which in (
            QDialogButtonBox.StandardButton.Ok,
            QDialogButtonBox.StandardButton.Apply,
        ):
            button = self.buttons.button(which)
            if button is not None:
                button.setEnabled(valid)

    def _on_buttons_clicked(self, button: QAbstractButton) -> None:
        if button is self.buttons.button(QDialogButtonBox.StandardButton.Apply):
            self.save()

    def _on_buttons_accepted(self) -> None:
        if self.save():
            self.accept()
