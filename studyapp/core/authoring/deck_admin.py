"""Deck management: new, rename, delete, move cards, preview a re-import.

Decks from a YAML file are changed in the file as well (``decks/roundtrip``),
so the next import agrees with the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from studyapp.core.authoring.editing import CardEditor, draft_of, draft_to_data
from studyapp.core.decks import roundtrip
from studyapp.core.decks.reader import load_deck
from studyapp.core.errors import StudyAppError
from studyapp.core.model import CardKind, CardSpec, Deck
from studyapp.core.safety.backup import Backups
from studyapp.core.store import deck_admin, deck_rows
from studyapp.core.store.database import Store
from studyapp.core.study.card_actions import cards_label
from studyapp.core.study.undo import UndoHistory


@dataclass(frozen=True, slots=True)
class ReimportPreview:
    """What importing a deck file again would do, card by card (with text)."""

    deck_id: str
    added: tuple[CardSpec, ...]
    changed: tuple[tuple[CardSpec, CardSpec], ...]  # (stored, in the file)
    retired: tuple[CardSpec, ...]

    @property
    def is_empty(self) -> bool:
        """Whether the import would change no card."""
        return not (self.added or self.changed or self.retired)


class DeckAdmin:
    """New, rename, delete and move: each one named step in the undo history.

    Args:
        store: The collection.
        history: Where each change records its undo.
        editor: The card editor, whose imports (file, in memory) it uses.
        backups: Where to back up before deleting (None: in memory).
    """

    def __init__(
        self,
        store: Store,
        history: UndoHistory,
        editor: CardEditor,
        backups: Backups | None,
    ) -> None:
        self._store = store
        self._history = history
        self._write_and_import = editor.write_and_import
        self._import_deck = editor.import_deck
        self._backups = backups

    def ids(self) -> list[str]:
        """Every deck's id, sorted."""
        return self._store.deck_ids()

    def file_of(self, deck_id: str) -> Path | None:
        """The deck file a deck was imported from, if it is still there."""
        return self._file(deck_id)

    def _file(self, deck_id: str) -> Path | None:
        path = deck_admin.path_of(self._store, deck_id)
        return Path(path) if path and Path(path).is_file() else None

    def new_deck(self, deck_id: str, title: str, *, like: str | None = None) -> None:
        """Make a new, empty deck in the collection.

        ``like`` names a deck that lends its document, kind and sources, so
        the new deck's cards can quote the same source.

        Raises:
            StudyAppError: If the id is taken or not a valid deck id.
        """
        from studyapp.core.decks.files import DECK_ID

        if not DECK_ID.match(deck_id):
            raise StudyAppError(
                f"deck id '{deck_id}': use only a-z, 0-9, '.', '_' and '-'"
            )
        if deck_id in self._store.deck_ids():
            raise StudyAppError(f"a deck with id '{deck_id}' exists")
        model = deck_rows.stored_deck(self._store, like) if like else None
        deck = Deck(
            id=deck_id,
            title=title,
            kind=model.kind if model else CardKind.BASIC,
            document=model.document if model else "",
            sources=model.sources if model else (),
        )
        self._import_deck(deck)

        def revert() -> None:
            deck_admin.delete(self._store, deck_id)

        self._history.push(f"New deck '{title}'", revert)

    def rename(self, deck_id: str, title: str) -> None:
        """Give a deck a new title (in its file too, when it has one)."""
        old = deck_admin.title(self._store, deck_id)
        path = self._file(deck_id)
        if path is None:
            deck_admin.rename(self._store, deck_id, title)

            def revert() -> None:
                deck_admin.rename(self._store, deck_id, old)

        else:
            before = roundtrip.read_text(path)
            after = roundtrip.update_deck(before, {"title": title}, str(path))
            self._write_and_import(path, after, expected=before)

            def revert() -> None:
                self._write_and_import(path, before, expected=after)

        self._history.push(f"Rename deck '{old}' to '{title}'", revert)

    def delete(self, deck_id: str, *, now: datetime) -> int:
        """Delete a deck and its history, after a backup; returns its card count.

        The deck file, if any, stays on disk (importing it again brings the
        cards back as new). Undo puts every row back.
        """
        title = deck_admin.title(self._store, deck_id)
        if self._backups is not None:
            self._backups.backup_before(now, "before-delete")
        rows = deck_admin.delete(self._store, deck_id)
        self._history.push(
            f"Delete deck '{title}' ({cards_label('', rows.card_count).strip()})",
            lambda: deck_admin.restore(self._store, rows),
        )
        return rows.card_count

    def move_cards(self, card_ids: Sequence[int], to_deck: str) -> int:
        """Move the notes of some cards to another deck, history and all.

        Returns:
            How many notes moved.

        Raises:
            StudyAppError: If the other deck has cards with the same ids or
                does not list a source the notes quote.
        """
        target = deck_rows.stored_deck(self._store, to_deck)
        moves = [m for m in deck_admin.note_ids_of_cards(self._store, card_ids)]
        moves = [(deck, note) for deck, note in moves if deck != to_deck]
        if not moves:
            return 0
        known = {source.id for source in target.sources}
        specs: dict[str, list[CardSpec]] = {}
        for deck_id, note_id in moves:
            deck = deck_rows.stored_deck(self._store, deck_id)
            spec = next(c for c in deck.cards if c.id == note_id)
            # A deck file must list the sources its cards quote.
            has_file = self._file(to_deck) is not None
            if has_file and spec.source is not None and spec.source.ref not in known:
                raise StudyAppError(
                    f"deck '{to_deck}' does not list source '{spec.source.ref}' "
                    f"that card '{note_id}' quotes"
                )
            specs.setdefault(deck_id, []).append(spec)
        texts = self._moved_texts(specs, target)
        for deck_id, group in specs.items():
            deck_admin.move_notes(self._store, deck_id, to_deck, [s.id for s in group])
        for path, (before, after) in texts.items():
            self._write_and_import(path, after, expected=before)

        def revert() -> None:
            for deck_id, group in specs.items():
                deck_admin.move_notes(
                    self._store, to_deck, deck_id, [s.id for s in group]
                )
            for path, (before, after) in texts.items():
                self._write_and_import(path, before, expected=after)

        label = f"Move {cards_label('', len(moves)).strip()} to '{target.title}'"
        self._history.push(label, revert)
        return len(moves)

    def _moved_texts(
        self, specs: dict[str, list[CardSpec]], target: Deck
    ) -> dict[Path, tuple[str, str]]:
        """The deck files' texts before and after the move."""
        texts: dict[Path, tuple[str, str]] = {}
        target_path = self._file(target.id)
        for deck_id, group in specs.items():
            path = self._file(deck_id)
            if path is None:
                continue
            before = roundtrip.read_text(path)
            after = before
            for spec in group:
                after = roundtrip.remove_card(after, spec.id, str(path))
            texts[path] = (before, after)
        if target_path is not None:
            before = roundtrip.read_text(target_path)
            after = before
            for group in specs.values():
                for spec in group:
                    data = draft_to_data(spec.id, draft_of(spec), target.kind)
                    after = roundtrip.add_card(after, data, str(target_path))
            texts[target_path] = (before, after)
        return texts

    def preview_reimport(self, path: Path) -> ReimportPreview:
        """Compare a deck file with its stored deck, without importing it.

        Raises:
            DeckError: If the file has problems (the import would refuse it).
        """
        new = load_deck(path.resolve())
        try:
            old_cards = deck_rows.stored_deck(self._store, new.id).cards
        except KeyError:
            old_cards = ()
        old = {card.id: card for card in old_cards}
        fresh = {card.id: card for card in new.cards}
        return ReimportPreview(
            deck_id=new.id,
            added=tuple(c for c in new.cards if c.id not in old),
            changed=tuple(
                (old[c.id], c) for c in new.cards if c.id in old and old[c.id] != c
            ),
            retired=tuple(c for c in old_cards if c.id not in fresh),
        )
