"""The card editor's core: drafts, live checks, and saving back to the deck file.

A deck that came from a YAML file is edited in that file (only the card's
lines change, see ``decks/roundtrip.py``) and then re-imported, so the card
keeps its id and history. A deck without a file (from Anki or CSV) is edited
in the database. Every save is a named step in the undo history.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from studyapp.core.authoring.card_lint import lint_card
from studyapp.core.decks import roundtrip
from studyapp.core.decks.card_checks import check_card
from studyapp.core.decks.sources import QuoteIndex
from studyapp.core.errors import DeckError, Problem, StudyAppError
from studyapp.core.model import CardKind, CardSpec, CardType, Deck
from studyapp.core.store import deck_rows
from studyapp.core.store.database import Store
from studyapp.core.study.undo import UndoHistory

_SLUG = re.compile(r"[^a-z0-9]+")
_FIELD_OF_KEY = {"ref": "source", "section": "section", "quote": "quote"}


@dataclass(frozen=True, slots=True)
class CardDraft:
    """The editor's fields for one note (a deck file's card entry)."""

    kind: CardKind
    type: CardType = CardType.BASIC
    front: str = ""
    back: str = ""
    cloze: str = ""
    tags: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    source_ref: str = ""
    section: str = ""
    quote: str = ""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """A problem with one editor field ("" for the card as a whole)."""

    field: str
    message: str
    warning: bool = False  # lint: the card can still be saved


@dataclass(slots=True)
class EditSession:
    """One card open in the editor: its deck, and the file as it was read."""

    deck: Deck
    note_id: str  # "" for a new card until it is saved
    original: CardSpec | None
    path: Path | None  # the deck file, when the deck has one
    loaded_text: str | None = None
    saved: list[str] = field(default_factory=list)  # labels of the saves
    text_before_save: str | None = None  # for undoing the last save
    deck_before_save: Deck | None = None
    quote_indexes: dict[str, QuoteIndex] = field(default_factory=dict)

    @property
    def is_new(self) -> bool:
        """Whether the card is not yet in the deck."""
        return self.original is None


def draft_of(spec: CardSpec) -> CardDraft:
    """The editor's fields of a stored card."""
    anchor = spec.source
    return CardDraft(
        kind=spec.kind,
        type=spec.type,
        front=spec.front,
        back=spec.back,
        cloze=spec.cloze,
        tags=spec.tags,
        steps=spec.steps,
        source_ref=anchor.ref if anchor else "",
        section=anchor.section if anchor else "",
        quote=anchor.quote if anchor else "",
    )


def draft_to_data(
    note_id: str, draft: CardDraft, deck_kind: CardKind
) -> dict[str, Any]:
    """The mapping the card would have in its deck file."""
    data: dict[str, Any] = {"id": note_id}
    if draft.kind is not deck_kind:
        data["kind"] = draft.kind.value
    cloze = draft.type is CardType.CLOZE
    if draft.type is not CardType.BASIC and not (cloze and draft.cloze):
        data["type"] = draft.type.value
    if cloze:
        data["cloze"] = draft.cloze
        if draft.back:
            data["back"] = draft.back
    else:
        data["front"] = draft.front
        data["back"] = draft.back
    if draft.tags:
        data["tags"] = list(draft.tags)
    if draft.steps:
        data["steps"] = list(draft.steps)
    if draft.source_ref or draft.section or draft.quote:
        data["source"] = {
            "ref": draft.source_ref,
            "section": draft.section,
            "quote": draft.quote,
        }
    return data


def new_card_id(draft: CardDraft, taken: set[str]) -> str:
    """A fresh id from the card's first words, unique in its deck."""
    text = draft.cloze if draft.type is CardType.CLOZE else draft.front
    text = re.sub(r"\{\{c\d+::(.*?)(::[^}]*)?\}\}", r"\1", text)
    words = _SLUG.sub("-", text.lower()).strip("-").split("-")[:5]
    base = "-".join(w for w in words if w)[:40].strip("-") or "card"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


