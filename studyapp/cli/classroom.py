"""`studyapp class …`: class servers for instructors and students.

Instructors give the server with --db (or $STUDYAPP_CLASS_DB); students join
with an invitation link once, after which the collection remembers the class.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyapp.core.appfiles import default_data_dir
from studyapp.core.classroom import config as class_config
from studyapp.core.classroom import publish, push, report, server, student
from studyapp.core.errors import StudyAppError
from studyapp.core.library import Library, utc_now

if TYPE_CHECKING:
    from studyapp.cli.common import Subparsers

DB_ENV = "STUDYAPP_CLASS_DB"
PASSWORD_ENV = "STUDYAPP_INSTRUCTOR_PASSWORD"


def add_commands(sub: Subparsers) -> None:
    """Register `class` and its actions."""
    group = sub.add_parser(
        "class",
        help="classes on a PostgreSQL server: publish decks, share progress",
        description="Classes on a PostgreSQL server. Instructors publish decks "
        "to a class and read its report; students join with an invitation link, "
        "pull the class decks and share their answers (pseudonymously).",
    )
    actions = group.add_subparsers(dest="class_action", metavar="ACTION")
    actions.required = True

    def add(name: str, handler: Any, text: str, *, db: bool = False) -> Any:
        parser = actions.add_parser(name, help=text, description=text)
        parser.set_defaults(handler=handler)
        if db:
            parser.add_argument(
                "--db",
                default=os.environ.get(DB_ENV),
                help=f"the server, as a postgresql:// URL (default: ${DB_ENV})",
            )
        return parser

    add("init", cmd_init, "create or upgrade the class schema (as the owner)", db=True)
    create = add(
        "create",
        cmd_create,
        "create a class and its instructor's login role (as the owner); a new "
        f"role's password is read from ${PASSWORD_ENV}",
        db=True,
    )
    create.add_argument("--class", dest="class_id", required=True)
    create.add_argument("--title", required=True)
    create.add_argument("--instructor", required=True, help="login role name")
    create.add_argument("--exam-date", type=_date, help="YYYY-MM-DD")
    invite = add("invite", cmd_invite, "print an invitation link to a class", db=True)
    invite.add_argument("--class", dest="class_id", required=True)
    invite.add_argument("--uses", type=int, default=1000, help="students it admits")
    invite.add_argument("--days", type=int, default=14, help="days it is valid")
    pub = add("publish", cmd_publish, "publish deck files to a class", db=True)
    pub.add_argument("decks", nargs="+", type=Path, metavar="DECK")
    pub.add_argument("--class", dest="class_id", required=True)
    rep = add(
        "report",
        cmd_report,
        "the class per source section and its 20 weakest cards",
        db=True,
    )
    rep.add_argument("--class", dest="class_id", required=True)
    rep.add_argument("--exam-date", type=_date, help="default: the class's")
    rep.add_argument("--json", action="store_true", help="print JSON for scripts")
    rep.add_argument("--gui", action="store_true", help="show it in the Class screen")
    join = add("join", cmd_join, "join a class with the instructor's invitation link")
    join.add_argument("link")
    add("pull", cmd_pull, "import the class's latest decks (history is kept)")
    add("push", cmd_push, "send answers not sent yet (retried; safe to repeat)")
    sharing = add(
        "sharing", cmd_sharing, "switch sharing on or off; show what is shared"
    )
    sharing.add_argument("state", nargs="?", choices=["on", "off"])
    add("leave", cmd_leave, "forget the class on this computer")


def _date(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC, hour=9)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def _db(args: argparse.Namespace) -> str:
    if not args.db:
        raise StudyAppError(f"give the class server with --db URL or ${DB_ENV}")
    return str(args.db)


def _folder(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else default_data_dir()


def cmd_init(args: argparse.Namespace) -> int:
    """Apply the schema migrations."""
    applied = server.init_server(_db(args), today=utc_now().date())
    print("applied: " + ", ".join(applied) if applied else "schema is up to date")
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    """Create a class."""
    server.create_class(
        _db(args),
        args.class_id,
        title=args.title,
        instructor=args.instructor,
        password=os.environ.get(PASSWORD_ENV),
        exam_at=args.exam_date,
    )
    print(f"class {args.class_id} created, taught by {args.instructor}")
    return 0


def cmd_invite(args: argparse.Namespace) -> int:
    """Print an invitation link."""
    link = server.create_invitation(
        _db(args), args.class_id, uses=args.uses, valid=timedelta(days=args.days)
    )
    print(link)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Publish decks."""
    for done in publish.publish(_db(args), args.class_id, args.decks):
        what = "published" if done.changed else "unchanged, still"
        print(f"{done.deck_id}: {what} version {done.version} ({done.cards} cards)")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Print the class report."""
    result = report.class_report(
        _db(args), args.class_id, now=utc_now(), exam_at=args.exam_date
    )
    if args.json:
        print(json.dumps(asdict(result), indent=2, default=str))
        return 0
    if args.gui:
        from studyapp.gui.app import show_class_report  # Qt only when asked

        return show_class_report(result)
    print(f"{result.title} ({result.class_id}): {result.students} students")
    print(f"recall now and on the exam date {result.exam_at:%Y-%m-%d}")
    print(f"{'studied':>7} {'now':>5} {'exam':>5} {'exam score':>10}  section")
    for s in result.sections:
        score = (
            f"{s.exam_score:.0%} ({s.exam_answers})"
            if s.exam_score is not None
            else "-"
        )
        print(
            f"{s.studied:>7.0%} {s.class_recall_now:>5.0%} "
            f"{s.class_recall_exam:>5.0%} {score:>10}  {s.source_ref} / {s.section}"
        )
    print(f"\nthe {len(result.weakest)} weakest cards (class recall on the exam date)")
    for c in result.weakest:
        print(
            f"{c.class_recall_exam:>5.0%}  {c.deck_id}/{c.note_id}#{c.ord}: {c.prompt}"
        )
        if c.quote:
            print(f'       source: "{c.quote}" ({c.source_ref}, {c.section})')
    return 0


def cmd_join(args: argparse.Namespace) -> int:
    """Join a class, then pull its decks."""
    joined = student.join(_folder(args), args.link)
    print(f"joined class {joined.class_id}")
    cmd_pull(args)
    print(class_config.what_is_shared(_config(args)))
    return 0


def _config(args: argparse.Namespace) -> class_config.ClassConfig:
    found = class_config.load_config(_folder(args))
    if found is None:
        raise StudyAppError("this collection has joined no class (studyapp class join)")
    return found


def cmd_pull(args: argparse.Namespace) -> int:
    """Pull the class decks."""
    library = Library.open(_folder(args))
    try:
        result = student.pull(library, _folder(args), now=utc_now())
    finally:
        library.close()
    for summary in result.imported:
        print(summary)
    for deck_id in result.unchanged:
        print(f"{deck_id}: up to date")
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    """Send pending answers."""
    _config(args)  # says so when the collection has joined no class
    library = Library.open(_folder(args))
    try:
        result = push.push_collection(_folder(args), now=utc_now())
    finally:
        library.close()
    if not result.sharing:
        print("sharing is off: nothing was sent")
        return 0
    print(
        f"sent {result.reviews_sent} answers ({result.reviews_new} new) and "
        f"{result.exam_answers_sent} exam answers ({result.exam_answers_new} new)"
    )
    if result.pending:
        print(f"the rest is kept for the next push: {result.error}")
        return 1
    return 0


def cmd_sharing(args: argparse.Namespace) -> int:
    """Switch sharing, or show it."""
    if args.state:
        student.set_sharing(_folder(args), args.state == "on")
    print(class_config.what_is_shared(_config(args)))
    return 0


def cmd_leave(args: argparse.Namespace) -> int:
    """Forget the class."""
    if class_config.forget_config(_folder(args)):
        print("left the class on this computer; what was sent stays on the server")
    else:
        print("this collection has joined no class")
    return 0
