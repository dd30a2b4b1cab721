"""Scheduler settings to and from plain dicts (steps in minutes).

Settings are stored as JSON in the database and written in deck files; this
module is the one place that turns them into ``SchedulerSettings`` and back.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import timedelta
from typing import Any

from studyapp.core.model import SchedulerSettings

_STEP_KEYS = ("learning_steps", "relearning_steps")


def settings_from_dict(
    values: dict[str, Any], base: SchedulerSettings
) -> SchedulerSettings:
    """Apply stored or deck-file settings (steps in minutes) onto ``base``."""
    known = {f.name for f in fields(SchedulerSettings)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            continue
        if key in _STEP_KEYS:
            value = tuple(timedelta(minutes=float(m)) for m in value)
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
