"""`studyapp draft`: a first deck drafted from a document (PDF, web page, text)."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.core.authoring.document import read_document
from studyapp.core.authoring.draft import draft_deck
from studyapp.core.authoring.output import draft_to_yaml, source_text_path
from studyapp.core.decks.lint import lint_paths

if TYPE_CHECKING:
    from studyapp.cli.common import Subparsers


def add_commands(sub: Subparsers) -> None:
    """Register the draft subcommand."""
    command = sub.add_parser(
        "draft",
        help="draft a deck from a document (PDF, saved web page, Markdown or text)",
        description="Draft a deck from an article: a PDF, a web page saved from a "
        "browser, Markdown or plain text. Key points, glossary, abbreviations, "
        "mechanisms and result-stating references become cards; every card quotes "
        "its passage; what cannot be found is reported, not guessed. The extracted "
        "text of a PDF or web page is saved beside the deck file as its source.",
    )
    command.add_argument("source", type=Path, help="the document")
    command.add_argument("-o", "--output", type=Path, help="deck file to write")
    command.add_argument("--source-id", help="id for the document (default: file name)")
    command.add_argument(
        "--deck-id", help="id for the deck (default: <source id>-draft)"
    )
    command.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Draft the deck and write or print it."""
    document = read_document(args.source)
    source_id = args.source_id or re.sub(
        r"[^a-z0-9._-]+", "-", args.source.stem.lower()
    )
    result = draft_deck(
        document.text, source_id=source_id, title=document.title or None, legacy=False
    )
    folder = args.output.parent if args.output else Path.cwd()
    text_file = source_text_path(document, source_id, folder)
    text_path = os.path.relpath(text_file.resolve(), folder.resolve())
    deck_yaml = draft_to_yaml(result, text_path=text_path, deck_id=args.deck_id)
    if args.output:
        args.output.write_text(deck_yaml, encoding="utf-8")
    else:
        sys.stdout.write(deck_yaml)
    print(result.summary(), file=sys.stderr)
    for card_id, check in result.checks.items():
        print(f"check {card_id}: {check}", file=sys.stderr)
    for warning in document.with_pages(result.warnings):
        print(f"warning: {warning}", file=sys.stderr)
    if args.output:  # the linter's warnings on every draft (issue 16)
        for lint_warning in lint_paths([args.output]).warnings:
            print(f"lint: {lint_warning}", file=sys.stderr)
    return 0