class CardEditor:
    """Opens cards for editing, checks drafts, and saves them where they live.

    Args:
        store: The collection.
        history: Each save records its undo here.
        reimport: Re-imports one deck file (the library's import, so the
            usual backup and checks apply).
        import_deck: Imports a deck built in memory (decks without a file).
    """

    def __init__(
        self,
        store: Store,
        history: UndoHistory,
        reimport: Callable[[Path], object],
        import_deck: Callable[[Deck], object],
    ) -> None:
        self._store = store
        self._history = history
        self.reimport = reimport
        self.import_deck = import_deck

    def _session(self, deck_id: str, spec: CardSpec | None) -> EditSession:
        deck = deck_rows.stored_deck(self._store, deck_id)
        path = Path(deck.path) if deck.path and Path(deck.path).is_file() else None
        text = roundtrip.read_text(path) if path else None
        return EditSession(deck, spec.id if spec else "", spec, path, text)

    def edit(self, card_id: int) -> tuple[EditSession, CardDraft]:
        """Open the note of a review card for editing."""
        card = self._store.card(card_id)
        session = self._session(card.deck_id, None)
        spec = next(c for c in session.deck.cards if c.id == card.note_id)
        session.original, session.note_id = spec, spec.id
        return session, draft_of(spec)

    def new_card(
        self,
        deck_id: str,
        *,
        kind: CardKind | None = None,
        source_ref: str = "",
        section: str = "",
        quote: str = "",
    ) -> tuple[EditSession, CardDraft]:
        """Start a new card in a deck, e.g. from a passage of its source."""
        session = self._session(deck_id, None)
        draft = CardDraft(
            kind=kind or session.deck.kind,
            source_ref=source_ref,
            section=section,
            quote=quote,
        )
        return session, draft

    def check(self, session: EditSession, draft: CardDraft) -> list[FieldProblem]:
        """The validation problems (as ``studyapp validate``) and lint warnings."""
        note_id = session.note_id or new_card_id(draft, set())
        item = draft_to_data(note_id, draft, session.deck.kind)
        spec, located = check_card(
            item, session.deck.kind, session.deck.sources, session.quote_indexes
        )
        problems = [
            FieldProblem(_field_of(problem.where), problem.message)
            for problem in located
        ]
        if spec is not None:
            problems += [FieldProblem(f, m, warning=True) for f, m in lint_card(spec)]
        return problems

    def save(
        self, session: EditSession, draft: CardDraft, *, over_changes: bool = False
    ) -> str:
        """Save the draft into its deck; returns the card's id in the deck.

        Args:
            session: From ``edit`` or ``new_card``.
            draft: The fields to save.
            over_changes: Apply the edit even though the deck file changed on
                disk since it was opened (after the learner saw the diff).

        Raises:
            DeckError: If the draft has problems (nothing is saved).
            FileChangedError: If the file changed on disk and not
                ``over_changes``; its ``diff`` shows what changed.
        """
        errors = [p for p in self.check(session, draft) if not p.warning]
        where = str(session.path or session.deck.id)
        if errors:
            raise DeckError([Problem(where, 1, 1, p.message) for p in errors])
        taken = {c.id for c in session.deck.cards}
        note_id = session.note_id or new_card_id(draft, taken)
        data = draft_to_data(note_id, draft, session.deck.kind)
        label = f"{'Add' if session.is_new else 'Edit'} card '{note_id}'"
        if session.path is not None:
            self._save_to_file(session, note_id, data, over_changes=over_changes)
        else:
            self._save_to_database(session, note_id, data)
        self._history.push(label, self._undo_for(session, label))
        session.note_id = note_id
        session.deck = deck_rows.stored_deck(self._store, session.deck.id)
        session.original = next(c for c in session.deck.cards if c.id == note_id)
        session.saved.append(label)
        return note_id

    def _save_to_file(
        self,
        session: EditSession,
        note_id: str,
        data: dict[str, Any],
        *,
        over_changes: bool,
    ) -> None:
        assert session.path is not None
        assert session.loaded_text is not None
        path, where = session.path, str(session.path)
        current = roundtrip.read_text(path)
        if current != session.loaded_text and not over_changes:
            raise roundtrip.FileChangedError(
                path, roundtrip.file_diff(path, session.loaded_text, current)
            )
        if session.original is None:
            new_text = roundtrip.add_card(current, data, where)
        else:
            old = draft_to_data(note_id, draft_of(session.original), session.deck.kind)
            new_text = roundtrip.update_card(
                current, note_id, _changes(old, data), where
            )
        self.write_and_import(path, new_text, expected=current)
        session.loaded_text = new_text
        session.text_before_save = current

    def write_and_import(self, path: Path, text: str, *, expected: str) -> None:
        """Write the file and re-import it; on a failed import, put it back."""
        roundtrip.write_text(path, text, expected=expected)
        try:
            self.reimport(path)
        except StudyAppError:
            roundtrip.write_text(path, expected, expected=text)
            raise

    def _save_to_database(
        self, session: EditSession, note_id: str, data: dict[str, Any]
    ) -> None:
        spec, _ = check_card(data, session.deck.kind, session.deck.sources)
        assert spec is not None  # checked in save()
        cards = list(session.deck.cards)
        if session.original is None:
            cards.append(spec)
        else:
            cards[[c.id for c in cards].index(note_id)] = spec
        session.deck_before_save = session.deck
        self.import_deck(replace(session.deck, cards=tuple(cards)))

    def _undo_for(self, session: EditSession, label: str) -> Callable[[], None]:
        if session.path is not None:
            path = session.path
            before, after = session.text_before_save, session.loaded_text
            assert before is not None
            assert after is not None

            def revert_file() -> None:
                self.write_and_import(path, before, expected=after)
                if session.loaded_text == after:
                    session.loaded_text = before

            return revert_file
        deck_before = session.deck_before_save
        assert deck_before is not None

        def revert_database() -> None:
            self.import_deck(deck_before)

        return revert_database


def _changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The keys to set (None: remove) to turn the card's ``old`` data into ``new``."""
    changes: dict[str, Any] = {}
    for key in dict.fromkeys([*old, *new]):
        if key == "source" and key in old and key in new:
            inner = {k: v for k, v in new[key].items() if old[key].get(k) != v}
            if inner:
                changes[key] = inner
        elif old.get(key) != new.get(key):
            changes[key] = new.get(key)
    return changes


def _field_of(where: tuple[str | int, ...]) -> str:
    if not where:
        return ""
    if where[0] == "source":
        return (
            _FIELD_OF_KEY.get(str(where[1]), "source") if len(where) > 1 else "source"
        )
    return str(where[0])
