"""Command line: `studyapp` opens the app; subcommands use the same core."""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from studyapp.cli.run import main as run_main

    return run_main(argv)
