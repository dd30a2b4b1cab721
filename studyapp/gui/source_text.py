"""The source pane's text: the passage's neighbourhood first, the rest in chunks.

Setting a 13.5 MB source in one go took 0.3-0.5 s before the first card
showed (issue 21). A ``QPlainTextEdit`` lays out only what is on screen, so
the text goes in as a window around the passage, then grows by chunks on
both sides from a zero-interval timer until the whole text is in.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

WHOLE_CHARS = 200_000  # texts up to this long are set at once (a few ms)
MARGIN_CHARS = 20_000  # loaded first on each side of the passage
CHUNK_CHARS = 131_072  # added on each side per step (about 10 ms each)


def qt_position(text: str, index: int, start: int = 0) -> int:
    """``text[index]``'s position in a document holding ``text[start:]``.

    Qt counts UTF-16 code units, so characters outside the BMP count twice,
    and it makes each CR LF pair one line break (a text saved on Windows).
    """
    part = text[start:index]
    return len(part.encode("utf-16-le")) // 2 - part.count("\r\n")


def text_index(text: str, position: int, start: int = 0) -> int:
    """qt_position's inverse: a document position as an index into ``text``."""
    # A position of p units is at most 2p characters in (each "\r\n" is one).
    part = text[start : start + 2 * position]
    pairs = [m.start() for m in _CRLF.finditer(part)] if "\r" in part else []
    units = part.replace("\r\n", "\n").encode("utf-16-le")[: 2 * position]
    index = len(units.decode("utf-16-le", errors="ignore"))  # in the joined text
    # Back to the text: one more character for each pair joined before it
    # (the k-th pair stands at ``at - k`` in the joined text).
    return start + index + sum(1 for k, at in enumerate(pairs) if at - k < index)


_CRLF = re.compile("\r\n")


def _line_start(text: str, index: int, reach: int) -> int:
    """The start of the line holding ``index``, if within ``reach`` before it."""
    found = text.rfind("\n", max(0, index - reach), index)
    return found + 1 if found >= 0 else (0 if index <= reach else index)


def _line_end(text: str, index: int, reach: int) -> int:
    """Just past the line break at or after ``index``, if within ``reach``."""
    found = text.find("\n", index, index + reach)
    return found + 1 if found >= 0 else min(len(text), index)


class SourceText(QPlainTextEdit):
    """A read-only source text that shows a passage before the whole is loaded.

    The document holds ``text[start:end]``; ``position`` and ``index`` map
    between the source's string indices and document positions exactly, at
    every stage of loading.

    Signals:
        loaded(): the whole text is in the document.
    """

    loaded = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        whole: int | None = None,
        margin: int | None = None,
        chunk: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setAccessibleName("Source text")
        self._whole = WHOLE_CHARS if whole is None else whole
        self._margin = MARGIN_CHARS if margin is None else margin
        self._chunk = CHUNK_CHARS if chunk is None else chunk
        self._text = ""
        self._start = self._end = 0
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def text(self) -> str:
        """The whole source text (the document may hold a part of it yet)."""
        return self._text

    def set_text(self, text: str, around: tuple[int, int] | None = None) -> None:
        """Show ``text``, loading ``text[around[0]:around[1]]`` and its lines first."""
        self._timer.stop()
        self._text = text
        start, end = 0, len(text)
        if len(text) > self._whole:
            first, last = around or (0, 0)
            start = _line_start(text, max(0, first - self._margin), self._margin)
            end = _line_end(text, min(len(text), last + self._margin), self._margin)
        self._start, self._end = start, end
        self.setPlainText(text[start:end])
        self.document().setUndoRedoEnabled(False)  # no undo copy of the text
        if not self.is_loaded():
            self._timer.start()

    def is_loaded(self) -> bool:
        """Whether the whole text is in the document."""
        return self._start == 0 and self._end == len(self._text)

    def position(self, index: int) -> int:
        """The document position of the text's ``index`` (loaded first if need be)."""
        self.ensure_loaded(index, index)
        return qt_position(self._text, index, self._start)

    def index(self, position: int) -> int:
        """The text's index of a document position."""
        return text_index(self._text, position, self._start)

    def ensure_loaded(self, first: int, last: int) -> None:
        """Load at once what ``text[first:last]`` needs (a card far away)."""
        if first < self._start:
            self._prepend(self._start - first + self._margin)
        if last > self._end:
            self._append(last - self._end + self._margin)
        if self.is_loaded() and self._timer.isActive():
            self._timer.stop()
            self.loaded.emit()

    def scroll_to(self, cursor: QTextCursor, down: int) -> None:
        """Scroll so that ``cursor``'s line is about ``down`` pixels from the top.

        The scroll bar counts lines, and a paragraph not yet laid out counts
        as one: so walk up paragraph by paragraph, measuring each.
        """
        block = cursor.block()
        self.blockBoundingRect(block)  # lays the paragraph out
        line = block.layout().lineForTextPosition(cursor.positionInBlock())
        above = line.y() if line.isValid() else 0.0
        top = block
        while above < down and top.previous().isValid():
            top = top.previous()
            above += self.blockBoundingRect(top).height()
        spacing = max(1, self.fontMetrics().lineSpacing())
        extra = max(0, int((above - down) / spacing))  # lines of ``top`` above
        self.verticalScrollBar().setValue(top.firstLineNumber() + extra)

    def _append(self, count: int) -> None:
        end = _line_end(self._text, min(len(self._text), self._end + count), count)
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(self._text[self._end : end])
        self._end = end

    def _prepend(self, count: int) -> None:
        start = _line_start(self._text, max(0, self._start - count), count)
        chunk = self._text[start : self._start]
        # Keep the lines on screen where they are: text comes in above them.
        bar = self.verticalScrollBar()
        top = self.firstVisibleBlock()
        top_number, within = top.blockNumber(), bar.value() - top.firstLineNumber()
        QTextCursor(self.document()).insertText(chunk)
        self._start = start
        block = self.document().findBlockByNumber(top_number + chunk.count("\n"))
        bar.setValue(block.firstLineNumber() + within)

    def _on_timer_timeout(self) -> None:
        if self._end < len(self._text):
            self._append(self._chunk)
        if self._start > 0:
            self._prepend(self._chunk)
        if self.is_loaded():
            self._timer.stop()
            self.loaded.emit()
