"""Edit a deck file in place: one card or the deck header, the rest byte-identical.

ruamel.yaml reads the file with its comments, key order and quoting; the
changed part is dumped and spliced into the original text line for line, so
every other line of the file stays exactly as it was, whatever ruamel would
have made of it.
"""

from __future__ import annotations

import difflib
import io
import itertools
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    FoldedScalarString,
    LiteralScalarString,
    ScalarString,
)

from studyapp.core.errors import StudyAppError

_FOLD_WIDTH = 72
#: A card's id line: "- id: x", "id: 'x'", with or without a comment.
_ID_LINE = re.compile(r"""^[ -]*id:\s*(["']?)([^"'#\s]+)\1\s*(#.*)?$""")
#: Anchors, aliases and merge keys tie a part of a file to the rest of it.
_LINKED = re.compile(r"(^|[\s\[{,])[&*][^\s,\]}]+|<<\s*:", re.MULTILINE)
#: Where a key goes when a card gains it: after the last of these it has.
_CARD_ORDER: tuple[str, ...] = ("id", "kind", "type", "front", "back", "cloze")
_CARD_ORDER += ("tags", "steps", "study", "source")


class DeckFileError(StudyAppError):
    """A deck file that cannot be edited in place (say why, and where)."""


class FileChangedError(StudyAppError):
    """The deck file changed on disk since it was read; ``diff`` shows how."""

    def __init__(self, path: Path, diff: str) -> None:
        super().__init__(
            f"{path}: the file changed on disk since it was opened; "
            "look at the changes, then save again to apply your edit to it"
        )
        self.path = path
        self.diff = diff


def file_diff(path: Path, before: str, after: str) -> str:
    """A unified diff of two versions of a file."""
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            f"{path.name} (as opened)",
            f"{path.name} (on disk now)",
        )
    )


def read_text(path: Path) -> str:
    """A deck file's text, exactly (no newline translation)."""
    with path.open(encoding="utf-8", newline="") as file:
        return file.read()


def write_text(path: Path, text: str, *, expected: str | None) -> None:
    """Write ``text`` to ``path`` atomically, if it still holds ``expected``.

    Raises:
        FileChangedError: If ``expected`` is given and the file holds other text.
    """
    if expected is not None:
        current = read_text(path)
        if current != expected:
            raise FileChangedError(path, file_diff(path, expected, current))
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        if path.exists():  # mkstemp makes it private (0600): keep the file's mode
            os.chmod(name, path.stat().st_mode & 0o7777)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


class _Document:
    """A deck file, or one part of it, loaded for round-trip editing.

    Args:
        text: The YAML text to load.
        where: The file's name, for messages.
        indent: (mapping indent, the cards' dash column) of the whole file,
            when ``text`` is a part of it.
    """

    def __init__(
        self, text: str, where: str, indent: tuple[int, int] | None = None
    ) -> None:
        self.where = where
        self.yaml = YAML()
        self.yaml.preserve_quotes = True
        self.yaml.width = 4096  # never re-wrap a line: ours are spliced in as is
        mapping, offset = indent or _guess_indent(text)
        self.yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
        try:
            self.data = self.yaml.load(text)
        except YAMLError as error:
            raise DeckFileError(f"{where}: not valid YAML: {error}") from None
        if not isinstance(self.data, CommentedMap):
            raise DeckFileError(f"{where}: expected a deck (deck:, sources:, cards:)")

    @property
    def cards(self) -> CommentedSeq:
        cards = self.data.get("cards")
        if not isinstance(cards, CommentedSeq):
            raise DeckFileError(f"{self.where}: expected a deck with a list of cards")
        return cards

    def dump(self) -> str:
        stream = io.StringIO()
        self.yaml.dump(self.data, stream)
        return stream.getvalue()


def _guess_indent(text: str) -> tuple[int, int]:
    """(mapping indent, the cards' dash column) as the file writes them."""
    mapping, offset = 2, 0
    lines = [line for line in text.splitlines() if line.strip()[:1] not in ("", "#")]
    for line, following in itertools.pairwise(lines):
        column = len(following) - len(following.lstrip(" "))
        if line.rstrip() == "deck:" and column:
            mapping = column
        elif line.rstrip() == "cards:" and following.lstrip().startswith("- "):
            offset = column
    return mapping, offset


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    return lines


def _is_top_level(line: str) -> bool:
    return bool(line.strip()) and line[:1] not in (" ", "-", "#")


