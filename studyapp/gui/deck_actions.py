"""Edit menu's deck commands: new, rename, delete, re-import with a preview."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox, QWidget

from studyapp.core.errors import DeckError, StudyAppError
from studyapp.core.library import Library
from studyapp.gui.plain import show_message

if TYPE_CHECKING:  # deck_admin loads ruamel.yaml: only when used (issue 21)
    from studyapp.core.authoring.deck_admin import ReimportPreview
    from studyapp.gui.main_window import MainWindow

_PREVIEW_LINES = 12


def preview_text(preview: ReimportPreview) -> str:
    """A re-import's changes in words, card by card, with their text."""
    if preview.is_empty:
        return f"Importing '{preview.deck_id}' again would change no card."
    lines = [
        f"Importing '{preview.deck_id}' again: {len(preview.added)} added, "
        f"{len(preview.changed)} changed, {len(preview.retired)} retired."
    ]
    for card in preview.added[:_PREVIEW_LINES]:
        lines.append(f"+ {card.id}: {card.front or card.cloze}")
    for old, new in preview.changed[:_PREVIEW_LINES]:
        fields = [
            name
            for name in ("front", "back", "cloze", "tags", "steps", "source", "kind")
            if getattr(old, name) != getattr(new, name)
        ]
        lines.append(
            f"~ {new.id} ({', '.join(fields) or 'type'}): {new.front or new.cloze}"
        )
    for card in preview.retired[:_PREVIEW_LINES]:
        lines.append(f"- {card.id}: {card.front or card.cloze}")
    return "\n".join(lines)


def deck_id_for(title: str, taken: list[str]) -> str:
    """A deck id made from a title, unique among ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "deck"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


class DeckActions:
    """The deck entries of the Edit menu, over the deck list's selection."""

    def __init__(
        self,
        window: MainWindow,
        menu: QMenu,
        after_change: Callable[[], None],
        clock: Callable[[], datetime],
    ) -> None:
        self._window = window
        self._library: Library = window.library
        self._after_change = after_change
        self._clock = clock
        menu.addSeparator()
        for text, slot in (
            ("&New deck…", self._on_new_triggered),
            ("Re&name deck…", self._on_rename_triggered),
            ("&Delete deck…", self._on_delete_triggered),
            ("Re-&import deck with preview…", self._on_reimport_triggered),
        ):
            menu.addAction(text).triggered.connect(slot)

    def _selected(self) -> str | None:
        ids = self._window.home.decks.selected_deck_ids()
        if len(ids) != 1:
            self._say("Select one deck in the deck list first.")
            return None
        return ids[0]

    def _say(self, text: str, title: str = "Decks") -> None:
        if self._window.isVisible():
            show_message(self._window, QMessageBox.Icon.Information, title, text)

    def _run(self, change: Callable[[], object]) -> bool:
        try:
            change()
        except StudyAppError as error:
            show_message(self._window, QMessageBox.Icon.Warning, "Decks", str(error))
            return False
        self._after_change()
        return True

    # Commands with their answers given (the slots ask for them) ------------

    def new_deck(self, title: str, like: str | None) -> str:
        """Make a new empty deck; returns its id."""
        deck_id = deck_id_for(title, self._library.decks.ids())
        self._run(lambda: self._library.decks.new_deck(deck_id, title, like=like))
        return deck_id

    def rename(self, deck_id: str, title: str) -> bool:
        """Rename a deck (in its file too)."""
        return self._run(lambda: self._library.decks.rename(deck_id, title))

    def delete(self, deck_id: str) -> bool:
        """Delete a deck after a backup; Edit -> Undo brings it back."""
        return self._run(lambda: self._library.decks.delete(deck_id, now=self._clock()))

    # Slots --------------------------------------------------------------------

    def _on_new_triggered(self) -> None:
        ids = self._window.home.decks.selected_deck_ids()
        title, ok = QInputDialog.getText(
            self._window,
            "New deck",
            "Title of the new deck"
            + (f" (same source as {ids[0]}):" if len(ids) == 1 else ":"),
        )
        if ok and title.strip():
            self.new_deck(title.strip(), ids[0] if len(ids) == 1 else None)

    def _on_rename_triggered(self) -> None:
        deck_id = self._selected()
        if deck_id is None:
            return
        title, ok = QInputDialog.getText(self._window, "Rename deck", "New title:")
        if ok and title.strip():
            self.rename(deck_id, title.strip())

    def _on_delete_triggered(self) -> None:
        deck_id = self._selected()
        if deck_id is None:
            return
        answer = QMessageBox.question(
            self._window,
            "Delete deck",
            f"Delete the deck '{deck_id}' with its cards and their history? A "
            "backup is taken first, and Edit → Undo brings it back. Its deck "
            "file stays on disk.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete(deck_id)

    def _on_reimport_triggered(self) -> None:
        ids = self._window.home.decks.selected_deck_ids()
        path = self._library.decks.file_of(ids[0]) if len(ids) == 1 else None
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self._window, "Re-import a deck file", "", "Deck files (*.yaml *.yml)"
            )
            if not name:
                return
            path = Path(name)
        ask_and_reimport(self._window, self._library, path)
        self._after_change()


def ask_and_reimport(parent: QWidget, library: Library, path: Path) -> bool:
    """Show what re-importing ``path`` would change; import it if asked to."""
    try:
        preview = library.decks.preview_reimport(path)
    except DeckError as error:
        show_message(parent, QMessageBox.Icon.Warning, "Re-import", str(error))
        return False
    box = QMessageBox(parent)
    box.setWindowTitle("Re-import deck")
    box.setText(preview_text(preview).split("\n", 1)[0])
    box.setDetailedText(preview_text(preview))
    box.setStandardButtons(
        QMessageBox.StandardButton.Apply | QMessageBox.StandardButton.Cancel
    )
    if box.exec() != QMessageBox.StandardButton.Apply:
        return False
    try:
        library.import_paths([path], force=True)
    except StudyAppError as error:
        show_message(parent, QMessageBox.Icon.Warning, "Re-import", str(error))
        return False
    return True
