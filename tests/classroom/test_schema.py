from datetime import date

import psycopg

from studyapp.core.classroom.server import init_server, migration_files

from .conftest import ClassDb


def test_init_applies_every_migration_once_and_makes_monthly_partitions(
    class_db: ClassDb,
) -> None:
    assert init_server(class_db.admin, today=date(2026, 3, 1)) == []
    with psycopg.connect(class_db.admin) as conn:
        applied = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM studyapp.schema_migrations ORDER BY name"
            )
        ]
        partitions = [
            r[0]
            for r in conn.execute(
                "SELECT c.relname FROM pg_inherits i"
                " JOIN pg_class c ON c.oid = i.inhrelid"
                " JOIN pg_class p ON p.oid = i.inhparent"
                " WHERE p.relname = 'review_events' ORDER BY 1"
            )
        ]
    assert applied == [path.name for path in migration_files()]
    assert "review_events_2026_03" in partitions
    assert "review_events_2028_03" in partitions  # 24 months ahead
    assert "review_events_other" in partitions  # the DEFAULT partition
    # A later init (next year) adds the months it needs and nothing else.
    assert init_server(class_db.admin, today=date(2027, 6, 1)) == []
    with psycopg.connect(class_db.admin) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_class WHERE relname = 'review_events_2029_06'"
        ).fetchone()
    assert row == (1,)
