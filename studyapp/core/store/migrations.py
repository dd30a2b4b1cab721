"""Schema history: one small function per change; never edit a shipped one.

Times are integers: milliseconds since the Unix epoch, UTC.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from studyapp.core.store import lazy_tables
from studyapp.core.store.schema_names import MIGRATION_SET

MIGRATIONS = Migrations(MIGRATION_SET)

# Written by 0001 and again by 0009 (which makes the table WITHOUT ROWID).
_DECKS_COLUMNS = """
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            kind TEXT NOT NULL,
            document TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            path TEXT NOT NULL DEFAULT '',
            settings TEXT NOT NULL DEFAULT '{}',
            content_hash TEXT NOT NULL DEFAULT '',
            file_stats TEXT NOT NULL DEFAULT '',
            source_files TEXT NOT NULL DEFAULT '[]',
            imported_at INTEGER NOT NULL
        """


def _run(db: Database, *statements: str) -> None:
    for statement in statements:
        db.execute(statement)


@MIGRATIONS(name="0001_initial")
def initial(db: Database) -> None:
    """Decks, sources, notes, cards, scheduling state, review log, settings."""
    _run(
        db,
        f"CREATE TABLE decks ({_DECKS_COLUMNS})",
        """CREATE TABLE sources (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            citation TEXT NOT NULL DEFAULT '',
            doi TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            authors TEXT NOT NULL DEFAULT '[]',
            date TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL DEFAULT '',
            text_path TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT ''
        )""",
        # A note is one entry of a deck file; it yields one or more cards.
        """CREATE TABLE notes (
            deck_id TEXT NOT NULL REFERENCES decks(id),
            note_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            type TEXT NOT NULL,
            front TEXT NOT NULL DEFAULT '',
            back TEXT NOT NULL DEFAULT '',
            cloze TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            steps TEXT NOT NULL DEFAULT '[]',
            study TEXT,
            source_ref TEXT REFERENCES sources(id),
            section TEXT NOT NULL DEFAULT '',
            quote TEXT NOT NULL DEFAULT '',
            quote_start INTEGER,
            quote_end INTEGER,
            position INTEGER NOT NULL DEFAULT 0,
            content_hash BLOB NOT NULL,
            retired INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (deck_id, note_id)
        ) WITHOUT ROWID""",
        # New cards are queued in deck order: walk a deck's notes by position.
        "CREATE INDEX notes_position ON notes (deck_id, position)",
        # ord: 0 front->back, 1 reversed, N cloze deletion N.
        """CREATE TABLE cards (
            id INTEGER PRIMARY KEY,
            deck_id TEXT NOT NULL,
            note_id TEXT NOT NULL,
            ord INTEGER NOT NULL,
            retired INTEGER NOT NULL DEFAULT 0,
            UNIQUE (deck_id, note_id, ord),
            FOREIGN KEY (deck_id, note_id) REFERENCES notes(deck_id, note_id)
        )""",
        # state: 0 new, 1 learning, 2 review, 3 relearning (fsrs.State + new).
        """CREATE TABLE card_state (
            card_id INTEGER PRIMARY KEY REFERENCES cards(id),
            state INTEGER NOT NULL DEFAULT 0,
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due INTEGER NOT NULL,
            last_review INTEGER,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX card_state_due ON card_state (state, due)",
        # Append-only, except that undo removes the newest rows. before holds
        # the full prior state as JSON so undo restores it exactly.
        """CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards(id),
            reviewed_at INTEGER NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            duration_ms INTEGER NOT NULL DEFAULT 0,
            state_before INTEGER NOT NULL,
            before TEXT NOT NULL,
            stability REAL,
            difficulty REAL,
            due INTEGER NOT NULL
        )""",
        "CREATE INDEX reviews_card ON reviews (card_id, reviewed_at)",
        "CREATE INDEX reviews_time ON reviews (reviewed_at)",
        # scope '' holds global settings; a deck id holds that deck's overrides.
        """CREATE TABLE settings (
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (scope, key)
        ) WITHOUT ROWID""",
    )


@MIGRATIONS(name="0002_exam_history")
def exam_history(db: Database) -> None:
    """Practice exams and their answers; exams never touch card_state."""
    _run(
        db,
        lazy_tables.EXAMS[0],
        "CREATE INDEX exams_started ON exams (started_at)",
        # One row per question; the prompt and answers are copied so the
        # history still reads right after a deck is edited.
        lazy_tables.EXAMS[1],
    )


@MIGRATIONS(name="0003_notes_without_hash")
def notes_without_hash(db: Database) -> None:
    """Re-imports compare a note's stored fields, so it keeps no hash of them.

    Computing the hash was a tenth of a fresh 100,000-card import (benchmarks).
    """
    _run(db, "ALTER TABLE notes DROP COLUMN content_hash")


