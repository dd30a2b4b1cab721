"""The source pane: a card's document, scrolled to the quoted passage."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QShowEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from studyapp.core.decks.documents import reference_entry
from studyapp.core.errors import StoreError
from studyapp.core.library import Library
from studyapp.core.model import Card, Source, Study
from studyapp.gui.plain import PlainLabel
from studyapp.gui.source_text import SourceText, qt_position
from studyapp.gui.theme import Highlight, passage_highlight, reference_highlight


def painted_span(
    browser: QTextEdit | QPlainTextEdit,
    text: str,
    span: tuple[int, int],
    colours: Highlight,
) -> QTextEdit.ExtraSelection:
    """An extra selection painting ``text[span[0]:span[1]]`` in the browser."""
    positions = qt_position(text, span[0]), qt_position(text, span[1])
    return painted_positions(browser, positions, colours)


def painted_positions(
    browser: QTextEdit | QPlainTextEdit, positions: tuple[int, int], colours: Highlight
) -> QTextEdit.ExtraSelection:
    """An extra selection painting the document between two positions."""
    cursor = QTextCursor(browser.document())
    cursor.setPosition(positions[0])
    cursor.setPosition(positions[1], QTextCursor.MoveMode.KeepAnchor)
    char_format = QTextCharFormat()
    char_format.setBackground(colours.background)
    char_format.setForeground(colours.foreground)
    selection = QTextEdit.ExtraSelection()
    selection.cursor = cursor
    selection.format = char_format
    return selection


class SourceBrowser(QTextBrowser):
    """A read-only source text that never follows links or loads resources."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAccessibleName("Source text")

    @override
    def loadResource(self, type: int, name: QUrl | str) -> Any:
        """Refuse every resource: no remote loading, ever."""
        return None


Span = tuple[int, int] | None


