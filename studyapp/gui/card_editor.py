"""The card editor: a card's fields with live checks; saves into the deck file."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from studyapp.core.authoring.editing import (
    CardDraft,
    CardEditor,
    EditSession,
    FieldProblem,
)
from studyapp.core.decks.roundtrip import FileChangedError
from studyapp.core.errors import StudyAppError
from studyapp.core.model import CardKind, CardType
from studyapp.gui.plain import PlainLabel
from studyapp.gui.scrolling import vertical_scroll

CHECK_DELAY_MS = 200
_ERROR_COLOUR = "#c62828"
_WARNING_COLOUR = "#b26a00"
FIELDS: tuple[str, ...] = ("kind", "type", "front", "back", "cloze", "steps", "tags")
FIELDS += ("source", "section", "quote")


def ask_overwrite(parent: QWidget, diff: str) -> bool:
    """Show what changed in the file on disk; ask whether to apply the edit to it."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("The deck file changed")
    box.setText(
        "The deck file was changed by another program since this card was "
        "opened. Your edit can be applied to the file as it is now; the other "
        "changes are kept. See the details for what changed."
    )
    box.setDetailedText(diff)
    box.setStandardButtons(
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel
    )
    box.button(QMessageBox.StandardButton.Save).setText("Apply my edit")
    return box.exec() == QMessageBox.StandardButton.Save


