"""Collecting located problems while reading values out of parsed YAML."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from functools import cache
from typing import Any

MAX_FIELD_CHARS = 100_000
MAX_MESSAGE_CHARS = 400  # a problem never quotes a whole value


def shown(value: Any) -> str:
    """A value as a message may quote it: text cut at 60 characters, else its kind."""
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, bool | int | float) or value is None:
        return repr(value)
    return _kind_of(value)


@cache
def _key_set(keys: tuple[str, ...]) -> frozenset[str]:
    return frozenset(keys)


Where = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Located:
    """A problem found in the data, located by its path of keys and indices."""

    where: Where
    message: str
    at_key: bool = False  # point at the key itself rather than its value


class Checker:
    """Collects problems while reading values out of the parsed YAML."""

    def __init__(self) -> None:
        self.problems: list[Located] = []

    def add(self, where: Where, message: str, *, at_key: bool = False) -> None:
        """Record a problem at ``where`` (the key itself if ``at_key``)."""
        if len(message) > MAX_MESSAGE_CHARS:
            message = message[: MAX_MESSAGE_CHARS - 1] + "…"
        self.problems.append(Located(where, message, at_key))

    def mapping(
        self, value: Any, where: Where, allowed: tuple[str, ...], label: str
    ) -> dict[str, Any]:
        """``value`` if it is a mapping; unknown keys are reported with a hint."""
        if not isinstance(value, dict):
            self.add(where, f"{label}: expected a mapping of keys to values")
            return {}
        if value.keys() <= _key_set(allowed):
            return value
        for key in value:
            if key not in allowed:
                name = str(key)[:100] if isinstance(key, str) else ""
                hint = difflib.get_close_matches(name, allowed, n=1) if name else []
                tip = f" (did you mean '{hint[0]}'?)" if hint else ""
                allowed_list = ", ".join(allowed)
                self.add(
                    (*where, key),
                    f"{label}: unknown key {shown(key)}{tip}; allowed: {allowed_list}",
                    at_key=True,
                )
        return value

    def text(
        self,
        data: dict[str, Any],
        key: str,
        where: Where,
        label: str,
        *,
        required: bool,
    ) -> str:
        """``data[key]`` as text ('' when absent or wrong, with a problem)."""
        value = data.get(key)
        if (
            type(value) is str
            and len(value) <= MAX_FIELD_CHARS
            and (not required or (value and not value.isspace()))
        ):
            return value  # the common case, kept cheap for big decks
        if value is None:
            if required:
                self.add(where, f"{label}: missing '{key}'")
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        if not isinstance(value, str):
            tip = "; put it in quotes" if isinstance(value, int | float) else ""
            self.add(
                (*where, key),
                f"{label}: '{key}' must be text, not {_kind_of(value)}{tip}",
            )
            return ""
        if len(value) > MAX_FIELD_CHARS:
            self.add(
                (*where, key),
                f"{label}: '{key}' is {len(value)} characters; "
                f"the limit is {MAX_FIELD_CHARS}",
            )
            return ""
        if required and not value.strip():
            self.add((*where, key), f"{label}: '{key}' is empty")
        return value

    def text_list(
        self, data: dict[str, Any], key: str, where: Where, label: str
    ) -> tuple[str, ...]:
        """``data[key]`` as a tuple of texts (empty when absent or wrong)."""
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(type(v) is str for v in value):
            self.add(
                (*where, key), f"{label}: '{key}' must be a list of texts, like [a, b]"
            )
            return ()
        return tuple(value)

    def enum(self, value: Any, enum_type: Any, where: Where, label: str) -> Any:
        """``value`` as a member of ``enum_type``, or None with a problem."""
        if isinstance(value, str):
            try:
                return enum_type(value)
            except ValueError:
                pass
        names = ", ".join(member.value for member in enum_type)
        self.add(where, f"{label}: {shown(value)} is not one of {names}")
        return None


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