class SourcePane(QWidget):
    """Shows where the current card comes from and highlights the passage.

    On the question side nothing that answers is shown: the passage (and a
    finding's reference entry, which names the study asked for) is covered
    by a solid bar where it stands, and the study lines wait;
    ``show_card(card, revealed=True)`` with the answer shows them all. The
    bars are extra selections, like the highlight: the document is set once
    per source, so a reveal costs no relayout.

    Signals:
        closed(): the learner closed the pane with its Close button.
        new_card_requested(str, str, str, str): N or the context menu on a
            selection: (deck id of the card shown, source id, section, the
            selected text exactly as in the source).
    """

    closed = Signal()
    new_card_requested = Signal(str, str, str, str)

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._sources: dict[str, Source] = {}
        self._source_id: str | None = None
        self._passage: tuple[int, int] | None = None
        self._reference: tuple[int, int] | None = None
        self._masks: list[tuple[int, int]] = []  # covered on the question side
        # The last card's spans and lines: its question, then its answer.
        self._looked_up: tuple[int, Span, tuple[str, str], Span] | None = None
        self.setAccessibleName("Source pane")
        self.setMinimumWidth(240)

        self._title = PlainLabel()
        self._title.setObjectName("sourceTitle")
        self._title.setWordWrap(True)
        close = QPushButton("Close")
        close.setAccessibleName("Close the source pane")
        close.clicked.connect(self._on_close_button_clicked)
        top = QHBoxLayout()
        top.addWidget(self._title, 1)
        top.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self._citation = self._label("Citation")
        self._section = self._label("Section")
        self._study = self._label("Study")
        self._reference_label = self._label("Reference entry")
        self._status = self._label("Passage status")
        self.browser = SourceText()
        self._card: Card | None = None
        self.new_card_action = QAction("&New card from this passage", self)
        self.new_card_action.setShortcut(QKeySequence(Qt.Key.Key_N))
        self.new_card_action.setShortcutContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        self.new_card_action.triggered.connect(self._on_new_card_triggered)
        self.browser.addAction(self.new_card_action)
        self.browser.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.browser.customContextMenuRequested.connect(self._on_browser_context_menu)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        for label in (
            self._citation,
            self._section,
            self._study,
            self._reference_label,
            self._status,
        ):
            layout.addWidget(label)
        layout.addWidget(self.browser, 1)
        self.show_card(None)

    def _label(self, name: str) -> QLabel:
        label = PlainLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(name)
        return label

    # Public ---------------------------------------------------------------

    @property
    def section_text(self) -> str:
        """The section line as shown."""
        return self._section.text()

    @property
    def citation_text(self) -> str:
        """The citation line as shown."""
        return self._citation.text()

    @property
    def reference_text(self) -> str:
        """The reference entry line as shown (findings only)."""
        return self._reference_label.text()

    @property
    def study_text(self) -> str:
        """The study line as shown (findings only)."""
        return self._study.text()

    @property
    def status_text(self) -> str:
        """A note when the passage or the source is missing."""
        return self._status.text()

    def highlighted(self) -> list[str]:
        """The highlighted texts: the passage, then any reference entry."""
        if self._masks:
            return []
        return [
            selection.cursor.selectedText().replace("\u2029", "\n")
            for selection in reversed(self.browser.extraSelections())
        ]

    def masked(self) -> list[str]:
        """The texts covered until the answer is shown."""
        if not self._masks:
            return []
        return [
            selection.cursor.selectedText().replace("\u2029", "\n")
            for selection in self.browser.extraSelections()
        ]

    def show_card(self, card: Card | None, *, revealed: bool = True) -> None:
        """Show the source of ``card``; None shows a short hint instead.

        Args:
            card: The card, or None.
            revealed: Whether the card's answer is on screen; before, the
                passage is covered and the study behind a finding withheld.
        """
        self._passage = self._reference = None
        self._card = card
        self._masks = []
        self.browser.setExtraSelections([])
        if card is None or card.source is None:
            self._looked_up = None  # e.g. after a restore: read afresh
            hint = "No card is shown." if card is None else "This card has no source."
            self._show_source(None)
            self._title.setText("Source")
            self._set_lines("", "", "", "", hint)
            return
        anchor = card.source
        try:
            source = self._load(anchor.ref)
        except StoreError:
            self._show_source(None)
            self._title.setText(anchor.ref)
            self._set_lines("", f"Section: {anchor.section}", "", "", "Not stored.")
            return
        if self._looked_up is None or self._looked_up[0] != card.id:
            span = self._library.quote_span(card.id)
            lines = self._study_lines(card.study, source.text)
            self._looked_up = (card.id, span, lines, self._reference)
        _id, span, (study, reference), self._reference = self._looked_up
        spans = [s for s in (span, self._reference) if s is not None]
        around = (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
        self._show_source(source, around)
        self._passage = span
        status = "" if span else "The quoted passage was not found in this text."
        if not revealed:
            self._masks = [m for m in (self._reference, span) if m is not None]
            self._passage = self._reference = None
            study = reference = ""
            if self._masks:
                status = "The passage is covered until the answer is shown."
        self._set_lines(
            _citation(source), f"Section: {anchor.section}", study, reference, status
        )
        self._highlight()
        self._scroll_to_passage()

    # Internals ------------------------------------------------------------

    def _load(self, ref: str) -> Source:
        if ref not in self._sources:
            self._sources[ref] = self._library.source(ref)
        return self._sources[ref]

    def _show_source(
        self, source: Source | None, around: tuple[int, int] | None = None
    ) -> None:
        new_id = source.id if source else None
        if new_id != self._source_id:
            self._source_id = new_id
            self.browser.set_text(source.text if source else "", around)
        elif around is not None:
            self.browser.ensure_loaded(*around)
        if source:
            self._title.setText(source.title)

    def _study_lines(self, study: Study | None, text: str) -> tuple[str, str]:
        if study is None:
            return "", ""
        parts = [f"{study.authors} ({study.year})", study.title, study.journal]
        line = "Study: " + ". ".join(p.strip().rstrip(".") for p in parts if p)
        if study.doi:
            line += f". DOI {study.doi}"
        if study.reference is None:
            return line, ""
        self._reference = reference_entry(text, study.reference)
        if self._reference is None:
            return line, f"Reference {study.reference}: not in the reference list."
        start, end = self._reference
        return line, f"Reference entry: {text[start:end]}"

    def _set_lines(
        self, citation: str, section: str, study: str, reference: str, status: str
    ) -> None:
        for label, text in (
            (self._citation, citation),
            (self._section, section),
            (self._study, study),
            (self._reference_label, reference),
            (self._status, status),
        ):
            label.setText(text)
            label.setVisible(bool(text))

    def _highlight(self) -> None:
        selections = []
        cover = self.palette().color(QPalette.ColorRole.Text)
        for covered in self._masks:  # text and background alike: a solid bar
            selections.append(self._selection(covered, Highlight(cover, cover)))
        # The reference entry goes first so that a passage inside it (a
        # finding quoting its own entry) is painted over it, in amber.
        for span, colours in (
            (self._reference, reference_highlight(self.palette())),
            (self._passage, passage_highlight(self.palette())),
        ):
            if span is not None:
                selections.append(self._selection(span, colours))
        self.browser.setExtraSelections(selections)

    def _selection(
        self, span: tuple[int, int], colours: Highlight
    ) -> QTextEdit.ExtraSelection:
        positions = self.browser.position(span[0]), self.browser.position(span[1])
        return painted_positions(self.browser, positions, colours)

    def _scroll_to_passage(self) -> None:
        """Put the passage about a quarter of the way down the view."""
        selections = self.browser.extraSelections()
        if not selections:
            self.browser.verticalScrollBar().setValue(0)
            return
        cursor = QTextCursor(selections[-1].cursor)
        cursor.setPosition(cursor.selectionStart())
        self.browser.scroll_to(cursor, self.browser.viewport().height() // 4)

    def is_passage_visible(self) -> bool:
        """Whether the start of the highlighted passage is inside the view."""
        selections = self.browser.extraSelections()
        if not selections:
            return False
        cursor = QTextCursor(selections[-1].cursor)
        cursor.setPosition(cursor.selectionStart())
        rect = self.browser.cursorRect(cursor)
        return self.browser.viewport().rect().intersects(rect)

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._scroll_to_passage()

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scroll_to_passage()

    def _on_close_button_clicked(self) -> None:
        self.closed.emit()

    def selected_passage(self) -> str:
        """The selected text exactly as in the source ("" when none)."""
        cursor = self.browser.textCursor()
        if not cursor.hasSelection() or self._source_id is None:
            return ""
        text = self.browser.text
        start = self.browser.index(cursor.selectionStart())
        return text[start : self.browser.index(cursor.selectionEnd())]

    def _on_new_card_triggered(self) -> None:
        quote = self.selected_passage()
        card = self._card
        if quote.strip() and card is not None and self._source_id is not None:
            section = card.source.section if card.source else ""
            self.new_card_requested.emit(
                card.deck_id, self._source_id, section, quote.strip()
            )

    def _on_browser_context_menu(self, pos: QPoint) -> None:
        menu = self.browser.createStandardContextMenu(pos)
        menu.addSeparator()
        menu.addAction(self.new_card_action)
        self.new_card_action.setEnabled(bool(self.selected_passage().strip()))
        menu.exec(self.browser.viewport().mapToGlobal(pos))
        self.new_card_action.setEnabled(True)


def _citation(source: Source) -> str:
    parts = [", ".join(source.authors), source.citation]
    line = ". ".join(p for p in parts if p)
    if source.doi:
        line += f" · DOI {source.doi}"
    return line
