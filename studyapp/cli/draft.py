"""`studyapp draft`: a first deck drafted from a document's text."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.core.authoring.draft import draft_deck, draft_to_yaml
from studyapp.core.decks.lint import lint_paths
from studyapp.core.errors import StudyAppError
from studyapp.core.model import CardKind

if TYPE_CHECKING:
    from studyapp.cli.common import Subparsers


def add_commands(sub: Subparsers) -> None:
    """Register the draft subcommand."""
    command = sub.add_parser(
        "draft",
        help="draft a deck from a document's text (key points, glossary, "
        "mechanisms, references)",
        description="Draft a deck from the plain text of an article laid out like a "
        "journal web page (Abstract, Key points, Glossary, References). Every card "
        "quotes its passage; what cannot be found is reported, not guessed.",
    )
    command.add_argument("source", type=Path, help="the document's plain text (UTF-8)")
    command.add_argument("-o", "--output", type=Path, help="deck file to write")
    command.add_argument("--source-id", help="id for the document (default: file name)")
    command.add_argument(
        "--deck-id", help="id for the deck (default: <source id>-draft)"
    )
    command.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Draft the deck and write or print it."""
    try:
        text = args.source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise StudyAppError(
            f"{args.source}: cannot read as UTF-8 text: {error}"
        ) from None
    source_id = args.source_id or re.sub(
        r"[^a-z0-9._-]+", "-", args.source.stem.lower()
    )
    result = draft_deck(text, source_id=source_id)
    folder = args.output.parent if args.output else Path.cwd()
    text_path = os.path.relpath(args.source.resolve(), folder.resolve())
    deck_yaml = draft_to_yaml(result, text_path=text_path, deck_id=args.deck_id)
    if args.output:
        args.output.write_text(deck_yaml, encoding="utf-8")
    else:
        sys.stdout.write(deck_yaml)
    counts = ", ".join(f"{result.count(kind)} {kind.value}" for kind in CardKind)
    print(f"drafted {len(result.cards)} cards: {counts}", file=sys.stderr)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.output:  # the linter's warnings on the draft (issue 16)
        for lint_warning in lint_paths([args.output]).warnings:
            print(f"lint: {lint_warning}", file=sys.stderr)
    return 0
