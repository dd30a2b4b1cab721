"""Card faces as sanitised rich text in a browser that never loads anything."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QApplication, QFrame, QTextBrowser, QWidget
from typing_extensions import override

from studyapp.core.decks.richtext import MEDIA_NAME, sanitize_with_media
from studyapp.core.model import Card, CardType
from studyapp.gui.theme import passage_highlight

_BLANK = re.compile(r"\[[^\[\]<>]*\]")


def front_html(card: Card) -> str:
    """The prompt; a cloze card's blank is marked so it stands out."""
    text = sanitize_with_media(card.front)
    if card.type is CardType.CLOZE:
        text = _BLANK.sub(lambda m: f'<span class="blank">{m.group(0)}</span>', text)
    return text


def back_html(card: Card) -> str:
    """The answer; a mechanism card lists its steps in order below it."""
    text = sanitize_with_media(card.back)
    if card.steps:
        items = "".join(f"<li>{html.escape(step)}</li>" for step in card.steps)
        text += f'<p class="steps-title">The chain, step by step:</p><ol>{items}</ol>'
    return text


class CardTextView(QTextBrowser):
    """Read-only rich text for a card face; links and remote things never load.

    The one resource it loads is an image from the collection's media
    folder, named as the import stored it (a content hash): never a URL, a
    path or anything outside that folder.

    Signals:
        None of its own; it only displays text.
    """

    def __init__(
        self,
        accessible_name: str,
        parent: QWidget | None = None,
        *,
        media_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._media_dir = media_dir
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Reachable with Tab (screen readers read what has focus), never
        # grabbed by a click so the rating keys keep working as expected.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAccessibleName(accessible_name)
        self.setObjectName("cardText")
        # The card sits on the window's colour; the scroll bars keep their
        # own (a transparent stylesheet background drew them black, bug 6).
        self.viewport().setAutoFillBackground(False)

    def show_html(self, text: str, *, marks: bool = False) -> None:
        """Show sanitised HTML, with the cloze blanks coloured for the palette.

        Args:
            text: Sanitised card HTML.
            marks: The text is a revealed cloze, whose filled-in deletions are
                bold (``cloze_back``): colour those. Otherwise bold text (from
                Anki, say) stays plain bold and only blanks are coloured.
        """
        # The application's palette: the widget's own may differ while the
        # theme is being switched.
        mark = passage_highlight(QApplication.palette())
        colours = (
            f"background-color: {mark.background.name()}; "
            f"color: {mark.foreground.name()};"
        )
        marked = f"b {{ {colours} }} " if marks else ""
        self.document().setDefaultStyleSheet(
            f"{marked}.blank {{ {colours} font-weight: bold; }} "
            ".steps-title { margin-top: 12px; }"
        )
        self.setHtml(text)

    @override
    def loadResource(self, type: int, name: QUrl | str) -> Any:
        """Refuse every resource but a stored image from the media folder."""
        text = name.toString() if isinstance(name, QUrl) else str(name)
        if (
            self._media_dir is None
            or type != QTextDocument.ResourceType.ImageResource.value
            or not MEDIA_NAME.match(text)
        ):
            return None
        image = QImage(str(self._media_dir / text))
        return None if image.isNull() else image
