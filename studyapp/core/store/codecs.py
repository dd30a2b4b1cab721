"""Conversions between database rows and model objects."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from studyapp.core.clock import from_ms, to_ms
from studyapp.core.decks.cloze import cloze_back, cloze_front
from studyapp.core.model import (
    Card,
    CardKind,
    CardState,
    CardType,
    SourceAnchor,
    State,
    Study,
)


def state_values(state: CardState) -> tuple[Any, ...]:
    """A state as card_state column values, card_id first."""
    return (
        state.card_id,
        int(state.state),
        state.step,
        state.stability,
        state.difficulty,
        to_ms(state.due),
        to_ms(state.last_review) if state.last_review else None,
        state.reps,
        state.lapses,
    )


def state_from_row(row: tuple[Any, ...]) -> CardState:
    """A card_state row as a CardState."""
    return CardState(
        card_id=row[0],
        state=State(row[1]),
        step=row[2],
        stability=row[3],
        difficulty=row[4],
        due=from_ms(row[5]),
        last_review=from_ms(row[6]) if row[6] is not None else None,
        reps=row[7],
        lapses=row[8],
    )


def card_from_row(row: tuple[Any, ...]) -> Card:
    """A joined cards/notes row as a Card, with the face for its ord."""
    card_id, deck_id, note_id, ord_, kind, type_, front, back, cloze = row[:9]
    card_type = CardType(type_)
    if card_type is CardType.CLOZE:
        extra = f"\n\n{back}" if back else ""
        front, back = cloze_front(cloze, ord_), cloze_back(cloze, ord_) + extra
    elif ord_ == 1:
        front, back = back, front
    study = json.loads(row[11]) if row[11] else None
    anchor = SourceAnchor(row[12], row[13], row[14]) if row[12] else None
    return Card(
        id=card_id,
        deck_id=deck_id,
        note_id=note_id,
        ord=ord_,
        kind=CardKind(kind),
        type=card_type,
        front=front,
        back=back,
        tags=tuple(json.loads(row[9])),
        source=anchor,
        study=Study(**study) if study else None,
        steps=tuple(json.loads(row[10])),
    )


def state_to_json(state: CardState) -> str:
    """A state as JSON, for the review log (undo restores it)."""
    data: dict[str, Any] = {
        "state": int(state.state),
        "due": state.due.isoformat(),
        "step": state.step,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "last_review": state.last_review.isoformat() if state.last_review else None,
        "reps": state.reps,
        "lapses": state.lapses,
    }
    return json.dumps(data)


def state_from_json(card_id: int, text: str) -> CardState:
    """The inverse of :func:`state_to_json`."""
    data = json.loads(text)
    last = data["last_review"]
    return CardState(
        card_id=card_id,
        state=State(data["state"]),
        due=datetime.fromisoformat(data["due"]),
        step=data["step"],
        stability=data["stability"],
        difficulty=data["difficulty"],
        last_review=datetime.fromisoformat(last) if last else None,
        reps=data["reps"],
        lapses=data["lapses"],
    )
