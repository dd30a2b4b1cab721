"""All schema knowledge and all SQL: connection, migrations, codecs, rows, queries."""
