"""The settings dialog: scheduling (global or per deck) and the app's appearance."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.library import Library
from studyapp.core.model import SchedulerSettings
from studyapp.gui.plain import PlainLabel, plain_tip
from studyapp.gui.scheduling_tab import SchedulingTab
from studyapp.gui.theme import (
    CARD_SIZES,
    THEMES,
    UI_SIZES,
    Appearance,
    apply_theme,
    load_appearance,
    save_appearance,
)

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

    The appearance (theme, font sizes) is the app's, not a deck's: it is
    applied live as it is changed and kept in the window settings.

    Signals:
        settings_saved(str): settings were saved; carries the deck id, or an
            empty string for the global settings.
        appearance_changed(object): the theme or a font size changed and was
            applied; carries the Appearance.
    """

    settings_saved = Signal(str)
    appearance_changed = Signal(object)

    def __init__(
        self,
        library: Library,
        decks: list[tuple[str, str]],
        deck_id: str | None = None,
        parent: QWidget | None = None,
        *,
        window_settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._window_settings = window_settings
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.scope = QComboBox()
        self.scope.setAccessibleName("Apply to")
        self.scope.addItem("All decks (global settings)", "")
        for identifier, title in decks:
            self.scope.addItem(f"Only the deck: {title}", identifier)
            self.scope.setItemData(
                self.scope.count() - 1, plain_tip(title), Qt.ItemDataRole.ToolTipRole
            )
        # A long deck title is cut in the box (its tooltip has it all), not
        # allowed to widen the dialog past the screen.
        self.scope.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.scope.setMinimumContentsLength(24)
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
        self.bury_siblings = QCheckBox(
            "Bury siblings: a note's other cards wait until the next day"
        )
        self.bury_siblings.setAccessibleName("Bury siblings until the next day")
        self.separate_passages = QCheckBox(
            "Keep cards that quote the same passage apart in a session"
        )
        self.separate_passages.setAccessibleName("Keep same-passage cards apart")
        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme")
        for key, title in THEMES.items():
            self.theme.addItem(title, key)
        self.card_size = self._spin("Card text size", *CARD_SIZES, " pt")
        self.ui_size = self._spin("Interface text size", 0, UI_SIZES[1], " pt")
        self.ui_size.setSpecialValueText("System size")
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
        form.addRow("Related cards:", self.bury_siblings)
        form.addRow("", self.separate_passages)
        looks = QFormLayout()
        looks.addRow("Theme:", self.theme)
        looks.addRow("Card text:", self.card_size)
        looks.addRow("Interface text:", self.ui_size)
        appearance = QGroupBox("Appearance (this computer; applies at once)")
        appearance.setLayout(looks)
        note = PlainLabel(
            "Steps are short waits for new and forgotten cards, e.g. 1m 10m "
            "(s, m, h, d). The day start applies to all decks. Settings for "
            "one deck replace the global ones for that deck."
        )
        note.setWordWrap(True)
        note.setObjectName("explanation")
        general = QWidget()
        general_layout = QVBoxLayout(general)
        general_layout.addLayout(form)
        general_layout.addWidget(note)
        general_layout.addWidget(appearance)
        self.tabs = QTabWidget()
        self.tabs.addTab(general, "General")
        self.scheduling = SchedulingTab(library, lambda: self.deck_id)
        self.tabs.addTab(self.scheduling, "Scheduling")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
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
        self._load_appearance()
        self.theme.currentIndexChanged.connect(self._on_appearance_changed)
        self.card_size.valueChanged.connect(self._on_appearance_changed)
        self.ui_size.valueChanged.connect(self._on_appearance_changed)

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
            bury_siblings=self.bury_siblings.isChecked(),
            separate_passages=self.separate_passages.isChecked(),
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
        self.bury_siblings.setChecked(settings.bury_siblings)
        self.separate_passages.setChecked(settings.separate_passages)
        self._on_retention_value_changed(self.retention.value())

    def appearance(self) -> Appearance:
        """The appearance the form shows."""
        return Appearance(
            str(self.theme.currentData()), self.card_size.value(), self.ui_size.value()
        )

    def _load_appearance(self) -> None:
        look = (
            load_appearance(self._window_settings)
            if self._window_settings is not None
            else Appearance()
        )
        self.theme.setCurrentIndex(max(0, self.theme.findData(look.theme)))
        self.card_size.setValue(look.card_pt)
        self.ui_size.setValue(look.ui_pt)

    def _on_appearance_changed(self) -> None:
        look = self.appearance()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, look)
        if self._window_settings is not None:
            save_appearance(self._window_settings, look)
        self.appearance_changed.emit(look)

    def _on_scope_current_index_changed(self, _index: int) -> None:
        self.scope.setToolTip(plain_tip(self.scope.currentText()))  # if cut
        self._load()
        self.scheduling.refresh()

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
