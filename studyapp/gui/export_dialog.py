"""File → Export…: selected decks to an Anki package or tab-separated text."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from studyapp.core.errors import StudyAppError
from studyapp.core.library import Library
from studyapp.gui.plain import show_message

ANKI_FILTER = "Anki package (*.apkg)"
TEXT_FILTER = "Text notes, one file per deck (*.txt)"


def ask_and_export(parent: QWidget, library: Library, deck_ids: list[str]) -> None:
    """Ask where to export the decks, write them and say what was written."""
    name, chosen = QFileDialog.getSaveFileName(
        parent,
        "Export decks",
        str(Path.home() / "studyapp-decks.apkg"),
        f"{ANKI_FILTER};;{TEXT_FILTER}",
    )
    if not name:
        return
    path = Path(name)
    if not path.suffix:
        path = path.with_suffix(".txt" if chosen == TEXT_FILTER else ".apkg")
    try:
        written = library.export(deck_ids, path)
    except (StudyAppError, OSError) as error:
        show_message(parent, QMessageBox.Icon.Warning, "Export failed", str(error))
        return
    if len(written) == 1:
        text, details = f"{len(deck_ids)} deck(s) written to:\n{written[0]}", ""
    else:  # one file per deck: the folder here, the files under the details
        folder = os.path.commonpath(written)
        text = f"{len(deck_ids)} deck(s) written to {len(written)} files in:\n{folder}"
        details = "\n".join(os.path.relpath(path, folder) for path in written)
    show_message(
        parent, QMessageBox.Icon.Information, "Export finished", text, details=details
    )
