"""Check the database: SQLite integrity, links, scheduling states, review log."""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from studyapp.core.clock import to_ms
from studyapp.core.model import State
from studyapp.core.safety import schema_check
from studyapp.core.safety.backup import Backups
from studyapp.core.settings import setting_problem, settings_problems
from studyapp.core.store.codecs import state_from_row
from studyapp.core.store.database import Store
from studyapp.core.study.scheduling import to_fsrs

_ROW_RULES = ("CHECK constraint failed", "NULL value in")
_STATE_QUERY = (
    "SELECT card_id, state, step, stability, difficulty, due, last_review, reps, "
    "lapses FROM card_state"
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One kind of problem found, how many rows had it, and what was done."""

    code: str
    message: str
    count: int
    repaired: bool = False


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What a database check found; the CLI and GUI word it."""

    findings: tuple[Finding, ...]
    cards: int
    reviews: int
    backup: Path | None = None

    @property
    def is_ok(self) -> bool:
        """True if nothing is left wrong (repaired problems do not count)."""
        return all(finding.repaired for finding in self.findings)


def check_database(
    store: Store,
    *,
    now: datetime,
    repair: bool = True,
) -> CheckReport:
    """Check the database and repair what is safe to repair.

    Safe repairs: a missing scheduling state is added (the card becomes
    new), a state fsrs cannot load is reset to new (its review history is
    kept), and rows that point at nothing (states or reviews of missing
    cards, ratings outside 1-4) are removed. A damaged file or broken links
    between decks, notes and cards are only reported: restore a backup.

    Args:
        store: The open store.
        now: The check time; reset and added cards become due then.
        repair: False to only report.

    Returns:
        The report.
    """
    conn = store.conn
    findings: list[Finding] = []
    try:
        damage = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        damage = [str(error)]
    # integrity_check also reports rows breaking CHECK and NOT NULL rules;
    # those are row problems, not a damaged file. Bad ratings are handled
    # below with the rest of the review log.
    rows = [m for m in damage if m.startswith(_ROW_RULES)]
    damage = [m for m in damage if m != "ok" and m not in rows]
    intact = not damage
    if not intact:
        findings.append(
            Finding("integrity", f"the database file is damaged: {damage[0]}", 1)
        )
    rows = [m for m in rows if not m.startswith("CHECK constraint failed in reviews")]
    if rows:
        findings.append(Finding("constraints", f"rows break a rule: {rows[0]}", 1))
    planned = (
        _review_log_findings(store)
        + _state_findings(store)
        + _settings_findings(store)
        + _schema_findings(store, findings)
    )
    handled = {"reviews", "card_state"}
    links = [row for row in conn.execute("PRAGMA foreign_key_check") if row]
    broken = [row for row in links if row[0] not in handled]
    if broken:
        tables = ", ".join(sorted({str(row[0]) for row in broken}))
        findings.append(
            Finding(
                "links", f"rows that refer to missing rows in {tables}", len(broken)
            )
        )
    do_repair = repair and intact and any(planned)
    if do_repair:
        with store.transaction():
            for plan in planned:
                if plan:
                    plan.repair(store, to_ms(now))
    findings.extend(plan.finding(repaired=do_repair) for plan in planned if plan)
    cards = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
    reviews = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    return CheckReport(tuple(findings), cards, reviews)


def check_collection(
    store: Store, backups: Backups | None, *, now: datetime, repair: bool = True
) -> CheckReport:
    """Back up (if the collection has a backup folder), then check and repair.

    Returns:
        The report, naming the backup taken first.
    """
    taken = backups.backup_before(now, "before-check") if backups else None
    return replace(check_database(store, now=now, repair=repair), backup=taken)


@dataclass(frozen=True, slots=True)
class _Plan:
    """Rows with one kind of problem and the statement that repairs each."""

    code: str
    message: str
    rows: tuple[tuple[Any, ...], ...]
    statement: str
    with_now: bool = False  # the statement takes the check time after the row

    def __bool__(self) -> bool:
        return bool(self.rows)

    def finding(self, *, repaired: bool) -> Finding:
        return Finding(self.code, self.message, len(self.rows), repaired)

    def repair(self, store: Store, now_ms: int) -> None:
        extra = (now_ms,) if self.with_now else ()
        store.conn.executemany(self.statement, [(*r, *extra) for r in self.rows])


class _DropPlan(_Plan):
    """Drops each (kind, name): a name cannot be a bound parameter."""

    def repair(self, store: Store, now_ms: int) -> None:
        for kind, name in self.rows:
            quoted = '"' + str(name).replace('"', '""') + '"'
            store.conn.execute(
                f"DROP {'TRIGGER' if kind == 'trigger' else 'VIEW'} {quoted}"
            )


def _ids(conn: sqlite3.Connection, sql: str) -> tuple[tuple[Any, ...], ...]:
    return tuple(tuple(row) for row in conn.execute(sql))


def _review_log_findings(store: Store) -> list[_Plan]:
    conn = store.conn
    orphans = _ids(
        conn,
        "SELECT r.id FROM reviews r LEFT JOIN cards c ON c.id = r.card_id "
        "WHERE c.id IS NULL",
    )
    ratings = _ids(conn, "SELECT id FROM reviews WHERE rating NOT BETWEEN 1 AND 4")
    delete = "DELETE FROM reviews WHERE id = ?"
    return [
        _Plan("review-orphan", "reviews of missing cards", orphans, delete),
        _Plan("review-rating", "reviews with a rating outside 1-4", ratings, delete),
    ]


def _state_findings(store: Store) -> list[_Plan]:
    conn = store.conn
    missing = _ids(
        conn,
        "SELECT c.id FROM cards c LEFT JOIN card_state s ON s.card_id = c.id "
        "WHERE s.card_id IS NULL",
    )
    orphans = _ids(
        conn,
        "SELECT s.card_id FROM card_state s LEFT JOIN cards c ON c.id = s.card_id "
        "WHERE c.id IS NULL",
    )
    unloadable = tuple(
        (row[0],) for row in conn.execute(_STATE_QUERY) if not _loads(row)
    )
    return [
        _Plan(
            "state-missing",
            "cards without a scheduling state (added as new cards)",
            missing,
            "INSERT INTO card_state (card_id, due) VALUES (?, ?)",
            with_now=True,
        ),
        _Plan(
            "state-orphan",
            "scheduling states of missing cards",
            orphans,
            "DELETE FROM card_state WHERE card_id = ?",
        ),
        _Plan(
            "state-invalid",
            "scheduling states fsrs cannot load (reset to new; history kept)",
            unloadable,
            "UPDATE card_state SET state = 0, step = NULL, stability = NULL, "
            "difficulty = NULL, last_review = NULL, due = ?2 WHERE card_id = ?1",
            with_now=True,
        ),
    ]


def _schema_findings(store: Store, findings: list[Finding]) -> list[_Plan]:
    """Triggers and views StudyApp did not create are dropped; the rest reported."""
    conn = store.conn
    expected = schema_check.expected_schema()
    foreign = tuple(
        (kind, name)
        for (kind, name) in schema_check.read_schema(conn)
        if kind in ("trigger", "view") and (kind, name) not in expected
    )
    others = [
        problem
        for problem in schema_check.schema_differences(conn)
        if "StudyApp did not create" not in problem
        or not problem.startswith(("a trigger", "a view"))
    ]
    if others:
        findings.append(
            Finding("schema", f"the schema differs from StudyApp's: {others[0]}", 1)
        )
    return [
        _DropPlan(
            "schema-foreign", "triggers or views StudyApp did not create", foreign, ""
        )
    ]


def _settings_findings(store: Store) -> list[_Plan]:
    """Stored settings that break the rules (core/settings.py): removed."""
    conn = store.conn
    bad_rows = []
    for scope, key, value in conn.execute("SELECT scope, key, value FROM settings"):
        try:
            bad = setting_problem(str(key), json.loads(value)) is not None
        except (TypeError, ValueError, RecursionError):
            bad = True
        if bad:
            bad_rows.append((scope, key))
    bad_decks = []
    for deck_id, text in conn.execute("SELECT id, settings FROM decks"):
        try:
            values = json.loads(text)
        except (TypeError, ValueError, RecursionError):
            values = None
        if not isinstance(values, dict):
            bad_decks.append(("{}", deck_id))
        elif settings_problems(values):
            good = {k: v for k, v in values.items() if not setting_problem(k, v)}
            bad_decks.append((json.dumps(good), deck_id))
    return [
        _Plan(
            "settings-invalid",
            "stored settings outside the allowed ranges (removed; defaults apply)",
            tuple(bad_rows),
            "DELETE FROM settings WHERE scope = ? AND key = ?",
        ),
        _Plan(
            "deck-settings-invalid",
            "deck settings outside the allowed ranges (removed; defaults apply)",
            tuple(bad_decks),
            "UPDATE decks SET settings = ? WHERE id = ?",
        ),
    ]


def _loads(row: tuple[Any, ...]) -> bool:
    """Whether a card_state row is a state fsrs can review."""
    try:
        state = state_from_row(row)
        card = to_fsrs(state)
    except (TypeError, ValueError, OverflowError, KeyError):
        return False
    if not isinstance(row[7], int) or not isinstance(row[8], int):
        return False
    if state.state is State.NEW:
        return True
    numbers = (card.stability, card.difficulty)
    if not all(
        isinstance(x, int | float) and math.isfinite(x) and x > 0 for x in numbers
    ):
        return False
    if card.last_review is None or not 1 <= float(card.difficulty or 0) <= 10:
        return False
    needs_step = state.state in (State.LEARNING, State.RELEARNING)
    return not needs_step or (isinstance(state.step, int) and state.step >= 0)
