"""The SQLite connection under the store: transactions, and schema migrations.

The store works on a plain ``sqlite3`` connection. sqlite-utils runs the
schema migrations (``migrations.py``), and is imported only when one is
pending: importing it takes 0.12 to 0.14 s, a sixth of the app's start (it
brings click, dateutil and pluggy along; issue 6).
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

MIGRATION_SET = "studyapp"
#: Every migration in ``migrations.py``, in order (a test keeps them equal).
MIGRATION_NAMES = (
    "0001_initial",
    "0002_exam_history",
    "0003_notes_without_hash",
    "0004_no_exam_time_index",
    "0005_anki_history_states",
)

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
        except BaseException:
            conn.rollback()  # a no-op if an error already ended the transaction
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


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema up to date; a no-op (one query) when it is."""
    try:
        rows = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
            (MIGRATION_SET,),
        ).fetchall()
    except sqlite3.OperationalError:  # a new database: no migrations table yet
        rows = []
    if {name for (name,) in rows} >= set(MIGRATION_NAMES):
        return
    from sqlite_utils import Database

    from studyapp.core.store import migrations

    migrations.apply(Database(conn, execute_plugins=False))
