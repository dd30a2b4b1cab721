"""The ``lint:`` key of a card: which linter rules it silences, and why."""

from __future__ import annotations

from typing import Any

from studyapp.core.decks.linttext import RULES
from studyapp.core.decks.problems import Checker, Where

LINT_KEYS = ("ignore", "why")


def check_lint_setting(checker: Checker, value: Any, where: Where, label: str) -> None:
    """Check ``lint: {ignore: [rule, ...], why: "..."}``; report what is wrong."""
    if value is None:
        return
    at: Where = (*where, "lint")
    data = checker.mapping(value, at, LINT_KEYS, f"{label} lint")
    if not isinstance(value, dict):
        return
    rules = checker.text_list(data, "ignore", at, f"{label} lint")
    if not rules and "ignore" in data and isinstance(data["ignore"], list):
        checker.add((*at, "ignore"), f"{label} lint: 'ignore' lists no rule")
    elif "ignore" not in data:
        checker.add(at, f"{label} lint: missing 'ignore' (a list of rule names)")
    for rule in rules:
        if rule not in RULES:
            checker.add(
                (*at, "ignore"),
                f"{label} lint: unknown rule '{rule}'; rules: {', '.join(RULES)}",
            )
    why = checker.text(data, "why", at, f"{label} lint", required=True)
    if why and len(why.split()) < 3:
        checker.add(
            (*at, "why"), f"{label} lint: say in a few words why the rule does not fit"
        )
