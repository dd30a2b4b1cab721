"""`studyapp backup|check|export-history`: backups, database check, review log."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.core.appfiles import default_data_dir
from studyapp.core.errors import StoreError
from studyapp.core.library import DB_NAME, Library, utc_now
from studyapp.core.safety.backup import (
    BACKUP_DIR,
    BackupInfo,
    list_backups,
    replace_database,
)
from studyapp.core.safety.lock import InstanceLock
from studyapp.words import check_report_lines

if TYPE_CHECKING:
    from studyapp.cli.common import Subparsers


def add_commands(sub: Subparsers) -> None:
    """Register the backup, check and export-history subcommands."""
    backup = sub.add_parser(
        "backup",
        help="list, create or restore backups of the collection",
        description="List, create or restore backups of the collection. Backups "
        "are also taken on close, before imports and checks, and every 30 minutes "
        "while studying; old ones are thinned to daily, weekly and monthly.",
    )
    actions = backup.add_subparsers(dest="backup_action", metavar="ACTION")
    actions.required = True
    listing = actions.add_parser(
        "list",
        help="show backups with their time and card/review counts",
        description="Show backups, newest first, with card and review counts.",
    )
    listing.add_argument("--json", action="store_true", help="print JSON for scripts")
    listing.set_defaults(handler=cmd_backup_list)
    create = actions.add_parser(
        "create", help="take a backup now", description="Take a backup now."
    )
    create.set_defaults(handler=cmd_backup_create)
    restore = actions.add_parser(
        "restore",
        help="replace the collection with a backup (the current state is backed "
        "up first)",
        description="Replace the collection with a backup. The current state is "
        "backed up first, so a restore can itself be undone.",
    )
    restore.add_argument(
        "file", type=Path, help="a backup file, or its name in the backups folder"
    )
    restore.set_defaults(handler=cmd_backup_restore)

    check = sub.add_parser(
        "check",
        help="check the database and repair what is safe (after a backup)",
        description="Check the database: SQLite integrity, links between rows, "
        "scheduling states fsrs can load and the review log. A backup is taken "
        "first; safe repairs are made unless --no-repair is given.",
    )
    check.add_argument(
        "--no-repair", action="store_true", help="only report, change nothing"
    )
    check.add_argument("--json", action="store_true", help="print JSON for scripts")
    check.set_defaults(handler=cmd_check)

    export = sub.add_parser(
        "export-history",
        help="export the review log as CSV (deck, card, rating, time, duration)",
        description="Export the review log as CSV for spreadsheets, one row per "
        "answer: deck, note, card, rating, time (UTC), duration and the state "
        "before the answer.",
    )
    export.add_argument("--out", type=Path, required=True, help="the CSV file to write")
    export.add_argument(
        "--deck", action="append", help="only this deck (repeat for several)"
    )
    export.add_argument(
        "--since", type=_date, help="only answers from this date on (YYYY-MM-DD)"
    )
    export.set_defaults(handler=cmd_export_history)


def cmd_backup_list(args: argparse.Namespace) -> int:
    """Print the backups, newest first."""
    backups = list_backups(_folder(args) / BACKUP_DIR)
    if args.json:
        rows = [
            {**asdict(b), "path": str(b.path), "taken_at": b.taken_at.isoformat()}
            for b in backups
        ]
        print(json.dumps(rows, indent=2))
        return 0
    if not backups:
        print(f"no backups in {_folder(args) / BACKUP_DIR}")
        return 0
    print(f"{'taken (UTC)':<20} {'cards':>7} {'reviews':>8} {'size':>9}  file")
    for info in backups:
        print(_backup_line(info))
    return 0


def cmd_backup_create(args: argparse.Namespace) -> int:
    """Take a backup now and print its file."""
    library = _open(args)
    try:
        assert library.backups is not None  # Library.open always has a folder
        path = library.backups.create(utc_now(), "manual")
    finally:
        library.close()
    print(f"backup written: {path}")
    return 0


def cmd_backup_restore(args: argparse.Namespace) -> int:
    """Restore a backup after backing up the current state."""
    source: Path = args.file
    folder = _folder(args) / BACKUP_DIR
    if not source.exists() and (folder / source.name).exists():
        source = folder / source.name
    try:
        library = _open(args)
    except StoreError as error:  # too damaged to open: swap the file instead
        return _replace_damaged(args, source.resolve(), error)
    try:
        assert library.backups is not None  # Library.open always has a folder
        safety = library.backups.restore(source.resolve(), utc_now())
        cards, reviews = library.totals()
    finally:
        library.close()
    print(f"restored {source}: {cards} cards, {reviews} reviews")
    print(f"the state before the restore is saved as {safety}")
    return 0


def _replace_damaged(args: argparse.Namespace, source: Path, error: Exception) -> int:
    folder = _folder(args)
    print(f"the collection cannot be opened ({error}); replacing it with the backup")
    with InstanceLock(folder):
        kept = replace_database(folder / DB_NAME, source, utc_now())
    library = _open(args)
    try:
        cards, reviews = library.totals()
    finally:
        library.close()
    print(f"restored {source}: {cards} cards, {reviews} reviews")
    if kept is not None:
        print(f"the damaged file is kept as {kept}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Check (and repair) the database; exit 1 if problems remain."""
    library = _open(args)
    try:
        report = library.check(now=utc_now(), repair=not args.no_repair)
    finally:
        library.close()
    if args.json:
        data = asdict(report)
        data["backup"] = str(report.backup) if report.backup else None
        data["is_ok"] = report.is_ok
        print(json.dumps(data, indent=2))
    else:
        print(
            "\n".join(
                check_report_lines(
                    report, restore_hint="studyapp backup list / restore FILE"
                )
            )
        )
    return 0 if report.is_ok else 1


def cmd_export_history(args: argparse.Namespace) -> int:
    """Write the review log as CSV."""
    library = _open(args)
    try:
        count = library.export_history(args.out, deck_ids=args.deck, since=args.since)
    finally:
        library.close()
    print(f"wrote {count} reviews to {args.out}")
    return 0


def _open(args: argparse.Namespace) -> Library:
    # Bundled decks are not imported here: a restore or check must see the
    # collection as it is.
    return Library.open(args.data_dir)


def _folder(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else default_data_dir()


def _backup_line(info: BackupInfo) -> str:
    taken = info.taken_at.strftime("%Y-%m-%d %H:%M:%S")
    cards = "?" if info.cards is None else str(info.cards)
    reviews = "?" if info.reviews is None else str(info.reviews)
    size = f"{info.size / 1024:.0f} KiB"
    return f"{taken:<20} {cards:>7} {reviews:>8} {size:>9}  {info.path.name}"


def _date(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None
