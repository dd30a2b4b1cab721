"""Card searches as SQL: a parsed query (``core/query.py``) to a WHERE clause."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from studyapp.core.query import (
    SORT_KEYS,
    And,
    CardRow,
    Field,
    Node,
    Not,
    Or,
    Prop,
    Text,
)
from studyapp.core.store.database import Store

DAY_MS = 86_400_000
_NOTES = re.compile(r"\bn\.")
_STATE = re.compile(r"\bs\.")
_FROM = (
    "FROM cards c JOIN notes n ON n.deck_id = c.deck_id AND n.note_id = c.note_id "
    "JOIN card_state s ON s.card_id = c.id"
)
_PROP_COLUMNS = {
    "s": "s.stability",
    "d": "s.difficulty",
    "lapses": "s.lapses",
    "reps": "s.reps",
    "ivl": "(CASE WHEN s.state > 0 AND s.last_review IS NOT NULL THEN "
    f"round((s.due - s.last_review) / {DAY_MS}.0) END)",
}
_ORDER = {
    "card": "c.id",
    "deck": "c.deck_id, n.position, c.ord",
    "note": "n.note_id, c.ord",
    "kind": "n.kind, c.id",
    "type": "n.type, c.id",
    "section": "n.section, c.id",
    "due": "s.state = 0, s.due, c.id",
    "interval": "(s.due - s.last_review), c.id",
    "stability": "s.stability, c.id",
    "difficulty": "s.difficulty, c.id",
    "lapses": "s.lapses, c.id",
    "reviews": "s.reps, c.id",
    "tags": "n.tags, c.id",
    "flag": "c.suspended, c.flag, c.id",
}
assert set(_ORDER) | {"retrievability"} == set(SORT_KEYS)


@dataclass(frozen=True, slots=True)
class SearchClock:
    """What time-dependent terms compare with, and the forgetting curve."""

    now_ms: int
    day_start_ms: int
    decay: float  # fsrs: R = (1 + factor * days / S) ** decay
    factor: float

    def retrievability_sql(self) -> str:
        """An SQL expression for a card's predicted recall now (0 when new)."""
        return (
            "(CASE WHEN s.last_review IS NULL OR s.stability IS NULL "
            "OR s.stability <= 0 THEN 0.0 ELSE "
            f"pow(1 + {self.factor!r} * max(0, ({self.now_ms} - s.last_review) "
            f"/ {DAY_MS}) / s.stability, {self.decay!r}) END)"
        )


def find_card_ids(
    store: Store,
    node: Node | None,
    clock: SearchClock,
    *,
    order: str = "card",
    descending: bool = False,
) -> list[int]:
    """The live review cards matching ``node`` (all when None), sorted."""
    where, params = ("1", []) if node is None else _clause(node, clock)
    column = (
        f"{clock.retrievability_sql()}, c.id"
        if order == "retrievability"
        else _ORDER[order]
    )
    if descending:
        column = ", ".join(f"{part} DESC" for part in column.split(", "))
    # Join only the tables the query and the order need: a join costs about
    # as much as the whole search of a simple query (issue 15's benchmark).
    tables = "cards c"
    if _NOTES.search(where) and not _STATE.search(where):
        # Walk the notes (a text or tag test) and look their cards up: a
        # third less time than looking up every card's note (CROSS JOIN keeps
        # the order). With a state test too, SQLite picks (an index may help).
        tables = (
            "notes n CROSS JOIN cards c ON c.deck_id = n.deck_id "
            "AND c.note_id = n.note_id"
        )
    elif _NOTES.search(where) or _NOTES.search(column):
        tables += " JOIN notes n ON n.deck_id = c.deck_id AND n.note_id = c.note_id"
    if _STATE.search(where) or _STATE.search(column):
        tables += " JOIN card_state s ON s.card_id = c.id"
    sql = f"SELECT c.id AS id FROM {tables} WHERE c.retired = 0 AND ({where})"
    # One JSON text rather than a row per card: a third less time at 100k
    # cards, most of which went into making Python rows. The order holds.
    row = store.execute(
        f"SELECT json_group_array(id) FROM ({sql} ORDER BY {column})", params
    ).fetchone()
    ids: list[int] = json.loads(row[0])
    return ids


def card_rows(
    store: Store, card_ids: Sequence[int], clock: SearchClock
) -> list[CardRow]:
    """The listing rows of some cards, in the order given (unknown ids left out)."""
    found: dict[int, CardRow] = {}
    for start in range(0, len(card_ids), 500):
        chunk = list(card_ids[start : start + 500])
        marks = ", ".join("?" * len(chunk))
        rows = store.execute(
            "SELECT c.id, c.deck_id, c.note_id, c.ord, n.kind, n.type, "
            "CASE WHEN n.type = 'cloze' THEN n.cloze ELSE n.front END, n.section, "
            "coalesce(n.source_ref, ''), s.state, s.due, "
            "CASE WHEN s.state > 0 AND s.last_review IS NOT NULL THEN "
            f"(s.due - s.last_review) / {DAY_MS}.0 END, s.stability, s.difficulty, "
            f"{clock.retrievability_sql()}, s.lapses, s.reps, n.tags, c.suspended, "
            f"coalesce(c.buried_until > {clock.now_ms}, 0), c.flag "
            f"{_FROM} WHERE c.id IN ({marks})",
            chunk,
        )
        for row in rows:
            values: list[Any] = list(row)
            values[17] = tuple(json.loads(values[17]))
            values[18], values[19] = bool(values[18]), bool(values[19])
            found[row[0]] = CardRow(*values)
    return [found[card_id] for card_id in card_ids if card_id in found]


