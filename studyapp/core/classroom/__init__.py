"""Classes on a PostgreSQL server: instructors publish decks, students share progress.

Nothing here imports psycopg at module level: a desktop app with no class
configured never loads it (see ``server.connect``).
"""