def _item_lines(lines: list[str], key: str) -> tuple[list[int], int]:
    """Where the top-level list ``key``'s items start, and where the list ends.

    Items are the lines with a dash at the list's own column; nested lists
    and block text sit further right, so they are never taken for one.
    """
    starts: list[int] = []
    inside, column = False, -1
    for index, line in enumerate(lines):
        if not inside:
            inside = line.rstrip() == f"{key}:"
            continue
        if _is_top_level(line):
            return starts, index
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") or stripped.rstrip() == "-":
            indent = len(line) - len(stripped)
            column = indent if column < 0 else column
            if indent == column:
                starts.append(index)
    return starts, len(lines)


def _card_spans(lines: list[str]) -> list[tuple[int, int]]:
    """Lines [start, end) of every card: each up to the next card or section."""
    starts, end = _item_lines(lines, "cards")
    return list(zip(starts, [*starts[1:], end], strict=True))


def _id_in(lines: list[str]) -> str | None:
    """The id a card's lines give it (its first ``id:`` key at its own column)."""
    column = len(lines[0]) - len(lines[0].lstrip(" -"))
    for line in lines:
        found = _ID_LINE.match(line)
        if found and len(line) - len(line.lstrip(" -")) == column:
            return found.group(2)
    return None


def _find_card(lines: list[str], card_id: str, where: str) -> tuple[int, int, int]:
    """(index, start, end) of the card with ``card_id``, found in the text."""
    for index, (start, end) in enumerate(_card_spans(lines)):
        if _id_in(lines[start:end]) == card_id:
            return index, start, end
    raise DeckFileError(f"{where}: no card with id '{card_id}'")


def _key_span(lines: list[str], key: str, where: str) -> tuple[int, int]:
    """Lines [start, end) of a top-level key and its value."""
    for start, line in enumerate(lines):
        if line.startswith(f"{key}:"):
            end = next(
                (i for i in range(start + 1, len(lines)) if _is_top_level(lines[i])),
                len(lines),
            )
            return start, end
    raise DeckFileError(f"{where}: no top-level '{key}:'")


def _splice(original: str, span: tuple[int, int], replacement: list[str]) -> str:
    lines = _lines(original)
    start, end = span
    result = "".join(lines[:start] + replacement + lines[end:])
    if not original.endswith("\n") and result.endswith("\n") and end >= len(lines):
        result = result[:-1]
    return result


def _part(text: str, lines: list[str], span: tuple[int, int], where: str) -> _Document:
    """One card's (or the header's) lines loaded alone: fast in a big file.

    Raises:
        _LinkedPartError: The part uses YAML anchors, aliases or merge keys,
            which tie it to the rest of the file: load the whole file.
    """
    body = "".join(lines[span[0] : span[1]])
    if _LINKED.search(body):
        raise _LinkedPartError
    head = "" if lines[span[0]].startswith("deck:") else "cards:\n"
    return _Document(head + body, where, _guess_indent(text))


class _LinkedPartError(Exception):
    """The part links to other parts (anchors, aliases): load the whole file."""


def update_card(text: str, card_id: str, changes: Mapping[str, Any], where: str) -> str:
    """The file's text with one card's keys changed; other lines untouched.

    Only the card's own lines are parsed and rewritten (a 100k-card file is
    edited in about the time of a small one), unless they use anchors or
    aliases: then the whole file is loaded to resolve them.

    Args:
        text: The deck file's text.
        card_id: The card's id in the file.
        changes: Keys to set; a value of None or "" (or an empty list)
            removes the key. ``source`` takes a mapping of its own keys.
        where: The file's name, for messages.

    Raises:
        DeckFileError: If the file is not a deck or has no such card.
    """
    lines = _lines(text)
    index, start, end = _find_card(lines, card_id, where)
    try:
        doc, at = _part(text, lines, (start, end), where), 0
    except _LinkedPartError:
        doc, at = _Document(text, where), index
    _apply(doc.cards[at], changes, _CARD_ORDER)
    dumped = _lines(doc.dump())
    new_start, new_end = _card_spans(dumped)[at]
    return _splice(text, (start, end), dumped[new_start:new_end])


def add_card(text: str, data: Mapping[str, Any], where: str) -> str:
    """The file's text with a new card after the last one."""
    lines = _lines(text)
    if data.get("id") in card_ids(text, where):
        raise DeckFileError(f"{where}: a card with id '{data.get('id')}' exists")
    doc = _Document("cards: []\n", where, _guess_indent(text))
    item = CommentedMap()
    _apply(item, data, _CARD_ORDER)
    doc.data["cards"] = CommentedSeq([item])
    dumped = _lines(doc.dump())
    new_start, new_end = _card_spans(dumped)[0]
    insert_at = _item_lines(lines, "cards")[1]  # where the cards: list ends
    return _splice(text, (insert_at, insert_at), dumped[new_start:new_end])