def _like(value: str, *, contains: bool) -> str:
    """A LIKE pattern (escape character: backslash) where ``*`` matches anything."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = escaped.replace("*", "%")
    return f"%{pattern}%" if contains else pattern


def _clause(node: Node, clock: SearchClock) -> tuple[str, list[Any]]:
    if isinstance(node, And | Or):
        parts = [_clause(term, clock) for term in node.terms]
        joiner = " AND " if isinstance(node, And) else " OR "
        params = [p for _, part_params in parts for p in part_params]
        return joiner.join(f"({sql})" for sql, _ in parts), params
    if isinstance(node, Not):
        sql, params = _clause(node.term, clock)
        return f"NOT coalesce(({sql}), 0)", params
    if isinstance(node, Text):
        pattern = _like(node.text, contains=True)
        return (
            "n.front LIKE ? ESCAPE '\\' OR n.back LIKE ? ESCAPE '\\' "
            "OR n.cloze LIKE ? ESCAPE '\\'",
            [pattern] * 3,
        )
    if isinstance(node, Prop):
        return _prop(node, clock)
    return _field(node, clock)


def _prop(node: Prop, clock: SearchClock) -> tuple[str, list[Any]]:
    if node.name == "r":
        column = f"(CASE WHEN s.state > 0 THEN {clock.retrievability_sql()} END)"
    elif node.name == "due":
        column = (
            f"(CASE WHEN s.state > 0 THEN floor((s.due - {clock.day_start_ms}) "
            f"/ {DAY_MS}.0) END)"
        )
    else:
        column = _PROP_COLUMNS[node.name]
    op = "<>" if node.op == "!=" else node.op
    return f"{column} {op} ?", [node.number]


def _field(node: Field, clock: SearchClock) -> tuple[str, list[Any]]:
    value = node.value
    if node.key == "deck":
        pattern = _like(value, contains=False)
        # A parent includes its children: Anki-style "parent::child" ids, and
        # the decks made from one source document (the deck list's tree).
        return (
            "c.deck_id IN (SELECT id FROM decks WHERE id LIKE ? ESCAPE '\\' "
            "OR id LIKE ? ESCAPE '\\' OR document LIKE ? ESCAPE '\\')",
            [pattern, pattern + "::%", pattern],
        )
    if node.key == "tag":
        pattern = _like(value, contains=False)
        # The JSON text is scanned first (fast); json_each confirms a match.
        encoded = _like(json.dumps(value)[1:-1], contains=False)
        return (
            "(n.tags LIKE ? ESCAPE '\\' OR n.tags LIKE ? ESCAPE '\\') AND EXISTS "
            "(SELECT 1 FROM json_each(n.tags) WHERE value LIKE ? ESCAPE '\\' "
            "OR value LIKE ? ESCAPE '\\')",
            [f'%"{encoded}"%', f'%"{encoded}::%', pattern, pattern + "::%"],
        )
    if node.key in ("kind", "type", "section"):
        return f"n.{node.key} LIKE ? ESCAPE '\\'", [_like(value, contains=False)]
    if node.key == "source":
        return "n.source_ref LIKE ? ESCAPE '\\'", [_like(value, contains=False)]
    if node.key == "flag":
        return "c.flag = ?", [int(value)]
    if node.key == "cid":
        ids = [int(part) for part in value.split(",")]
        return f"c.id IN ({', '.join('?' * len(ids))})", ids
    if node.key == "rated":
        days, _, rating = value.partition(":")
        since = clock.day_start_ms - (max(int(days), 1) - 1) * DAY_MS
        extra = " AND rating = ?" if rating else ""
        params: list[Any] = [since, int(rating)] if rating else [since]
        return (
            f"c.id IN (SELECT card_id FROM reviews WHERE reviewed_at >= ?{extra})",
            params,
        )
    return _is(value, clock)


def _is(value: str, clock: SearchClock) -> tuple[str, list[Any]]:
    if value == "new":
        return "s.state = 0", []
    if value == "learn":
        return "s.state IN (1, 3)", []
    if value == "review":
        return "s.state IN (2, 3)", []
    if value == "due":
        return (
            "(s.state = 2 AND s.due < ?) OR (s.state IN (1, 3) AND s.due <= ?)",
            [clock.day_start_ms + DAY_MS, clock.now_ms],
        )
    if value == "suspended":
        return "c.suspended = 1", []
    if value == "buried":
        return "c.buried_until > ?", [clock.now_ms]
    return "c.flag > 0", []  # flagged
