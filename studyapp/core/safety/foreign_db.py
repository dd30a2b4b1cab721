"""Open a foreign, untrusted SQLite file (an Anki collection) safely.

A package's database can define the tables we read as views over an endless
recursive query, or hide triggers and virtual tables in its schema. So the
file is opened read-only and immutable, untrusted schema functions are off,
every name we read must be a plain table, and a progress handler stops any
query that runs past a time budget. Temporary b-trees stay in memory, which
the time budget bounds, and never spill into the system temp folder.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from studyapp.core.errors import PackageError

#: A 100,000-note collection reads in about a second; this is the bound for
#: the whole read of one file.
TIME_BUDGET_SECONDS = 30.0
#: The longest string or blob SQLite may build for us (a note's fields).
MAX_VALUE_BYTES = 64 * 1024**2
_CHECK_EVERY = 10_000  # SQLite virtual-machine steps between clock checks


def open_foreign(
    database: Path, shown: Path, tables: Iterable[str], *, budget: float | None = None
) -> sqlite3.Connection:
    """Open ``database`` read-only, after checking its schema.

    Args:
        database: The extracted SQLite file.
        shown: The file to name in messages (the package).
        tables: Tables the caller reads; each must be a plain table if present.
        budget: Seconds every query together may take.

    Raises:
        PackageError: For views, triggers or virtual tables, or a file that is
            not a SQLite database.
    """
    db = sqlite3.connect(database.as_uri() + "?mode=ro&immutable=1", uri=True)
    try:
        db.execute("PRAGMA trusted_schema = OFF")
        db.execute("PRAGMA temp_store = MEMORY")
        db.execute("PRAGMA cache_size = -16384")  # 16 MiB
        db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        db.setlimit(sqlite3.SQLITE_LIMIT_EXPR_DEPTH, 100)
        db.setlimit(sqlite3.SQLITE_LIMIT_COMPOUND_SELECT, 10)
        _check_schema(db, shown, set(tables))
    except sqlite3.DatabaseError as error:
        db.close()
        raise PackageError(f"{shown}: damaged Anki collection: {error}") from None
    except BaseException:
        db.close()
        raise
    deadline = time.monotonic() + (budget or TIME_BUDGET_SECONDS)
    db.set_progress_handler(lambda: time.monotonic() > deadline, _CHECK_EVERY)
    return db


def interrupted(error: BaseException) -> bool:
    """Whether a SQLite error is the progress handler stopping a query."""
    return isinstance(error, sqlite3.OperationalError) and "interrupt" in str(error)


def _check_schema(db: sqlite3.Connection, shown: Path, tables: set[str]) -> None:
    rows = db.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    for kind, name, sql in rows:
        if kind in ("trigger", "view"):
            raise PackageError(
                f"{shown}: the Anki collection contains a {kind} ('{str(name)[:60]}'); "
                "Anki never writes those, so the package was made by another "
                "program. Export it again from Anki."
            )
        if kind == "table" and str(sql or "").upper().startswith("CREATE VIRTUAL"):
            raise PackageError(
                f"{shown}: the Anki collection contains a virtual table "
                f"('{str(name)[:60]}'); export it again from Anki."
            )
    found = {str(name).lower(): kind for kind, name, _ in rows}
    for table in tables:
        if found.get(table, "table") != "table":
            raise PackageError(f"{shown}: '{table}' is not a table")