class CardEditorDialog(QDialog):
    """Edit one card (or a new one); problems show under their field as you type.

    Signals:
        card_saved(str): the card was saved; carries its id in the deck.
    """

    card_saved = Signal(str)

    def __init__(
        self,
        editor: CardEditor,
        session: EditSession,
        draft: CardDraft,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._editor = editor
        self._session = session
        self.confirm_overwrite: Callable[[str], bool] = lambda diff: ask_overwrite(
            self, diff
        )
        title = "New card" if session.is_new else f"Edit card '{session.note_id}'"
        self.setWindowTitle(f"{title} · {session.deck.title}")
        self.setAccessibleName("Card editor")
        self.resize(720, 760)
        self.inputs: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        self._build(draft)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check_now)
        self.problems: list[FieldProblem] = []
        self.check_now()

    # Building -------------------------------------------------------------

    def _build(self, draft: CardDraft) -> None:
        form = QFormLayout()
        kind = QComboBox()
        kind.addItems([k.value for k in CardKind])
        kind.setCurrentText(draft.kind.value)
        card_type = QComboBox()
        card_type.addItems([t.value for t in CardType])
        card_type.setCurrentText(draft.type.value)
        source = QComboBox()
        source.addItems(["", *(s.id for s in self._session.deck.sources)])
        source.setCurrentText(draft.source_ref)
        widgets: dict[str, QWidget] = {
            "kind": kind,
            "type": card_type,
            "front": self._text(draft.front, 3),
            "back": self._text(draft.back, 3),
            "cloze": self._text(draft.cloze, 2),
            "steps": self._text("\n".join(draft.steps), 3),
            "tags": QLineEdit(" ".join(draft.tags)),
            "source": source,
            "section": QLineEdit(draft.section),
            "quote": self._text(draft.quote, 3),
        }
        hints = {"steps": "Steps (one a line)", "tags": "Tags (space between)"}
        for name in FIELDS:
            widget = widgets[name]
            widget.setAccessibleName(name.capitalize())
            message = PlainLabel()
            message.setWordWrap(True)
            message.setTextFormat(Qt.TextFormat.PlainText)
            message.setAccessibleName(f"{name.capitalize()} problem")
            message.hide()
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(widget)
            column.addWidget(message)
            form.addRow(hints.get(name, name.capitalize()), holder)
            self.inputs[name] = widget
            self.messages[name] = message
            if isinstance(widget, QComboBox):
                widget.currentTextChanged.connect(self._on_field_changed)
            elif isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.textChanged.connect(self._on_field_changed)
        self.card_message = PlainLabel()
        self.card_message.setWordWrap(True)
        self.card_message.setAccessibleName("Card problems")
        where = (
            f"Saves into {self._session.path}"
            if self._session.path
            else "This deck has no file: the card is saved in the collection."
        )
        self.where_label = PlainLabel(where)
        self.where_label.setObjectName("explanation")
        self.where_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        # The fields scroll: their problems and a long file path below never
        # push the dialog past a small screen.
        fields = QWidget()
        column = QVBoxLayout(fields)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form, 1)
        column.addWidget(self.card_message)
        layout = QVBoxLayout(self)
        layout.addWidget(vertical_scroll(fields), 1)
        layout.addWidget(self.where_label)
        layout.addWidget(self.buttons)

    def _text(self, value: str, lines: int) -> QPlainTextEdit:
        edit = QPlainTextEdit(value)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * (lines + 1) + 8)
        return edit

    # Public ---------------------------------------------------------------

    def value(self, name: str) -> str:
        """The text of one field as typed."""
        widget = self.inputs[name]
        if isinstance(widget, QComboBox):
            return widget.currentText()
        if isinstance(widget, QLineEdit):
            return widget.text()
        assert isinstance(widget, QPlainTextEdit)
        return widget.toPlainText()

    def set_value(self, name: str, text: str) -> None:
        """Type into a field (the checks run a moment later, as when typing)."""
        widget = self.inputs[name]
        if isinstance(widget, QComboBox):
            widget.setCurrentText(text)
        elif isinstance(widget, QLineEdit):
            widget.setText(text)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)

    def draft(self) -> CardDraft:
        """The card as the fields describe it now."""
        lines = [line.strip() for line in self.value("steps").splitlines()]
        return CardDraft(
            kind=CardKind(self.value("kind")),
            type=CardType(self.value("type")),
            front=self.value("front").strip(),
            back=self.value("back").strip(),
            cloze=self.value("cloze").strip(),
            tags=tuple(self.value("tags").replace(",", " ").split()),
            steps=tuple(line for line in lines if line),
            source_ref=self.value("source"),
            section=self.value("section").strip(),
            quote=self.value("quote").strip(),
        )

    def check_now(self) -> list[FieldProblem]:
        """Run the deck checks and lint on the fields; show what they found."""
        self._timer.stop()
        self.problems = self._editor.check(self._session, self.draft())
        for name, label in self.messages.items():
            found = [p for p in self.problems if p.field == name]
            self._show(label, found)
        other = [p for p in self.problems if p.field not in self.messages]
        self._show(self.card_message, other)
        has_errors = any(not p.warning for p in self.problems)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            not has_errors
        )
        return self.problems

    def save(self) -> bool:
        """Save the card; on a file changed on disk, show the diff and ask."""
        self.check_now()
        try:
            try:
                note_id = self._editor.save(self._session, self.draft())
            except FileChangedError as changed:
                if not self.confirm_overwrite(changed.diff):
                    return False
                note_id = self._editor.save(
                    self._session, self.draft(), over_changes=True
                )
        except StudyAppError as error:
            self.card_message.setText(str(error))
            self.card_message.setStyleSheet(f"color: {_ERROR_COLOUR}")
            self.card_message.show()
            return False
        self.card_saved.emit(note_id)
        return True

    # Internals --------------------------------------------------------------

    def _show(self, label: QLabel, problems: list[FieldProblem]) -> None:
        if not problems:
            label.clear()
            label.hide()
            return
        errors = [p for p in problems if not p.warning]
        label.setText(
            "\n".join(("⚠ " if p.warning else "✖ ") + p.message for p in problems)
        )
        label.setStyleSheet(f"color: {_ERROR_COLOUR if errors else _WARNING_COLOUR}")
        label.show()

    def _on_field_changed(self, *_args: object) -> None:
        self._timer.start()

    def _on_buttons_accepted(self) -> None:
        if self.save():
            self.accept()