@MIGRATIONS(name="0004_no_exam_time_index")
def no_exam_time_index(db: Database) -> None:
    """Exams are listed newest first by sorting them: one row per exam taken.

    The index saved nothing on a table that small and held an 8 KiB page of
    its own in every collection (benchmarks: database bytes per note).
    """
    _run(db, "DROP INDEX exams_started")


@MIGRATIONS(name="0005_card_flags_and_queue_states")
def card_flags_and_queue_states(db: Database) -> None:
    """Suspended, buried and flagged cards (issue 15), with Anki's meanings.

    ``buried_until`` is when a buried card comes back (ms; NULL: not buried);
    ``flag`` is 0 (none) to 7, Anki's flag colours. Review queues skip
    suspended and buried cards; the partial index finds the buried few.
    """
    _run(
        db,
        "ALTER TABLE cards ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE cards ADD COLUMN buried_until INTEGER",
        "ALTER TABLE cards ADD COLUMN flag INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX cards_buried ON cards (buried_until) "
        "WHERE buried_until IS NOT NULL",
    )


@MIGRATIONS(name="0006_typed_answers")
def typed_answers(db: Database) -> None:
    """What was typed for a typed card, how it was graded, and any override.

    ``overridden`` is 1 when the learner pressed "I was right" on an answer
    the grader called wrong. Undo removes the review and, with it, this row.
    """
    _run(
        db,
        """CREATE TABLE typed_answers (
            review_id INTEGER PRIMARY KEY REFERENCES reviews(id) ON DELETE CASCADE,
            typed TEXT NOT NULL,
            graded_right INTEGER NOT NULL,
            overridden INTEGER NOT NULL DEFAULT 0
        )""",
    )


@MIGRATIONS(name="0007_fsrs_optimization_runs")
def fsrs_optimization_runs(db: Database) -> None:
    """FSRS optimisation runs (issue 18) and the card states a reschedule replaced.

    scope '' is every deck, else a deck id; parameters are JSON lists.
    """
    _run(
        db,
        # reschedule_undo.before holds a card's state as JSON
        # (scheduling.state_to_json).
        *lazy_tables.OPTIMIZATION,
    )


@MIGRATIONS(name="0008_anki_history")
def anki_history_states(db: Database) -> None:
    """Anki packages arrive whole (issue 13): their history and card states.

    reviews.anki_id is the Anki revlog id of an imported answer (a re-import
    skips the ids a card already has); reviews.anki_type its revlog type (0
    learn, 1 review, 2 relearn, 3 filtered). Anki's suspended, buried and
    flag states go into the columns 0005 gave ``cards``. No new table or
    index: each would hold an 8 KiB page of its own in every collection
    (benchmarks: database bytes per note). Media files
    live in the media folder under content-addressed names.
    """
    _run(
        db,
        "ALTER TABLE reviews ADD COLUMN anki_id INTEGER",
        "ALTER TABLE reviews ADD COLUMN anki_type INTEGER",
    )


@MIGRATIONS(name="0009_fewer_pages")
def fewer_pages(db: Database) -> None:
    """Fewer tables and indexes: each holds an 8 KiB page in every collection.

    Typed answers move onto their review (``typed``; ``typed_grade`` bit 0:
    graded right, bit 1: overridden; NULL: nothing typed), so undoing or
    deleting a review takes its typed answer with it, and ``typed_answers``
    goes. ``decks`` becomes WITHOUT ROWID, keyed by its id alone: its
    separate unique index goes (benchmarks: bytes per note); ``sources`` stays
    a rowid table, as its long texts would take one more overflow page. The
    parent is rebuilt with foreign-key checks deferred to the commit,
    so notes must still find every deck they name. The exam history and the
    optimizer's runs go while empty: they are made on first use
    (``lazy_tables``).
    """
    _run(
        db,
        "PRAGMA defer_foreign_keys = ON",
        "ALTER TABLE reviews ADD COLUMN typed TEXT",
        "ALTER TABLE reviews ADD COLUMN typed_grade INTEGER",
        "UPDATE reviews SET (typed, typed_grade) = (SELECT t.typed, "
        "(t.graded_right != 0) + 2 * (t.overridden != 0) FROM typed_answers t "
        "WHERE t.review_id = reviews.id) "
        "WHERE id IN (SELECT review_id FROM typed_answers)",
        "DROP TABLE typed_answers",
    )
    _run(
        db,
        "CREATE TEMP TABLE old_decks AS SELECT * FROM decks",
        "DROP TABLE decks",
        f"CREATE TABLE decks ({_DECKS_COLUMNS}) WITHOUT ROWID",
        "INSERT INTO decks SELECT * FROM temp.old_decks",
        "DROP TABLE temp.old_decks",
    )
    for tables in lazy_tables.TABLES.values():
        if not any(db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in tables):
            _run(db, *(f"DROP TABLE {t}" for t in reversed(tables)))


def apply(db: Database) -> None:
    """Bring the database's schema up to date."""
    MIGRATIONS.apply(db)
