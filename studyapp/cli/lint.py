"""`studyapp lint`: warnings on cards that break the minimum-information principle."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyapp.core.decks.lint import LintReport, LintWarning, lint_paths

if TYPE_CHECKING:
    from studyapp.cli.common import Subparsers


def add_commands(sub: Subparsers) -> None:
    """Register the lint subcommand."""
    command = sub.add_parser(
        "lint",
        help="warn about badly formed cards (overloaded answers, answers given "
        "away, dropped hedges, guessable clozes, duplicates...)",
        description="Check deck files against the minimum-information principle. "
        "Each warning gives path:line:column, the card, the rule and a one-line "
        "fix. A card silences a rule with `lint: {ignore: [rule], why: ...}`. "
        "Exits with 1 when a warning is left unexplained or a deck does not load.",
    )
    command.add_argument("paths", nargs="+", type=Path, help="deck files or folders")
    command.add_argument("--json", action="store_true", help="print JSON for scripts")
    command.add_argument(
        "--show-silenced",
        action="store_true",
        help="also list the warnings cards silence, with their reasons",
    )
    command.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Lint the decks and print the warnings."""
    report = lint_paths(args.paths)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if args.json:
        print(json.dumps(warnings_json(report, args.show_silenced), indent=2))
    else:
        print_report(report, show_silenced=args.show_silenced)
    return 1 if report.problems or report.warnings else 0


def warnings_json(report: LintReport, show_silenced: bool) -> list[dict[str, Any]]:
    """One object per warning: file, line, column, deck, card, rule, message, fix."""
    chosen = list(report.warnings)
    if show_silenced:
        chosen += report.silenced
    return [_as_json(warning) for warning in chosen]


def _as_json(warning: LintWarning) -> dict[str, Any]:
    found = asdict(warning)
    found["silenced"] = bool(warning.why)
    return found


def print_report(report: LintReport, *, show_silenced: bool = False) -> None:
    """Print each warning on its line, then the counts per rule."""
    for warning in report.warnings:
        print(warning)
    if show_silenced:
        for warning in report.silenced:
            print(f"{warning} [silenced: {warning.why}]")
    counts = ", ".join(f"{rule} {n}" for rule, n in report.counts().items() if n)
    print(
        f"{len(report.warnings)} warning(s){f' ({counts})' if counts else ''}; "
        f"{len(report.silenced)} silenced with a reason",
        file=sys.stderr,
    )


def print_lint(paths: list[Path], problems: list[Any], *, as_json: bool) -> int:
    """`validate --lint`: the problems, then the warnings; warnings do not fail."""
    report = lint_paths(paths)
    if as_json:
        print(
            json.dumps(
                {
                    "problems": [asdict(p) for p in problems],
                    "warnings": warnings_json(report, False),
                },
                indent=2,
            )
        )
    else:
        for problem in problems:
            print(problem)
        print_report(report)
        if not problems:
            print("all decks are valid")
    return 1 if problems else 0
