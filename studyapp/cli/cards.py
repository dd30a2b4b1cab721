"""`studyapp cards|suspend|unsuspend|flag`: find review cards and mark them."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from studyapp.cli.common import open_library
from studyapp.core.clock import from_ms
from studyapp.core.library import utc_now
from studyapp.core.model import State
from studyapp.core.query import CardRow

if TYPE_CHECKING:
    from studyapp.cli.common import Subparsers

_QUERY_HELP = (
    'search, e.g. deck:pedersen-2019 is:due "exact phrase" -tag:x (kind:glossary '
    "OR kind:mechanism) prop:r<0.7; several words are joined with spaces"
)
_TEXT_WIDTH = 60
QUERY_COMMANDS = ("cards", "suspend", "unsuspend", "flag")
_OPTIONS = ("--json", "-h", "--help")


def protect_query(argv: list[str]) -> list[str]:
    """Let a query's ``-term`` negations through argparse.

    The command's own options go first, then ``--``, then the query words,
    so ``studyapp cards deck:x -tag:y`` needs no quoting or ``--``.
    """
    for at, token in enumerate(argv):
        if token in QUERY_COMMANDS and (at == 0 or argv[at - 1] != "--data-dir"):
            rest = argv[at + 1 :]
            if "--" in rest:
                return argv
            options = [t for t in rest if t in _OPTIONS]
            words = [t for t in rest if t not in _OPTIONS]
            return [*argv[: at + 1], *options, "--", *words]
    return argv


def add_commands(sub: Subparsers) -> None:
    """Register the cards, suspend, unsuspend and flag subcommands."""
    cards = sub.add_parser(
        "cards",
        help="list the review cards a search matches",
        description="List the review cards matching a search (the card browser's "
        "query language; an empty query lists every card).",
    )
    cards.add_argument("query", nargs="*", help=_QUERY_HELP)
    cards.add_argument("--json", action="store_true", help="print JSON for scripts")
    cards.set_defaults(handler=cmd_cards)
    for name, verb in (
        ("suspend", "keep the matching cards out of reviews"),
        ("unsuspend", "let the matching suspended cards be reviewed again"),
    ):
        command = sub.add_parser(name, help=verb, description=f"{verb.capitalize()}.")
        command.add_argument("query", nargs="+", help=_QUERY_HELP)
        command.set_defaults(handler=cmd_mark, action=name)
    flag = sub.add_parser(
        "flag",
        help="flag the matching cards (1-7; 0 removes the flag)",
        description="Flag the matching cards with flag N (1 red, 2 orange, 3 green, "
        "4 blue, 5 pink, 6 turquoise, 7 purple); 0 removes the flag.",
    )
    flag.add_argument("number", type=int, choices=range(8), metavar="N")
    flag.add_argument("query", nargs="+", help=_QUERY_HELP)
    flag.set_defaults(handler=cmd_mark, action="flag")


def _state_name(state: int) -> str:
    return State(state).name.lower()


def row_to_json(row: CardRow) -> dict[str, object]:
    """One review card as ``studyapp cards --json`` prints it."""
    return {
        "deck": row.deck_id,
        "card": row.note_id,
        "ord": row.ord,
        "id": row.card_id,
        "kind": row.kind,
        "type": row.type,
        "state": _state_name(row.state),
        "due": from_ms(row.due_ms).isoformat(),
        "tags": list(row.tags),
        "suspended": row.suspended,
        "buried": row.buried,
        "flag": row.flag,
    }


def cmd_cards(args: argparse.Namespace) -> int:
    """Print the matching review cards, one a line (or JSON)."""
    library = open_library(args)
    try:
        now = utc_now()
        rows = library.cards.rows(
            library.cards.find(" ".join(args.query), now=now), now=now
        )
    finally:
        library.close()
    if args.json:
        print(json.dumps([row_to_json(row) for row in rows], indent=2))
        return 0
    for row in rows:
        due = from_ms(row.due_ms).astimezone().strftime("%Y-%m-%d")
        marks = ("S" if row.suspended else "") + (f"F{row.flag}" if row.flag else "")
        text = " ".join(row.text.split())
        if len(text) > _TEXT_WIDTH:
            text = text[: _TEXT_WIDTH - 1] + "…"
        print(
            f"{row.deck_id}  {row.note_id}#{row.ord}  {row.kind}  "
            f"{_state_name(row.state)}  {due}  {marks:<3} {text}"
        )
    print(f"{len(rows)} card(s)")
    return 0


def cmd_mark(args: argparse.Namespace) -> int:
    """Suspend, unsuspend or flag the matching cards; say how many."""
    library = open_library(args)
    try:
        ids = library.cards.find(" ".join(args.query), now=utc_now())
        if args.action == "suspend":
            count, done = library.cards.suspend(ids), "suspended"
        elif args.action == "unsuspend":
            count, done = library.cards.unsuspend(ids), "unsuspended"
        else:
            count = library.cards.flag(ids, args.number)
            done = f"flagged {args.number}" if args.number else "unflagged"
    finally:
        library.close()
    print(f"{count} card(s) {done}")
    return 0