def remove_card(text: str, card_id: str, where: str) -> str:
    """The file's text without one card's lines."""
    lines = _lines(text)
    _, start, end = _find_card(lines, card_id, where)
    if len(_card_spans(lines)) == 1:
        raise DeckFileError(f"{where}: cannot remove the deck's only card")
    return _splice(text, (start, end), [])


def card_ids(text: str, where: str) -> list[str]:
    """The ids of the cards in a deck file, in order (read from the text)."""
    lines = _lines(text)
    if not any(line.rstrip() == "cards:" for line in lines):
        raise DeckFileError(f"{where}: expected a deck with a list of cards")
    ids = [_id_in(lines[start:end]) for start, end in _card_spans(lines)]
    return [card_id for card_id in ids if card_id is not None]


def update_deck(text: str, changes: Mapping[str, Any], where: str) -> str:
    """The file's text with keys of its ``deck:`` header changed (e.g. title)."""
    lines = _lines(text)
    span = _key_span(lines, "deck", where)
    try:
        doc = _part(text, lines, span, where)
    except _LinkedPartError:
        doc = _Document(text, where)
    header = doc.data.get("deck")
    if not isinstance(header, CommentedMap):
        raise DeckFileError(f"{where}: no deck: header to change")
    _apply(header, changes, ("id", "title", "kind", "document", "description"))
    dumped = _lines(doc.dump())
    start, end = _key_span(dumped, "deck", where)
    return _splice(text, span, dumped[start:end])


def _apply(
    target: CommentedMap, changes: Mapping[str, Any], order: tuple[str, ...]
) -> None:
    for key, value in changes.items():
        if value is None or value == "" or value == [] or value == {}:
            target.pop(key, None)
            continue
        old = target.get(key)
        if isinstance(value, Mapping):
            inner = old if isinstance(old, CommentedMap) else CommentedMap()
            _apply(inner, value, tuple(value))
            new: Any = inner
        elif isinstance(value, list | tuple):
            new = _styled_list(old, [str(v) for v in value])
        elif isinstance(value, str):
            new = _styled_text(old, value)
        else:
            new = value
        if old is not None and _same(old, new):
            continue  # unchanged: keep the original node and its style
        if key in target:
            # Plain assignment would keep the old scalar's style (ruamel
            # converts the value); re-insert at the same place, comments kept.
            position = list(target).index(key)
            comment = target.ca.items.get(key)
            del target[key]
            target.insert(position, key, new)
            if comment is not None:
                target.ca.items[key] = comment
        else:
            target.insert(_position(target, key, order), key, new)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, CommentedSeq) and isinstance(new, CommentedSeq):
        return [str(v) for v in old] == [str(v) for v in new]
    if isinstance(old, CommentedMap):
        return old is new
    return type(old) is type(new) and str(old) == str(new) if old is not None else False


def _styled_text(old: Any, value: str) -> Any:
    """``value`` in the style ``old`` had: literal, folded, quoted or plain."""
    if "\n" in value:
        return LiteralScalarString(value)
    if isinstance(old, FoldedScalarString) and len(value) > _FOLD_WIDTH:
        folded = FoldedScalarString(value)
        folded.fold_pos = _fold_positions(value)
        return folded
    if isinstance(old, ScalarString) and not isinstance(
        old, FoldedScalarString | LiteralScalarString
    ):
        return type(old)(value)
    if len(value) > _FOLD_WIDTH * 1.5:  # long new text: fold it, as the decks do
        folded = FoldedScalarString(value)
        folded.fold_pos = _fold_positions(value)
        return folded
    return value


def _fold_positions(value: str) -> list[int]:
    """Spaces to fold a long text at, about every _FOLD_WIDTH characters."""
    positions: list[int] = []
    line_start = 0
    while len(value) - line_start > _FOLD_WIDTH:
        cut = value.rfind(" ", line_start, line_start + _FOLD_WIDTH)
        if (
            cut <= line_start
            or value[cut - 1] == " "
            or value[cut + 1 : cut + 2] == " "
        ):
            break
        positions.append(cut)
        line_start = cut + 1
    return positions


def _styled_list(old: Any, values: list[str]) -> CommentedSeq:
    seq = CommentedSeq(values)
    if old is None or (isinstance(old, CommentedSeq) and old.fa.flow_style()):
        seq.fa.set_flow_style()
    return seq


def _position(target: CommentedMap, key: str, order: tuple[str, ...]) -> int:
    if key not in order:
        return len(target)
    rank = order.index(key)
    position = 0
    for index, existing in enumerate(target):
        if existing in order and order.index(existing) < rank:
            position = index + 1
    return position
