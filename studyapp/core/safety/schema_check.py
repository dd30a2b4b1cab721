"""Compare a database's schema with the one StudyApp creates.

A backup or collection from elsewhere can carry a trigger that deletes
reviews, a view in place of a table, or tables from a newer StudyApp. Before
a backup is restored it is copied, brought up to today's schema and compared
entry by entry (tables, indexes, no triggers or views StudyApp did not make);
``check`` runs the same comparison on the open collection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from studyapp.core.errors import StoreError
from studyapp.core.store import connection, lazy_tables
from studyapp.core.store.database import Store
from studyapp.core.store.schema_names import MIGRATION_NAMES, MIGRATION_SET

Schema = dict[tuple[str, str], str]  # (type, name) -> normalised SQL


@cache
def expected_schema() -> Schema:
    """The schema a new collection gets (built once, in memory)."""
    store = Store.open(None)
    try:
        return read_schema(store.conn)
    finally:
        store.close()


@cache
def lazy_schema() -> dict[str, Schema]:
    """The entries of each group of tables made on first use (``lazy_tables``)."""
    store = Store.open(None)
    try:
        before = read_schema(store.conn)
        groups = {}
        for group in lazy_tables.GROUPS:
            lazy_tables.ensure(store.conn, group)
            after = read_schema(store.conn)
            groups[group] = {k: v for k, v in after.items() if k not in before}
            before = after
        return groups
    finally:
        store.close()


def read_schema(conn: sqlite3.Connection) -> Schema:
    """A database's schema entries (SQLite's own ``sqlite_*`` left out)."""
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    return {
        (str(kind), str(name)): " ".join(str(sql or "").split())
        for kind, name, sql in rows
        if not str(name).startswith("sqlite_")
    }


def schema_differences(conn: sqlite3.Connection) -> list[str]:
    """How a database's schema differs from StudyApp's; empty when it matches.

    A group of tables made on first use is expected whole once any of its
    tables is there.
    """
    actual = read_schema(conn)
    expected = dict(expected_schema())
    for entries in lazy_schema().values():
        if entries.keys() & actual.keys():
            expected.update(entries)
    problems = []
    for (kind, name), sql in sorted(actual.items()):
        if (kind, name) not in expected:
            what = "a trigger" if kind == "trigger" else f"a {kind}"
            problems.append(f"{what} StudyApp did not create: '{name[:60]}'")
        elif sql != expected[(kind, name)]:
            problems.append(
                f"the {kind} '{name}' is not defined as StudyApp defines it"
            )
    for kind, name in sorted(expected.keys() - actual.keys()):
        problems.append(f"the {kind} '{name}' is missing")
    return problems


def newer_migrations(conn: sqlite3.Connection) -> list[str]:
    """Migrations the database has had that this StudyApp does not know."""
    try:
        rows = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
            (MIGRATION_SET,),
        ).fetchall()
    except sqlite3.OperationalError:
        return []
    return sorted({str(name) for (name,) in rows} - set(MIGRATION_NAMES))


@contextmanager
def prepared_copy(source: Path, work: Path, page_size: int) -> Iterator[Path]:
    """A checked copy of a backup, migrated to today's schema, for restoring.

    The copy gets ``page_size`` (SQLite's backup API cannot change the page
    size of a database in WAL mode, so a backup with 4096-byte pages could not
    be copied into a collection with 8192-byte ones otherwise).

    Raises:
        StoreError: If the backup's schema is not StudyApp's.
    """
    copy = work / f".restore-{source.stem[:40]}.partial"
    copy.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        dest = sqlite3.connect(copy)
        try:
            src.backup(dest)
            if dest.execute("PRAGMA page_size").fetchone()[0] != page_size:
                dest.execute("PRAGMA journal_mode = DELETE")
                dest.execute(f"PRAGMA page_size = {int(page_size)}")
                dest.execute("VACUUM")
            connection.migrate(dest)
            problems = schema_differences(dest)
        finally:
            dest.close()
            src.close()
    except (sqlite3.Error, UnicodeDecodeError) as error:
        copy.unlink(missing_ok=True)
        raise StoreError(f"{source}: cannot read the backup: {error}") from None
    if problems:
        copy.unlink(missing_ok=True)
        raise StoreError(
            f"{source}: not restored: its schema is not StudyApp's "
            f"({'; '.join(problems[:3])}). Choose another backup."
        )
    try:
        yield copy
    finally:
        copy.unlink(missing_ok=True)
