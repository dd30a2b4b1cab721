"""Scheduler settings to and from plain dicts (steps in minutes), validated.

Settings are stored as JSON in the database and written in deck files; this
module is the one place that turns them into ``SchedulerSettings`` and back,
and the one place that says which values are allowed. Settings enter from
deck files, text-file headers, the settings dialog and the database; every
one of those paths checks them here, and ``settings_from_dict`` skips any
value that is still bad, so a poisoned row can never crash scheduling.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import timedelta
from typing import Any

from studyapp.core.errors import StudyAppError
from studyapp.core.model import SchedulerSettings

_STEP_KEYS = ("learning_steps", "relearning_steps")
#: Allowed ranges: (low, high) inclusive, for numbers; steps in minutes.
LIMITS: dict[str, tuple[float, float]] = {
    "desired_retention": (0.7, 0.99),
    "maximum_interval": (1, 36500),
    "new_per_day": (0, 100_000),
    "reviews_per_day": (0, 1_000_000),
    "day_rollover_hour": (0, 23),
}
#: On/off settings: true or false only.
FLAG_KEYS = ("bury_siblings", "separate_passages")
MAX_STEPS = 20
MAX_STEP_MINUTES = 365 * 24 * 60  # a year
SETTING_KEYS = (*LIMITS, *_STEP_KEYS, *FLAG_KEYS)


class SettingsError(StudyAppError, ValueError):
    """Settings outside the allowed ranges; the message names each bad one."""


def check_settings(settings: SchedulerSettings) -> None:
    """Refuse a settings object with a value outside the allowed ranges.

    Raises:
        SettingsError: Naming every bad value.
    """
    problems = settings_object_problems(settings)
    if problems:
        raise SettingsError("; ".join(problems))


def setting_problem(key: str, value: Any) -> str | None:
    """Why ``value`` is not allowed for the setting ``key``, or None if it is."""
    if key in _STEP_KEYS:
        if not isinstance(value, list | tuple) or len(value) > MAX_STEPS:
            return f"'{key}' must be a list of at most {MAX_STEPS} minutes"
        if not all(_number(m, 1 / 60, MAX_STEP_MINUTES) for m in value):
            return (
                f"'{key}' must be a list of minutes, each from 1 second "
                f"to {MAX_STEP_MINUTES} (a year)"
            )
        return None
    if key in FLAG_KEYS:
        return None if isinstance(value, bool) else f"'{key}' must be true or false"
    if key not in LIMITS:
        return f"unknown setting '{key[:40]}'; allowed: {', '.join(SETTING_KEYS)}"
    low, high = LIMITS[key]
    whole = key != "desired_retention"
    if not _number(value, low, high) or (whole and not isinstance(value, int)):
        kind = "a whole number" if whole else "a number"
        return f"'{key}' must be {kind} from {low:g} to {high:g}"
    return None


def settings_problems(values: Any) -> list[tuple[str, str]]:
    """Every bad entry of a settings mapping, as (key, message) pairs."""
    if not isinstance(values, Mapping):
        return [("", "settings must be a mapping of names to values")]
    problems = []
    for key, value in values.items():
        message = setting_problem(str(key), value)
        if message:
            problems.append((str(key), message))
    return problems


def settings_object_problems(settings: SchedulerSettings) -> list[str]:
    """Every bad value of a settings object (as the dialog builds it)."""
    return [message for _, message in settings_problems(settings_to_dict(settings))]


def settings_from_dict(
    values: Mapping[str, Any], base: SchedulerSettings
) -> SchedulerSettings:
    """Apply stored or deck-file settings (steps in minutes) onto ``base``.

    Values that break the rules above are skipped: stored settings are
    checked where they enter, and ``check`` repairs any that got in anyway.
    """
    if not isinstance(values, Mapping):
        return base
    known = {f.name for f in fields(SchedulerSettings)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known or setting_problem(key, value):
            continue
        if key in _STEP_KEYS:
            value = tuple(timedelta(minutes=float(m)) for m in value)
        elif key == "desired_retention":
            value = float(value)
        changes[key] = value
    return replace(base, **changes)


def settings_to_dict(settings: SchedulerSettings) -> dict[str, Any]:
    """Settings as plain JSON-able values (steps in minutes)."""
    values: dict[str, Any] = {}
    for f in fields(SchedulerSettings):
        value = getattr(settings, f.name)
        if f.name in _STEP_KEYS:
            value = [step.total_seconds() / 60 for step in value]
        values[f.name] = value
    return values


def _number(value: Any, low: float, high: float) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and low <= value <= high
