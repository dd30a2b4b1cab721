"""The Edit menu and everything behind it: undo, the card browser, the editor.

Kept out of ``main_window.py``: the window creates one AuthoringController,
which adds its menu and follows the window's review sessions itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox
from typing_extensions import override

from studyapp.core.errors import StudyAppError
from studyapp.gui.card_table import FLAG_NAMES
from studyapp.gui.deck_actions import DeckActions
from studyapp.gui.plain import show_message

if TYPE_CHECKING:  # the browser and editor load when opened (issue 21)
    from studyapp.core.authoring.editing import CardDraft, EditSession
    from studyapp.gui.card_browser import CardBrowser
    from studyapp.gui.card_editor import CardEditorDialog
    from studyapp.gui.main_window import MainWindow
    from studyapp.gui.review_view import ReviewView


class AuthoringController(QObject):
    """Edit -> Undo / Browse cards, card actions in review, the card editor."""

    def __init__(self, window: MainWindow, clock: Callable[[], datetime]) -> None:
        super().__init__(window)
        self._window = window
        self._clock = clock
        self._library = window.library
        self._attached: ReviewView | None = None
        self.browser: CardBrowser | None = None
        self.editor: CardEditorDialog | None = None
        self.last_error = ""
        self.menu = QMenu("&Edit", window)
        window.menuBar().insertMenu(window.study_menu.menuAction(), self.menu)
        self.undo_action = self._add(self.menu, "&Undo", self.undo, "Ctrl+Z")
        self.menu.addSeparator()
        self.browse_action = self._add(
            self.menu, "&Browse cards…", self.browse_or_show_current, "Ctrl+B"
        )
        self.decks = DeckActions(window, self.menu, self._after_change, clock)
        self.menu.aboutToShow.connect(self.update_undo_label)
        self.update_undo_label()
        window.pages.currentChanged.connect(self._on_pages_current_changed)
        # A session's view is added to the study area's host widget: attach
        # the card actions then, however the session was started.
        host = window.review_splitter.widget(0)
        assert host is not None  # built in MainWindow.__init__
        host.installEventFilter(self)
        window.source_pane.new_card_requested.connect(
            self._on_source_pane_new_card_requested
        )

    def _add(self, menu: QMenu, text: str, slot: object, keys: str = "") -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        if keys:
            action.setShortcut(QKeySequence(keys))
        return action

    # Undo -------------------------------------------------------------------

    def update_undo_label(self) -> None:
        """Name the step Edit -> Undo would take back."""
        label = self._library.undo_history.label
        # Text only: answers in a review push steps without telling the menu,
        # so the action stays enabled and does nothing when there is none.
        self.undo_action.setText(f"&Undo {label}" if label else "&Undo (nothing)")

    def undo(self) -> str | None:
        """Take back the newest step anywhere in the app; returns its label."""
        history = self._library.undo_history
        label = history.label
        if label is None:
            return None
        review = self._window.review
        try:
            if review is not None and review.last_answer_key == history.top_key:
                review.undo_answer()  # the session shows its card again
            else:
                self._library.undo()
                if review is not None:
                    review.reload_current()
                    review.refresh()
        except StudyAppError as error:
            self._show_error(f"Could not undo {label}", error)
        self._after_change()
        return label

    # Browser and editor -------------------------------------------------------

    def browse_or_show_current(self) -> CardBrowser:
        """Open the browser; from a review, on the card being reviewed."""
        review = self._window.review
        card = review.current_card if review is not None else None
        return self.open_browser(f"cid:{card.id}" if card is not None else "")

    def open_browser(self, query: str = "") -> CardBrowser:
        """Open (or raise) the card browser with a search."""
        if self.browser is None:
            from studyapp.gui.card_browser import CardBrowser

            browser = CardBrowser(self._library, self._clock, self._window)
            browser.edit_requested.connect(self.open_editor)
            browser.cards_changed.connect(self._after_change)
            browser.undo_requested.connect(self.undo)
            self.browser = browser
        self.browser.set_query(query)
        self.browser.show()
        self.browser.activateWindow()
        return self.browser

    def open_editor(self, card_id: int) -> CardEditorDialog | None:
        """Open the editor on a card's note."""
        try:
            session, draft = self._library.editor.edit(card_id)
        except (StudyAppError, KeyError, StopIteration) as error:
            self._show_error("Cannot edit this card", error)
            return None
        return self._show_editor(session, draft)

    def open_new_card(
        self, deck_id: str, source_ref: str, section: str, quote: str
    ) -> CardEditorDialog | None:
        """Open the editor on a new card quoting a passage of a source."""
        try:
            session, draft = self._library.editor.new_card(
                deck_id, source_ref=source_ref, section=section, quote=quote
            )
        except (StudyAppError, KeyError) as error:
            self._show_error("Cannot add a card to this deck", error)
            return None
        return self._show_editor(session, draft)

    def _show_editor(self, session: EditSession, draft: CardDraft) -> CardEditorDialog:
        from studyapp.gui.card_editor import CardEditorDialog

        dialog = CardEditorDialog(self._library.editor, session, draft, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.card_saved.connect(self._on_editor_card_saved)
        self.editor = dialog
        dialog.show()
        return dialog

    # Review -----------------------------------------------------------------

    def _attach(self, view: ReviewView) -> None:
        """Add card actions to a review session; Edit -> Undo takes Ctrl+Z."""
        self._attached = view
        view.undo_action.setShortcuts([])  # one Ctrl+Z: Edit -> Undo routes it

        def action(text: str, keys: str, slot: object) -> None:
            item = QAction(text, view)
            item.setShortcut(QKeySequence(keys))
            item.triggered.connect(slot)
            view.addAction(item)
            self._window.study_menu.addAction(item)

        action("Suspend card", "@", partial(self._review_act, "suspend"))
        action("Bury card until tomorrow", "-", partial(self._review_act, "bury"))
        for number in range(1, 5):
            action(
                f"Flag card {FLAG_NAMES[number]}",
                f"Ctrl+{number}",
                partial(self._review_act, f"flag{number}"),
            )
        action("Edit card…", "E", self._on_review_edit_triggered)
        # Card info, reset and set due: the browser, opened on this card.
        action("Card info…", "I", self.browse_or_show_current)

    def review_action(self, name: str) -> None:
        """Act on the card under review: suspend, bury, flag1..flag4."""
        self._review_act(name)

    def _review_act(self, name: str, _checked: bool = False) -> None:
        review = self._window.review
        card = review.current_card if review is not None else None
        if review is None or card is None:
            return
        cards = self._library.cards
        if name == "suspend":
            cards.suspend([card.id])
        elif name == "bury":
            cards.bury([card.id], now=self._clock())
        else:
            cards.flag([card.id], int(name.removeprefix("flag")))
        if name in ("suspend", "bury"):
            review.skip_current()
        self._after_change()

    # Shared ------------------------------------------------------------------

    def _after_change(self) -> None:
        self.update_undo_label()
        if self.browser is not None and self.browser.isVisible():
            self.browser.refresh()
        if self._window.review is None:
            self._window.refresh()

    def _show_error(self, title: str, error: Exception) -> None:
        self.last_error = f"{title}: {error}"
        if self._window.isVisible():
            show_message(self._window, QMessageBox.Icon.Warning, title, str(error))

    # Slots ------------------------------------------------------------------

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ChildAdded:
            review = self._window.review
            if review is not None and review is not self._attached:
                self._attach(review)
        return False

    def _on_pages_current_changed(self, _index: int) -> None:
        # A closing window's stacked pages change as Qt tears them down:
        # the menu action may be gone by then.
        if self._window.isVisible() and shiboken6.isValid(self.undo_action):
            self.update_undo_label()

    def _on_review_edit_triggered(self) -> None:
        review = self._window.review
        if review is not None and review.current_card is not None:
            self.open_editor(review.current_card.id)

    def _on_source_pane_new_card_requested(
        self, deck_id: str, source_ref: str, section: str, quote: str
    ) -> None:
        self.open_new_card(deck_id, source_ref, section, quote)

    def _on_editor_card_saved(self, _note_id: str) -> None:
        review = self._window.review
        if review is not None:
            review.reload_current()
        self._after_change()
