"""`studyapp export` (decks out to Anki packages, text, CSV, YAML) and `media`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.cli.common import open_library
from studyapp.core.errors import StudyAppError
from studyapp.core.interop.anki_media import list_media
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
    media = sub.add_parser(
        "media",
        help="list the media files kept from imported Anki packages",
        description="List the images and audio files kept in the collection's "
        "media folder. Images show in review; audio is kept and listed, not yet "
        "played.",
    )
    media.add_argument("--json", action="store_true", help="print JSON for scripts")
    media.set_defaults(handler=cmd_media)


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


def cmd_media(args: argparse.Namespace) -> int:
    """Print the kept media files: kind, size and stored name."""
    library = open_library(args)
    try:
        folder = library.media_dir
        rows = list_media(folder)
    finally:
        library.close()
    if args.json:
        print(json.dumps([row._asdict() for row in rows], indent=2))
        return 0
    for row in rows:
        note = "" if row.kind == "image" else "  (kept; not played yet)"
        print(f"{row.kind:<5} {row.size:>9}  {row.name}{note}")
    print(f"{len(rows)} file(s) in {folder}")
    return 0
