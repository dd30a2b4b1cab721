"""Command line: `studyapp` opens the app; subcommands use the same core."""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    import sys

    from studyapp.cli.run import main as run_main
    from studyapp.cli.terminal import CleanStream

    out, err = sys.stdout, sys.stderr
    sys.stdout = CleanStream(out)
    sys.stderr = CleanStream(err)
    try:
        return run_main(argv)
    finally:
        sys.stdout, sys.stderr = out, err
