"""`studyapp export`: decks out to Anki packages, text, CSV or YAML."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.cli.common import open_library
from studyapp.core.errors import StudyAppError
from studyapp.core.interop.dispatch import EXPORT_FORMATS

if TYPE_CHECKING:
    from studyapp.cli.common import Subparsers


def add_commands(sub: Subparsers) -> None:
    """Register the export subcommand."""
    formats = ", ".join(f".{f}" for f in EXPORT_FORMATS)
    command = sub.add_parser(
        "export",
        help="export decks to an Anki package, Anki-style text, CSV or YAML",
        description=f"Export decks; the output file's suffix picks the format "
        f"({formats}). An .apkg holds every deck; other formats write one file a "
        "deck when several are given. Review history stays in the database; use "
        "export-history for that.",
    )
    command.add_argument("decks", nargs="*", help="deck ids (default: every deck)")
    command.add_argument(
        "-o", "--output", type=Path, required=True, help="file to write"
    )
    command.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Export the decks and list the files written."""
    library = open_library(args)
    try:
        known = [row.id for row in library.deck_counts()]
        wanted = args.decks or known
        unknown = [deck_id for deck_id in wanted if deck_id not in known]
        if unknown:
            raise StudyAppError(
                f"no deck {', '.join(unknown)}; known decks: {', '.join(known)}"
            )
        written = library.export(wanted, args.output)
    finally:
        library.close()
    for path in written:
        print(path)
    return 0
