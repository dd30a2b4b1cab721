"""The SQLite connection under the store: transactions, and schema migrations.

The store works on a plain ``sqlite3`` connection. sqlite-utils runs the
schema migrations (``migrations.py``), and is imported only when one is
pending: importing it takes 0.12 to 0.14 s, a sixth of the app's start (it
brings click, dateutil and pluggy along; see docs/benchmarks.md).
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from studyapp.core.errors import StoreError, WriteError
from studyapp.core.store.schema_names import MIGRATION_NAMES, MIGRATION_SET

_savepoints = itertools.count(1)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """Group writes: all of them are committed, or none.

    Nested inside another transaction it is a savepoint, which rolls back
    alone (as sqlite-utils' ``Database.atomic`` does).
    """
    if not conn.in_transaction:
        conn.execute("BEGIN")
        try:
            yield
            conn.execute("COMMIT")  # may fail too: "database is locked"
        except BaseException as error:
            conn.rollback()  # a no-op if an error already ended the transaction
            message = write_failure(error)
            if message:
                raise WriteError(message) from None
            raise
        return
    savepoint = f"studyapp_{next(_savepoints)}"
    conn.execute(f"SAVEPOINT {savepoint}")
    try:
        yield
    except BaseException:
        # An error may have ended the whole transaction, savepoint and all.
        if conn.in_transaction:
            conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
            conn.execute(f"RELEASE SAVEPOINT {savepoint}")
        raise
    conn.execute(f"RELEASE SAVEPOINT {savepoint}")


def write_failure(error: BaseException) -> str:
    """What a failed write means to the user, or '' if it is not such a failure."""
    if not isinstance(error, sqlite3.OperationalError):
        return ""
    text = str(error)
    if "locked" in text or "busy" in text:
        return (
            "another program is writing to the collection (database is locked); "
            "this change was not saved. Close the other program and try again."
        )
    if "full" in text or "disk I/O" in text:
        return (
            f"the collection could not be written ({text}); this change was not "
            "saved. Free some disk space and try again."
        )
    return ""


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema up to date; a no-op (one query) when it is."""
    try:
        rows = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
            (MIGRATION_SET,),
        ).fetchall()
    except sqlite3.OperationalError:  # a new database: no migrations table yet
        rows = []
    names = {str(name) for (name,) in rows}
    newer = sorted(names - set(MIGRATION_NAMES))
    if newer:
        raise StoreError(
            f"the collection was written by a newer StudyApp (schema "
            f"'{newer[-1][:40]}'); update StudyApp, or restore an older backup "
            "with `studyapp backup restore FILE`"
        )
    if names >= set(MIGRATION_NAMES):
        return
    from sqlite_utils import Database

    from studyapp.core.store import migrations

    migrations.apply(Database(conn, execute_plugins=False))
