"""The deck tree: document, kind, then decks (nested by ``A::B``), with counts."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from studyapp.core.model import DeckCounts
from studyapp.gui.plain import plain_tip
from studyapp.gui.theme import count_colours

_DECK_IDS = Qt.ItemDataRole.UserRole
_KEY = Qt.ItemDataRole.UserRole + 1
_KIND_TITLES = {
    "key_point": "Key points",
    "glossary": "Glossary",
    "mechanism": "Mechanisms",
    "finding": "Findings",
    "basic": "Basic cards",
}
_COLUMNS = ("Deck", "New", "Learning", "Due", "Cards")
DECK_SEPARATOR = "::"  # Anki's nested deck names: A::B::C


def kind_title(kind: str) -> str:
    """A card kind as a heading: ``key_point`` -> ``Key points``."""
    return _KIND_TITLES.get(kind, kind.replace("_", " ").capitalize())


def document_label(document: str, titles: dict[str, str]) -> str:
    """A document's heading: its source title, else its id made readable."""
    if document in titles:
        return titles[document]
    if not document:
        return "Other decks"
    return document.replace("-", " ").replace("_", " ").title()


class DeckListView(QTreeWidget):
    """Decks grouped by document and kind; any node can be studied.

    Signals:
        decks_activated(list): a node was double-clicked or Enter was pressed
            on it; carries the ids of the decks under it.
        selection_changed(list): the selected node changed; carries the ids
            of the decks under it (empty when nothing is selected).
    """

    decks_activated = Signal(list)
    selection_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(len(_COLUMNS))
        self.setHeaderLabels(list(_COLUMNS))
        self.setAccessibleName("Decks")
        self.setAccessibleDescription(
            "Decks by document and kind, with new, learning and due cards"
        )
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            self.headerItem().setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
        self.itemActivated.connect(self._on_tree_item_activated)
        self.itemSelectionChanged.connect(self._on_tree_selection_changed)

    def set_counts(self, counts: Iterable[DeckCounts], titles: dict[str, str]) -> None:
        """Rebuild the tree, keeping what was expanded and selected."""
        expanded = self._expanded_keys()
        selected = self._selected_key()
        first_fill = self.topLevelItemCount() == 0
        self.blockSignals(True)
        self.clear()
        nodes: dict[str, QTreeWidgetItem] = {}
        for deck in counts:
            doc_key = f"doc:{deck.document}"
            kind_key = f"{doc_key}/kind:{deck.kind}"
            document = nodes.get(doc_key) or self._node(
                self, doc_key, document_label(deck.document, titles), nodes
            )
            kind = nodes.get(kind_key) or self._node(
                document, kind_key, kind_title(deck.kind), nodes
            )
            chain = [document, kind, *self._path(kind, kind_key, deck.title, nodes)]
            leaf = chain[-1]
            leaf.setToolTip(
                0, plain_tip(f"{deck.title} ({deck.total} cards; id {deck.id})")
            )
            for item in chain:
                self._add_counts(item, deck)
        for key, item in nodes.items():
            item.setExpanded(first_fill or key in expanded)
            if key == selected:
                item.setSelected(True)
                self.setCurrentItem(item)
        self.blockSignals(False)
        self.selection_changed.emit(self.selected_deck_ids())

    def selected_deck_ids(self) -> list[str]:
        """Ids of the decks under the selected node; empty when none is selected."""
        items = self.selectedItems()
        return list(items[0].data(0, _DECK_IDS)) if items else []

    def _path(
        self,
        kind: QTreeWidgetItem,
        kind_key: str,
        title: str,
        nodes: dict[str, QTreeWidgetItem],
    ) -> list[QTreeWidgetItem]:
        """The nodes of a nested deck ``A::B::C`` under its kind: A, B, then C.

        A parent deck and the node its children hang under are one node, so
        studying it studies them all.
        """
        parts = title.split(DECK_SEPARATOR)
        chain: list[QTreeWidgetItem] = []
        parent = kind
        for depth in range(1, len(parts) + 1):
            key = f"{kind_key}/deck:{DECK_SEPARATOR.join(parts[:depth])}"
            parent = nodes.get(key) or self._node(parent, key, parts[depth - 1], nodes)
            chain.append(parent)
        return chain

    def _node(
        self,
        parent: QTreeWidget | QTreeWidgetItem,
        key: str,
        title: str,
        nodes: dict[str, QTreeWidgetItem],
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [title, "0", "0", "0", "0"])
        item.setToolTip(0, plain_tip(title))
        item.setData(0, _KEY, key)
        item.setData(0, _DECK_IDS, [])
        new, learning, due = count_colours(self.palette())
        for column, colour in ((1, new), (2, learning), (3, due)):
            item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            item.setForeground(column, colour)
        item.setTextAlignment(4, Qt.AlignmentFlag.AlignRight)
        nodes[key] = item
        return item

    @staticmethod
    def _add_counts(item: QTreeWidgetItem, deck: DeckCounts) -> None:
        counts = ((1, deck.new), (2, deck.learning), (3, deck.due), (4, deck.total))
        for column, value in counts:
            item.setText(column, str(int(item.text(column)) + value))
        item.setData(0, _DECK_IDS, [*item.data(0, _DECK_IDS), deck.id])
        name = item.text(0)
        item.setData(
            0,
            Qt.ItemDataRole.AccessibleTextRole,
            f"{name}: {item.text(1)} new, {item.text(2)} learning, "
            f"{item.text(3)} due, {item.text(4)} cards",
        )

    def _expanded_keys(self) -> set[str]:
        keys: set[str] = set()
        stack = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is None:
                continue
            if item.isExpanded():
                keys.add(str(item.data(0, _KEY)))
            stack.extend(item.child(i) for i in range(item.childCount()))
        return keys

    def _selected_key(self) -> str | None:
        items = self.selectedItems()
        return str(items[0].data(0, _KEY)) if items else None

    def _on_tree_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.decks_activated.emit(list(item.data(0, _DECK_IDS)))

    def _on_tree_selection_changed(self) -> None:
        self.selection_changed.emit(self.selected_deck_ids())
