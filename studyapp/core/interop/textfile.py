"""Notes as text: Anki's text format (CSV/TSV with ``#`` headers), plain CSV."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from studyapp.core.csv_safe import SafeWriter, restore_cell
from studyapp.core.errors import DeckError, PackageError, Problem
from studyapp.core.interop.anki_export import anki_tags
from studyapp.core.interop.anki_notetypes import (
    NOTE_TYPE_NAMES,
    card_id_for_guid,
    deck_id_for_name,
    map_note,
    note_type_by_name,
)
from studyapp.core.interop.textheader import OWN_KEY, SEPARATORS, Header, read_header
from studyapp.core.model import (
    CardKind,
    CardSpec,
    CardType,
    Deck,
    Source,
    SourceAnchor,
    Study,
)
from studyapp.core.safety.files import UnsafeFileError, open_regular_text

#: Limits of one text file; the worst case within them is measured in
#: SECURITY.md. Rows are streamed, so memory follows the notes, not the bytes.
MAX_TEXT_BYTES = 256 * 1024**2
MAX_TEXT_NOTES = 200_000
_MAX_HEAD_CHARS = 8 * 1024**2  # header lines plus the sample for the separator
EXTRAS_COLUMN = "studyapp"  # JSON of what Anki has no field for; Anki ignores it
_CARD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def read_text_notes(path: Path | str) -> Deck:
    """Read a text file of notes in Anki's text format, or a plain CSV.

    Header lines (``#separator:``, ``#html:``, ``#tags:``, ``#columns:``,
    ``#deck:``, ``#notetype:`` and the ``#... column:`` lines) are read as
    Anki reads them; other lines starting with ``#`` are comments. Without
    a ``#separator:`` line, ``.csv`` files use commas, ``.tsv`` tabs, and
    other files the first of Anki's separators found in the text. A plain
    CSV may start with a ``front,back`` header row. Card ids come from the
    guid column, else from the text of the first field.

    Raises:
        DeckError: Listing every bad row as ``path:line``: a wrong number of
            fields, an empty first field, a repeated note, bad extras.
        PackageError: If the file cannot be read or is too large.
    """
    path = Path(path)
    problems: list[Problem] = []
    try:  # streamed: only the rows are held, never the whole text twice
        with open_regular_text(path, MAX_TEXT_BYTES, what="text file") as body:
            header = read_header(_head(body), path)
            body.seek(0)
            for _ in range(header.lines):
                body.readline()
            rows = list(_rows(body, header, path, problems))
    except UnsafeFileError as error:
        raise PackageError(f"{path}: {error}") from None
    except UnicodeDecodeError:
        raise PackageError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    except OSError as error:
        raise PackageError(f"{path}: cannot read: {error.strerror}") from None
    if (
        header.lines == 0
        and rows
        and [v.strip().lower() for v in rows[0][1]] == ["front", "back"]
    ):
        rows = rows[1:]  # the header row of a plain CSV
    width = len(header.columns) or (len(rows[0][1]) if rows else 0)
    _check_columns(header, path, width)
    layout = _Layout.of(header, width)
    cards: list[CardSpec] = []
    first_line: dict[str, int] = {}
    for line, values in rows:
        if header.own is not None:  # we wrote it: undo the formula guard
            values = [restore_cell(value) for value in values]
        if len(values) != width:
            problems.append(
                _problem(
                    path,
                    line,
                    f"row has {len(values)} fields, expected {width}".replace(
                        "has 1 fields", "has 1 field"
                    ),
                )
            )
            continue
        card, message = _card(values, header, layout)
        if card is None:
            problems.append(_problem(path, line, message))
        elif card.id in first_line:
            problems.append(
                _problem(path, line, f"repeats the note of line {first_line[card.id]}")
            )
        else:
            first_line[card.id] = line
            cards.append(card)
    if problems:
        raise DeckError(problems)
    try:
        return _deck(header, path, rows, cards)
    except (TypeError, ValueError, AttributeError) as error:
        message = f"bad #{OWN_KEY} header: {error}"
        raise DeckError([_problem(path, header.own_line, message)]) from error


def write_text_notes(deck: Deck, path: Path | str, *, separator: str = "tab") -> None:
    """Write a deck in Anki's text format, which Anki imports with its note types.

    Columns are guid, notetype, front (or cloze text), back, tags and, when
    some card needs it, a ``studyapp`` column of JSON with what Anki has no
    field for (kind, steps, study, source anchor). Deck details go in a
    ``#studyapp:`` header line, so `read_text_notes` gives the deck back
    (source texts and tag spaces excepted). Anki ignores both.

    Args:
        deck: The deck to write.
        path: The file to create or replace.
        separator: One of Anki's names: tab, comma, semicolon, pipe, colon, space.

    Raises:
        PackageError: If the file cannot be written.
        ValueError: If ``separator`` is not one of Anki's names.
    """
    if separator not in SEPARATORS:
        raise ValueError(
            f"unknown separator {separator!r}; use one of {list(SEPARATORS)}"
        )
    extras = [_extras(card, deck) for card in deck.cards]
    columns = ["guid", "notetype", "Front", "Back", "tags"]
    if any(extras):
        columns.append(EXTRAS_COLUMN)
    own = {
        "id": deck.id,
        "title": deck.title,
        "kind": deck.kind.value,
        "document": deck.document,
        "description": deck.description,
        "settings": deck.settings,
        # The source documents stay in their own files.
        "sources": [asdict(replace(source, text="")) for source in deck.sources],
    }
    delimiter = SEPARATORS[separator]
    lines = [
        f"#separator:{separator}",
        "#html:true",
        "#guid column:1",
        "#notetype column:2",
        "#tags column:5",
        "#deck:" + " ".join(deck.title.split()),
        "#columns:" + _format_rows([columns], delimiter).rstrip("\n"),
        f"#{OWN_KEY}:" + json.dumps(own, ensure_ascii=False, sort_keys=True),
    ]
    rows = []
    for card, extra in zip(deck.cards, extras, strict=True):
        content = card.cloze if card.type is CardType.CLOZE else card.front
        tags = " ".join(anki_tags(card.tags))
        row = [card.id, NOTE_TYPE_NAMES[card.type], content, card.back, tags]
        if len(columns) > 5:
            row.append(
                json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else ""
            )
        rows.append(row)
    _write(path, "\n".join(lines) + "\n" + _format_rows(rows, delimiter))


def write_plain_csv(deck: Deck, path: Path | str) -> None:
    """Write a two-column CSV, ``front,back`` (cloze cards: text, extra).

    Raises:
        PackageError: If the file cannot be written.
    """
    rows = [["front", "back"]]
    for card in deck.cards:
        front = card.cloze if card.type is CardType.CLOZE else card.front
        rows.append([front, card.back])
    _write(path, _format_rows(rows, ","))


def _head(body: TextIO) -> str:
    """The header lines and the 50 lines after them (to guess the separator)."""
    lines: list[str] = []
    after = 0
    size = 0
    while after < 50 and size < _MAX_HEAD_CHARS:
        line = body.readline()
        if not line:
            break
        lines.append(line)
        size += len(line)
        if after or not line.startswith(("#", "tags:")):
            after += 1
    return "".join(lines)


def _write(path: Path | str, text: str) -> None:
    try:
        with Path(path).open("w", encoding="utf-8", newline="") as file:
            file.write(text)
    except OSError as error:
        raise PackageError(f"{path}: cannot write: {error}") from error


class _Lines:
    """Lines for the csv reader, dropping ``#`` comments between records."""

    def __init__(self, body: TextIO, first: int) -> None:
        self._body = body
        self.number = first  # lines read so far
        self.start = first + 1  # the line where the current record began
        self.at_record_start = True

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        while True:
            line = self._body.readline()
            if not line:
                raise StopIteration
            self.number += 1
            if self.at_record_start and line.startswith("#"):
                continue
            if self.at_record_start:
                self.start = self.number
                self.at_record_start = False
            return line


def _rows(
    body: TextIO, header: Header, path: Path, problems: list[Problem]
) -> Iterator[tuple[int, list[str]]]:
    lines = _Lines(body, header.lines)
    reader = csv.reader(lines, delimiter=header.separator, strict=True)
    count = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append(_problem(path, lines.start, f"unreadable row: {error}"))
            lines.at_record_start = True
            continue
        lines.at_record_start = True
        if values and values != [""]:
            count += 1
            if count > MAX_TEXT_NOTES:
                message = (
                    f"more than {MAX_TEXT_NOTES:,} notes in one file; "
                    "split it into several files"
                )
                raise DeckError([_problem(path, lines.start, message)])
            yield lines.start, values


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where things are in each row: 1-based column numbers, 0 when absent."""

    meta: frozenset[int]  # columns that are not note fields
    extras: int  # our JSON column
    kind: CardKind  # the deck's kind, in files we wrote

    @classmethod
    def of(cls, header: Header, width: int) -> _Layout:
        labels = header.columns + [""] * (width - len(header.columns))
        extras = labels.index(EXTRAS_COLUMN) + 1 if EXTRAS_COLUMN in labels else 0
        columns = (header.notetype_column, header.deck_column, header.tags_column)
        meta = frozenset((*columns, header.guid_column, extras))
        own = header.own or {}
        return cls(meta, extras, CardKind(own.get("kind", "basic")))


def _card(
    values: list[str], header: Header, layout: _Layout
) -> tuple[CardSpec | None, str]:
    column = header.notetype_column
    notetype = note_type_by_name(values[column - 1] if column else header.notetype)
    content = [v for i, v in enumerate(values, 1) if i not in layout.meta]
    fields, rest = content[: len(notetype.fields)], content[len(notetype.fields) :]
    column = header.tags_column
    tags_text = values[column - 1] if column else " ".join(rest[:1])
    if header.html is False:
        fields = [html.escape(v).replace("\n", "<br>") for v in fields]
    guid = values[header.guid_column - 1] if header.guid_column else ""
    if not guid:
        digest = hashlib.blake2b(fields[0].encode(), digest_size=8).hexdigest()
        card_id = f"text-{digest}"
    elif header.own is not None and _CARD_ID.fullmatch(guid):
        card_id = guid  # a file we wrote: the guid is our card id
    else:
        card_id = card_id_for_guid(guid)
    tags = list(dict.fromkeys([*header.tags, *tags_text.split()]))
    card, message = map_note(notetype, card_id, fields, tags, kind=layout.kind)
    extra = values[layout.extras - 1] if card is not None and layout.extras else ""
    if card is None or not extra:
        return card, message
    try:
        return _with_extras(card, json.loads(extra)), ""
    except (ValueError, TypeError, KeyError, RecursionError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else error
        return None, f"bad {EXTRAS_COLUMN} column: {str(reason)[:200]}"


def _extras(card: CardSpec, deck: Deck) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if card.kind is not deck.kind:
        extra["kind"] = card.kind.value
    if card.steps:
        extra["steps"] = list(card.steps)
    if card.study is not None:
        extra["study"] = asdict(card.study)
    if card.source is not None:
        extra["source"] = asdict(card.source)
    return extra


def _with_extras(card: CardSpec, extra: dict[str, Any]) -> CardSpec:
    study = extra.get("study")
    source = extra.get("source")
    return replace(
        card,
        kind=CardKind(extra.get("kind", card.kind.value)),
        steps=tuple(str(step) for step in extra.get("steps", ())),
        study=Study(**study) if study is not None else None,
        source=SourceAnchor(**source) if source is not None else None,
    )


def _deck(
    header: Header,
    path: Path,
    rows: list[tuple[int, list[str]]],
    cards: list[CardSpec],
) -> Deck:
    deck_column = header.deck_column - 1  # Anki's column of deck names: take the first
    title = header.deck or (
        rows[0][1][deck_column] if deck_column >= 0 and rows else ""
    )
    title = title or path.stem
    deck = Deck(
        id=deck_id_for_name(title), title=title, cards=tuple(cards), path=str(path)
    )
    own = header.own
    if own is None:
        return deck
    return replace(
        deck,
        id=str(own.get("id", deck.id)),
        title=str(own.get("title", title)),
        kind=CardKind(own.get("kind", "basic")),
        document=str(own.get("document", "")),
        description=str(own.get("description", "")),
        settings=dict(own.get("settings", {})),
        sources=tuple(_source(source) for source in own.get("sources", ())),
    )


def _source(data: dict[str, Any]) -> Source:
    return Source(**{**data, "authors": tuple(data.get("authors", ()))})


def _check_columns(header: Header, path: Path, width: int) -> None:
    """Refuse ``#... column:`` headers that point past the rows' fields."""
    for name in ("notetype_column", "deck_column", "tags_column", "guid_column"):
        column = getattr(header, name)
        if column > width:
            label = name.replace("_", " ")
            message = (
                f"#{label}:{column} names a column past the {width} of each row; "
                "fix the header"
            )
            raise DeckError([_problem(path, 1, message)])


def _format_rows(rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    writer = SafeWriter(out, delimiter=delimiter, lineterminator="\n")
    # Anki skips lines starting with "#": quote such a first field.
    quoted = SafeWriter(
        out, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL
    )
    for row in rows:
        (quoted if row and row[0].startswith("#") else writer).writerow(row)
    return out.getvalue()


def _problem(path: Path, line: int, message: str) -> Problem:
    return Problem(str(path), line, 1, message)
