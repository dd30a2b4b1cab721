"""Review a drafted deck: each card beside its highlighted passage; keep what is right.

Keys: A accepts the card and moves on, R rejects it and moves on, E edits its
front and back (Esc or Enter in the list returns), Up/Down move between cards.
"Save and import…" writes the accepted cards as a YAML deck file, with the
document's text beside it, and imports it through the library.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import (
    QKeyEvent,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from studyapp.core.authoring.document import SourceDocument, read_document
from studyapp.core.authoring.draft import DraftResult, draft_deck
from studyapp.core.authoring.output import write_draft
from studyapp.core.decks.sources import find_quote
from studyapp.core.errors import StudyAppError
from studyapp.core.library import Library
from studyapp.core.model import CardSpec, CardType, ImportSummary
from studyapp.gui.plain import PlainLabel, show_message
from studyapp.gui.source_pane import SourceBrowser, painted_span
from studyapp.gui.theme import passage_highlight


class Verdict(enum.Enum):
    """What the reviewer decided about a drafted card."""

    UNDECIDED = "·"
    ACCEPTED = "✓"
    REJECTED = "✗"


class DraftReview(QDialog):
    """The draft-review screen.

    Signals:
        None; ``save_and_import`` returns what the import did.
    """

    def __init__(
        self,
        library: Library,
        document: SourceDocument,
        result: DraftResult,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.document = document
        self.draft = result
        self.cards: list[CardSpec] = list(result.cards)
        self.verdicts = [Verdict.UNDECIDED] * len(self.cards)
        self.setWindowTitle(f"Review draft: {result.title}")
        self.setAccessibleName("Draft review")

        self.list = QListWidget()
        self.list.setAccessibleName("Drafted cards")
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        self.front = QPlainTextEdit()
        self.front.setAccessibleName("Front")
        self.back = QPlainTextEdit()
        self.back.setAccessibleName("Back")
        for editor in (self.front, self.back):
            editor.setReadOnly(True)
            editor.setMaximumHeight(90)
        self.check = PlainLabel()
        self.check.setWordWrap(True)
        self.check.setMinimumWidth(1)
        self.where = PlainLabel()
        self.where.setWordWrap(True)  # a long section name wraps
        self.where.setMinimumWidth(1)
        self.browser = SourceBrowser()
        self.browser.setPlainText(document.text)
        self.status = PlainLabel()
        save = QPushButton("&Save accepted and import…")
        save.clicked.connect(self._on_save_clicked)

        left = QWidget()
        column = QVBoxLayout(left)
        column.addWidget(PlainLabel("A accept · R reject · E edit · ↑/↓ move"))
        column.addWidget(self.list, 1)
        column.addWidget(PlainLabel("Front (or cloze)"))
        column.addWidget(self.front)
        column.addWidget(PlainLabel("Back"))
        column.addWidget(self.back)
        column.addWidget(self.check)
        right = QWidget()
        source_column = QVBoxLayout(right)
        source_column.addWidget(self.where)
        source_column.addWidget(self.browser, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([440, 660])
        self.warnings = PlainLabel(f"{len(result.warnings)} warnings from drafting")
        self.warnings.setToolTip("\n".join(document.with_pages(result.warnings)))
        self.warnings.setVisible(bool(result.warnings))
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.warnings)
        buttons.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self._keys = {
            Qt.Key.Key_A: self.accept_current,
            Qt.Key.Key_R: self.reject_current,
            Qt.Key.Key_E: self.edit_current,
        }
        self.list.installEventFilter(self)
        self._fill_list()
        self.list.setCurrentRow(0)
        self.list.setFocus()
        self.resize(1100, 700)

    # The decisions ------------------------------------------------------------

    @property
    def current(self) -> int:
        """Row of the card on screen."""
        return self.list.currentRow()

    def accept_current(self) -> None:
        """Accept the card on screen (with any edit) and go to the next."""
        self._decide(Verdict.ACCEPTED)

    def reject_current(self) -> None:
        """Reject the card on screen and go to the next."""
        self._decide(Verdict.REJECTED)

    def edit_current(self) -> None:
        """Let the reviewer edit the front and back of the card on screen."""
        for editor in (self.front, self.back):
            editor.setReadOnly(False)
        self.front.setFocus()

    def accepted_cards(self) -> tuple[CardSpec, ...]:
        """The accepted cards, as edited."""
        return tuple(
            card
            for card, verdict in zip(self.cards, self.verdicts, strict=True)
            if verdict is Verdict.ACCEPTED
        )

    def save_and_import(self, deck_path: Path) -> list[ImportSummary]:
        """Write the accepted cards as a deck file and import it.

        Raises:
            StudyAppError: If no card is accepted or the deck cannot be
                written or imported.
        """
        self._keep_edit()
        accepted = self.accepted_cards()
        if not accepted:
            raise StudyAppError("no card accepted: accept cards with A first")
        write_draft(self.draft, self.document, deck_path, cards=accepted)
        return self.library.import_paths([deck_path])

    # Showing ------------------------------------------------------------------

    def _decide(self, verdict: Verdict) -> None:
        row = self.current
        if row < 0:
            return
        self._keep_edit()
        self.verdicts[row] = verdict
        self._label_row(row)
        if row + 1 < self.list.count():
            self.list.setCurrentRow(row + 1)
        self.list.setFocus()
        self._show_status()

    def _keep_edit(self) -> None:
        row = self.current
        if row < 0 or self.front.isReadOnly():
            return
        card = self.cards[row]
        front, back = self.front.toPlainText().strip(), self.back.toPlainText().strip()
        if card.type is CardType.CLOZE:
            self.cards[row] = dataclasses.replace(card, cloze=front, back=back)
        else:
            self.cards[row] = dataclasses.replace(card, front=front, back=back)
        self._label_row(row)
        for editor in (self.front, self.back):
            editor.setReadOnly(True)

    def _fill_list(self) -> None:
        self.list.clear()
        for row in range(len(self.cards)):
            self.list.addItem("")
            self._label_row(row)
        self._show_status()

    def _label_row(self, row: int) -> None:
        card = self.cards[row]
        text = card.cloze or card.front
        label = f"{self.verdicts[row].value}  [{card.kind.value}] {text}"
        self.list.item(row).setText(label)

    def _show_status(self) -> None:
        count = self.verdicts.count
        self.status.setText(
            f"{count(Verdict.ACCEPTED)} accepted, {count(Verdict.REJECTED)} "
            f"rejected, {count(Verdict.UNDECIDED)} to review"
        )

    def _show_card(self, row: int) -> None:
        card = self.cards[row]
        self.front.setPlainText(card.cloze or card.front)
        self.back.setPlainText(card.back)
        note = self.draft.checks.get(card.id, "")
        self.check.setText(f"Check: {note}" if note else "")
        self._highlight(card)

    def _highlight(self, card: CardSpec) -> None:
        quote = card.source.quote if card.source else ""
        span = find_quote(self.document.text, quote) if quote else None
        if span is None:
            self.browser.setExtraSelections([])
            self.where.setText("Passage not found in the text")
            return
        page = self.document.page_at(span[0])
        section = card.source.section if card.source else ""
        where = f"Section: {section}" if section else ""
        self.where.setText(f"{where} · p. {page}" if page else where)
        colours = passage_highlight(self.palette())
        selection = painted_span(self.browser, self.document.text, span, colours)
        self.browser.setExtraSelections([selection])
        cursor = selection.cursor
        start = QTextCursor(cursor)
        start.setPosition(cursor.selectionStart())
        self.browser.setTextCursor(start)
        # the passage a quarter of the way down, as in the source pane
        bar = self.browser.verticalScrollBar()
        top = self.browser.cursorRect(start).top()
        bar.setValue(bar.value() + top - self.browser.viewport().height() // 4)

    def highlighted(self) -> str:
        """The highlighted passage, for tests and screen readers."""
        selections = self.browser.extraSelections()
        return selections[0].cursor.selectedText() if selections else ""

    # Events -------------------------------------------------------------------

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A, R and E on the card list decide about the card on screen."""
        if (
            watched is self.list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            action = self._keys.get(Qt.Key(event.key()))
            if action is not None:
                action()
                return True
        return super().eventFilter(watched, event)

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not self.front.isReadOnly():
            self._keep_edit()
            self.list.setFocus()
            return
        super().keyPressEvent(event)

    def _on_list_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.cards):
            self._show_card(row)

    def _on_save_clicked(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self,
            "Save accepted cards as a deck",
            str(Path.home() / f"{self.draft.source_id}-draft.yaml"),
            "Deck files (*.yaml)",
        )
        if not name:
            return
        try:
            summaries = self.save_and_import(Path(name))
        except StudyAppError as error:
            show_message(self, QMessageBox.Icon.Warning, "Draft not saved", str(error))
            return
        show_message(
            self,
            QMessageBox.Icon.Information,
            "Draft imported",
            "\n".join(str(summary) for summary in summaries),
        )
        self.done(QDialog.DialogCode.Accepted)


def open_draft(
    library: Library, path: Path, parent: QWidget | None = None
) -> DraftReview:
    """Read a document, draft a deck from it and open the review screen.

    Raises:
        StudyAppError: If the document cannot be read.
    """
    document = read_document(path)
    source_id = "".join(
        c if c.isalnum() or c in "._-" else "-" for c in path.stem.lower()
    )
    result = draft_deck(
        document.text, source_id=source_id, title=document.title or None, legacy=False
    )
    return DraftReview(library, document, result, parent)


def ask_and_open_draft(
    library: Library, parent: QWidget, *, on_done: Callable[[], object]
) -> DraftReview | None:
    """File → Draft deck from a document…: pick a document, review its draft."""
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        "Draft a deck from a document",
        "",
        "Documents (*.pdf *.html *.htm *.md *.markdown *.txt);;All files (*)",
    )
    if not name:
        return None
    try:
        review = open_draft(library, Path(name), parent)
    except StudyAppError as error:
        show_message(
            parent,
            QMessageBox.Icon.Warning,
            "Cannot draft from this document",
            str(error),
        )
        return None
    review.finished.connect(lambda _code: on_done())
    review.open()
    return review
