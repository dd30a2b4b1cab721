"""The class server: connecting, schema migrations, classes and invitations.

The schema lives in ``sql/*.sql`` beside this module, applied in name order
and recorded in ``studyapp.schema_migrations``; never edit a shipped file.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from studyapp.core.errors import StudyAppError

if TYPE_CHECKING:
    import psycopg

SQL_DIR = Path(__file__).with_name("sql")
#: Months of event partitions made ahead of time (a DEFAULT partition takes
#: the rest, so nothing is lost when this runs out).
PARTITION_MONTHS_AHEAD = 24
_ADVISORY_LOCK = 0x5354_5544  # "STUD": one `class init` at a time


class ClassError(StudyAppError):
    """The class server refused or could not be reached; the text says why."""


class ServerUnreachable(ClassError):  # noqa: N818 - reads as a condition
    """The server could not be reached (offline, down); try again later."""


def connect(url: str, **params: Any) -> psycopg.Connection[tuple[Any, ...]]:
    """Open a connection to the class server (psycopg is imported here only)."""
    import psycopg  # lazy: the app without a class never loads it

    try:
        return psycopg.connect(url, connect_timeout=10, **params)
    except psycopg.OperationalError as error:
        raise ServerUnreachable(f"cannot reach the class server: {error}") from None


@contextmanager
def session(url: str, **params: Any) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    """A connection whose server-side refusals come out as ClassError."""
    import psycopg

    conn = connect(url, **params)
    try:
        with conn:
            yield conn
    except psycopg.OperationalError as error:
        raise ServerUnreachable(f"lost the class server: {error}") from None
    except psycopg.Error as error:
        diag = error.diag.message_primary or str(error)
        hint = f" {error.diag.message_hint}" if error.diag.message_hint else ""
        raise ClassError(f"the class server refused: {diag}.{hint}") from None
    finally:
        conn.close()


def migration_files() -> list[Path]:
    """The schema files, in the order they are applied."""
    return sorted(SQL_DIR.glob("*.sql"))


def init_server(url: str, *, today: date) -> list[str]:
    """Create or upgrade the class schema; returns the migrations applied.

    Run as the database owner (a role that may create roles). Also makes
    event partitions up to PARTITION_MONTHS_AHEAD months after ``today`` and
    gives the join role a password if it has none yet.
    """
    applied: list[str] = []
    with session(url) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_ADVISORY_LOCK,))
        conn.execute("CREATE SCHEMA IF NOT EXISTS studyapp")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS studyapp.schema_migrations ("
            " name text PRIMARY KEY,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {
            row[0]
            for row in conn.execute("SELECT name FROM studyapp.schema_migrations")
        }
        for path in migration_files():
            if path.name in done:
                continue
            conn.execute(path.read_text(encoding="utf-8").encode())
            conn.execute(
                "INSERT INTO studyapp.schema_migrations (name) VALUES (%s)",
                (path.name,),
            )
            applied.append(path.name)
        first = today.replace(day=1)
        last = _add_months(first, PARTITION_MONTHS_AHEAD)
        conn.execute("SELECT studyapp.ensure_partitions(%s, %s)", (first, last))
        _give_join_password(conn)
    return applied


def _give_join_password(conn: psycopg.Connection[tuple[Any, ...]]) -> None:
    from psycopg import sql

    row = conn.execute(
        "SELECT value FROM studyapp.server_settings WHERE key = 'join_password'"
    ).fetchone()
    if row is not None:
        return
    password = secrets.token_urlsafe(24)
    conn.execute(
        sql.SQL("ALTER ROLE studyapp_join LOGIN PASSWORD {}").format(
            sql.Literal(password)
        )
    )
    conn.execute(
        "INSERT INTO studyapp.server_settings VALUES ('join_password', %s)",
        (password,),
    )


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    return day.replace(year=day.year + index // 12, month=index % 12 + 1)


def create_class(
    url: str,
    class_id: str,
    *,
    title: str,
    instructor: str,
    password: str | None = None,
    exam_at: datetime | None = None,
) -> None:
    """Create a class taught by the login role ``instructor`` (as the owner).

    The role is created with ``password`` if it does not exist yet, and made
    a member of studyapp_instructor either way.
    """
    from psycopg import sql

    with session(url) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = %s", (instructor,)
        ).fetchone()
        if not exists:
            if not password:
                raise ClassError(
                    f"role {instructor!r} does not exist; give --password to create it"
                )
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(instructor), sql.Literal(password)
                )
            )
        conn.execute(
            sql.SQL("GRANT studyapp_instructor TO {}").format(
                sql.Identifier(instructor)
            )
        )
        conn.execute(
            "INSERT INTO studyapp.classes (id, title, instructor, exam_at)"
            " VALUES (%s, %s, %s, %s)",
            (class_id, title, instructor, exam_at),
        )


def create_invitation(
    url: str, class_id: str, *, uses: int = 1000, valid: timedelta
) -> str:
    """An invitation link for the class (as its instructor).

    The link is the server's address with the join role's credentials and a
    one-class token; anyone holding it can join until it expires or is used
    up, so share it like a password.
    """
    with session(url) as conn:
        host, port, dbname = conn.info.host, conn.info.port, conn.info.dbname
        if host.startswith("/"):
            raise ClassError(
                "connect to the server by its network name (not a local socket) "
                "so the invitation link works on students' computers"
            )
        row = conn.execute(
            "SELECT token, join_password FROM studyapp.create_invitation(%s, %s, %s)",
            (class_id, uses, valid),
        ).fetchone()
    assert row is not None  # the function returns one row or raises
    token, join_password = row
    netloc = f"studyapp_join:{quote(join_password, safe='')}@{host}:{port}"
    return urlunsplit(
        ("postgresql", netloc, f"/{dbname}", urlencode({"token": token}), "")
    )


def split_invitation(link: str) -> tuple[str, str]:
    """The (connection URL, token) of an invitation link; ClassError if malformed."""
    parts = urlsplit(link.strip())
    query = dict(parse_qsl(parts.query))
    token = query.pop("token", "")
    if (
        parts.scheme not in ("postgresql", "postgres")
        or not token
        or not parts.hostname
    ):
        raise ClassError(
            "this is not a class invitation link (expected "
            "postgresql://…?token=…); copy the whole link the instructor sent"
        )
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    return url, token
