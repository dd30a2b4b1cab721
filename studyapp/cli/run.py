"""The parser, the basic subcommands and ``main``: the CLI's entry."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp import __version__
from studyapp.cli.common import Handler, open_library
from studyapp.core.appfiles import DATA_DIR_ENV
from studyapp.core.decks.reader import validate_paths
from studyapp.core.decks.richtext import to_plain_text
from studyapp.core.errors import DeckError, StoreError, StudyAppError, WriteError
from studyapp.core.library import Library, utc_now
from studyapp.core.model import Rating
from studyapp.core.study.review import ReviewQueue
from studyapp.words import format_interval

if TYPE_CHECKING:
    from studyapp.cli.common import Subparsers
    from studyapp.core.interop.anki_package import PackageSummary


_RATING_KEYS = {"1": Rating.AGAIN, "2": Rating.HARD, "3": Rating.GOOD, "4": Rating.EASY}


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate deck files; print every problem as path:line:col: message."""
    problems = validate_paths(args.paths)
    if args.lint:
        from studyapp.cli.lint import print_lint

        return print_lint(args.paths, problems, as_json=args.json)
    if args.json:
        print(json.dumps([asdict(p) for p in problems], indent=2))
    for problem in problems if not args.json else ():
        print(problem)
    if not problems and not args.json:
        print("all decks are valid")
    return 1 if problems else 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import deck files or folders, Anki packages and text files."""
    from studyapp.core.model import ImportSummary

    library = Library.open(args.data_dir)
    try:
        results = library.import_files(args.paths, force=args.force)
    finally:
        library.close()
    summaries = [r for r in results if isinstance(r, ImportSummary)]
    packaged = [r for r in results if not isinstance(r, ImportSummary)]
    if args.json:
        data: list[dict[str, object]] = [asdict(s) for s in summaries]
        print(json.dumps(data + [asdict(p) for p in packaged], indent=2))
        return 0
    for summary in summaries:
        print(summary)
    for package in packaged:
        print(package_lines(package))
    return 0


def package_lines(summary: PackageSummary) -> str:
    """What a package import did: a headline, then what was left out and why."""
    h = summary.history
    left_out = [f"  not imported: {why}" for why in summary.media_refused]
    left_out += [f"  skipped {note}" for note in summary.skipped_notes]
    if h.studied_without_history:
        left_out.append(
            f"  {h.studied_without_history} cards studied in Anki have no answers "
            "in its review log and start as new"
        )
    if h.skipped_rows or h.orphaned_rows:
        left_out.append(
            f"  {h.skipped_rows} revlog rows are not answers (manual, rescheduled, "
            f"cram); {h.orphaned_rows} answers belong to notes not imported"
        )
    head = (
        f"{summary.path}: {summary.notes_added} notes and {summary.cards_added} "
        f"cards added, {h.reviews_added} reviews added ({h.reviews_known} already "
        f"there), {summary.images} images and {summary.audio} audio files kept "
        f"({summary.media_added} new; audio is listed, not played yet)\n"
        f"  {h.cards_replayed} cards replayed from their history "
        f"({h.memory_checked - h.memory_differs} of {h.memory_checked} agree with "
        f"Anki's FSRS state); {h.suspended} suspended, {h.buried} buried, "
        f"{h.flagged} flagged"
    )
    return "\n".join([head, *left_out, *(f"  {deck}" for deck in summary.decks)])


def cmd_due(args: argparse.Namespace) -> int:
    """Print new / learning / due counts per deck."""
    library = open_library(args)
    try:
        counts = library.deck_counts()
    finally:
        library.close()
    if args.json:
        print(json.dumps([asdict(c) for c in counts], indent=2))
        return 0
    width = max((len(c.id) for c in counts), default=4)
    print(f"{'deck':<{width}}  {'new':>5} {'learn':>5} {'due':>5} {'total':>6}")
    for c in counts:
        print(f"{c.id:<{width}}  {c.new:>5} {c.learning:>5} {c.due:>5} {c.total:>6}")
    total = [
        sum(getattr(c, k) for c in counts) for k in ("new", "learning", "due", "total")
    ]
    print(f"{'all':<{width}}  {total[0]:>5} {total[1]:>5} {total[2]:>5} {total[3]:>6}")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """Review due cards in the terminal (also how to study without a display)."""
    library = open_library(args)
    try:
        return _review_loop(library, args.deck or None, args.limit)
    finally:
        library.close()


def _review_loop(library: Library, deck_ids: list[str] | None, limit: int) -> int:
    queue = library.review_queue(deck_ids)
    answered = 0
    while limit <= 0 or answered < limit:
        card = queue.next_card(utc_now())
        if card is None:
            print(f"Done: {answered} answered. Nothing more is due now.")
            return 0
        left = queue.remaining
        counts = f"{left.learning} learning · {left.review} review · {left.new} new"
        print(f"\n[{counts}]  {card.deck_id}")
        print(to_plain_text(card.front))
        started = time.monotonic()
        command = _ask("Enter: show answer · u: undo · q: quit > ")
        if command == "q":
            break
        if command == "u":
            answered -= _undo(queue)
            continue
        print("-" * 40)
        print(to_plain_text(card.back))
        if card.source is not None:
            print(f"  (source: {card.source.ref}, {card.source.section})")
        intervals = queue.intervals(utc_now())
        labels = "  ".join(
            f"{int(r)} {r.name.title()} · {format_interval(i.total_seconds())}"
            for r, i in intervals.items()
        )
        while True:
            key = _ask(f"{labels}  (u: undo, q: quit) > ")
            if key in _RATING_KEYS or key in ("q", "u"):
                break
        if key == "q":
            break
        if key == "u":
            answered -= _undo(queue)
            continue
        duration = int((time.monotonic() - started) * 1000)
        try:
            queue.answer(_RATING_KEYS[key], now=utc_now(), duration_ms=duration)
        except WriteError as error:
            raise WriteError(
                f"your last answer was not saved ({answered} earlier answers are "
                f"saved): {error}"
            ) from None
        answered += 1
        try:  # at most every 30 minutes, as in the GUI
            library.maybe_backup(utc_now())
        except StoreError as error:  # the answers are saved; say so, go on
            print(f"warning: {error}; your answers are saved", file=sys.stderr)
    print(f"Stopped: {answered} answered; every answer is saved.")
    return 0


def _undo(queue: ReviewQueue) -> int:
    """Undo the last answer; returns how many answers were taken back."""
    if not queue.can_undo:
        print("Nothing to undo in this session.")
        return 0
    queue.undo()
    print("Undone: the last answer was taken back.")
    return 1


def _ask(prompt: str) -> str:
    try:
        return input(prompt).strip().lower()
    except EOFError:
        return "q"


def cmd_stats(args: argparse.Namespace) -> int:
    """Print reviews today, retention and cards by state.

    With --days N, also the answers of each of the last N days; with
    --sections, the mastery of each source section, weakest first.
    """
    library = open_library(args)
    try:
        now = utc_now()
        result = library.stats.summary(now)
        days = library.stats.reviews_per_day(now, args.days) if args.days > 0 else []
        sections = library.stats.section_mastery(now) if args.sections else []
    finally:
        library.close()
    if args.json:
        data = asdict(result)
        if args.days > 0:
            data["days"] = [
                {
                    "date": d.start.astimezone().date().isoformat(),
                    "start": d.start.isoformat(),
                    **{r.name.lower(): d.count(r) for r in Rating},
                    "total": d.total,
                    "minutes": round(d.minutes, 2),
                }
                for d in days
            ]
        if args.sections:
            data["sections"] = [{**asdict(m), "label": m.label} for m in sections]
        print(json.dumps(data, indent=2))
        return 0
    retention = (
        f"{result.retention_30d:.1%}" if result.retention_30d is not None else "n/a"
    )
    print(f"reviews today: {result.reviews_today} ({result.minutes_today:.1f} min)")
    print(f"retention (30 days, review cards): {retention}")
    print("cards: " + ", ".join(f"{k} {v}" for k, v in result.by_state.items()))
    print(f"reviews in all: {result.total_reviews}")
    if days:
        print(
            f"\n{'day':<10}  {'again':>5} {'hard':>5} {'good':>5} {'easy':>5}"
            f" {'total':>6} {'min':>6}"
        )
        for d in days:
            counts = " ".join(f"{n:>5}" for n in d.by_rating)
            print(
                f"{d.start.astimezone().date().isoformat():<10}  {counts}"
                f" {d.total:>6} {d.minutes:>6.1f}"
            )
    if sections:
        print("\nmastery per source section (weakest first)")
        print(f"{'recall':>6}  {'studied':>9}  section")
        for m in sections:
            print(f"{m.recall:>6.0%}  {m.studied:>4}/{m.cards:<4}  {m.label}")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    """Open the desktop app."""
    try:
        from studyapp.gui.app import run
    except ImportError as error:  # Qt's own libraries need libEGL, fontconfig...
        from studyapp.gui.preflight import explain_import_error

        print(explain_import_error(error), file=sys.stderr)
        return 1

    return run(args.data_dir)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="studyapp",
        description="Study from source documents with spaced repetition. "
        "Without a subcommand, opens the desktop app.",
    )
    parser.add_argument(
        "--version", action="version", version=f"studyapp {__version__}"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder of the collection database "
        f"(default: ${DATA_DIR_ENV}, else the user data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(
        name: str, handler: Handler, help_text: str, *, json_flag: bool = True
    ) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        if json_flag:
            command.add_argument(
                "--json", action="store_true", help="print JSON for scripts"
            )
        return command

    validate = add(
        "validate", cmd_validate, "check deck files and report every problem"
    )
    validate.add_argument("paths", nargs="+", type=Path, help="deck files or folders")
    validate.add_argument(
        "--lint", action="store_true", help="also print the linter's warnings"
    )
    imp = add(
        "import",
        cmd_import,
        "import YAML decks or folders, Anki packages (.apkg, .colpkg) and "
        "Anki-style text (.txt, .tsv, .csv)",
    )
    imp.add_argument("paths", nargs="+", type=Path, help="files or folders")
    imp.add_argument(
        "--force", action="store_true", help="re-read files even if unchanged"
    )
    add("due", cmd_due, "show new / learning / due cards per deck")
    review = add(
        "review", cmd_review, "review due cards in the terminal", json_flag=False
    )
    review.add_argument("--deck", action="append", help="deck id (repeat for several)")
    review.add_argument("--limit", type=int, default=0, help="stop after N answers")
    stats_parser = add(
        "stats", cmd_stats, "show reviews today, retention and cards by state"
    )
    stats_parser.add_argument(
        "--days",
        type=int,
        default=0,
        metavar="N",
        help="also show answers per day (by rating, and minutes) for the last N days",
    )
    stats_parser.add_argument(
        "--sections",
        action="store_true",
        help="also show mastery per source section: cards, studied, mean "
        "predicted recall now (weakest first)",
    )
    add("gui", cmd_gui, "open the desktop app (the default)", json_flag=False)
    for add_commands in _feature_commands():
        add_commands(sub)
    return parser


def _feature_commands() -> list[Callable[[Subparsers], None]]:
    """Subcommands kept in their feature's module under studyapp/cli/."""
    from studyapp.cli import (
        cards,
        classroom,
        desktop,
        draft,
        exam,
        lint,
        optimize,
        safety,
        transfer,
    )

    return [
        cards.add_commands,
        draft.add_commands,
        transfer.add_commands,
        safety.add_commands,
        exam.add_commands,
        desktop.add_commands,
        lint.add_commands,
        optimize.add_commands,
        classroom.add_commands,
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    from studyapp.cli.cards import protect_query

    args = parser.parse_args(
        protect_query(list(sys.argv[1:] if argv is None else argv))
    )
    if args.command is None:
        args.handler = cmd_gui
    try:
        return int(args.handler(args))
    except DeckError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(
            f"{len(error.problems)} problem(s); nothing was imported.", file=sys.stderr
        )
        return 1
    except StudyAppError as error:
        print(f"error: {error}", file=sys.stderr)
        for earlier in _earlier_errors(error):
            print(f"before that: {earlier}", file=sys.stderr)
        return 1
    except (OSError, RecursionError, MemoryError) as error:
        print(f"error: {_describe_failure(error)}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


def _earlier_errors(error: BaseException) -> list[StudyAppError]:
    """Errors this one happened while handling (an unsaved answer, say)."""
    found: list[StudyAppError] = []
    seen = error.__context__
    for _ in range(10):  # through the low-level errors in between
        if seen is None:
            break
        if isinstance(seen, StudyAppError):
            found.append(seen)
        seen = seen.__context__
    return found[:3]


def _describe_failure(error: BaseException) -> str:
    """A clear line for a failure no core check turned into a StudyAppError."""
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or error}; check the path and its permissions"
    if isinstance(error, RecursionError):
        return "the file is nested too deeply to read"
    return "out of memory; the file is too large to read"


if __name__ == "__main__":
    sys.exit(main())
