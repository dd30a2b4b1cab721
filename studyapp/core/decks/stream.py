"""Read a deck file a chunk of cards at a time: memory stays flat however big.

The file is read a megabyte at a time. The part before the first card (the
deck, its sources and ``cards:``) is parsed and checked first. Then each
chunk of whole cards is parsed by yaml-rs in a second thread (yaml-rs lets
go of the GIL, so it parses the next chunk while the caller checks and
writes this one) and checked by the deck's ``CardChecker``, which keeps
what spans chunks: the ids seen, the card count, the quote indexes.

A chunk starts at a line that starts a card: in a list indented like
``  - id: ...``, no value can continue on a line that starts with that
indentation and "- " (``yaml_fast.split_cards`` relies on the same rule).
Anything unusual raises ``NotStreamableError``, and the caller reads the file whole
(``reader.load_deck``), which handles it or words its problem: no yaml-rs,
YAML tags or aliases, problems in the part before the cards, a chunk that
does not parse as a list of cards, keys or documents after the list.
"""

from __future__ import annotations

import hashlib
import os
import queue
import re
import threading
from collections.abc import Generator
from pathlib import Path
from types import TracebackType
from typing import Any

from studyapp.core.decks import card_checks, yaml_fast
from studyapp.core.decks.problems import MAX_FIELD_CHARS, Checker, Located
from studyapp.core.decks.schema import TOP_KEYS, check_head
from studyapp.core.errors import DeckError, Problem
from studyapp.core.model import CardSpec, Deck
from studyapp.core.safety.files import UnsafeFileError, open_regular, too_large

# A deck file's size limit. Read in chunks, a 45 MiB deck of 100,000 cards
# peaks near 170 MiB while importing, and a file of the shortest cards is
# refused at its 200,001st card; a file that cannot be read in chunks may
# have 48 MiB (reader.MAX_WHOLE_BYTES). Measured in SECURITY.md.
MAX_DECK_BYTES = 128 * 1024 * 1024
#: Read and parse this much at a time (about 2,000 cards of a big deck)...
CHUNK_BYTES = 1 << 20
#: ... after a first chunk this long, each next one twice as long: the
#: cards of a small deck are checked while the rest is parsed.
FIRST_CHUNK_BYTES = 1 << 16
#: The part before the first card is this long at most; longer: read whole.
_HEAD_BYTES = 8 << 20
#: One card longer than this is refused before it is parsed: its fields
#: could not be valid (each at most MAX_FIELD_CHARS), and parsing a 127 MiB
#: card took more memory than any other file within the limits.
MAX_CARD_BYTES = 16 << 20
_TOO_LONG = (
    f"this card is over {MAX_CARD_BYTES >> 20} MiB; a field may have at most "
    f"{MAX_FIELD_CHARS:,} characters: shorten it or split it into several cards"
)
#: Parsed chunks waiting to be checked.
_AHEAD = 2
#: From this size a second thread parses while the first checks and writes.
#: Below, handing the GIL back and forth costs more than the overlap saves
#: (issue 21, import medians inline / threaded: 1k cards 23 / 45 ms, 10k
#: 216 / 253 ms, 30k 0.70 / 0.63 s, 100k 2.41 / 2.03 s).
THREAD_FROM_BYTES = 8 << 20

# The "cards:" line at the top level, blank and comment lines, then the
# first card: its indentation.
_CARDS_START = re.compile(
    rb"^cards:[ \t]*(?:#[^\n]*)?\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*( *)- ", re.M
)
_BOM = b"\xef\xbb\xbf"


class NotStreamableError(Exception):
    """This file cannot be read in chunks: read it whole (``load_deck``)."""


class DeckStream:
    """A deck file being read: its deck (with no cards), then its cards.

    Use it as a context manager. The part before the cards is read and
    checked when the stream opens (``checked_deck``); ``chunks()`` yields
    the checked cards, and raises DeckError at the end if anything has a
    problem (every problem, each at its line).

    Raises:
        DeckError: The file is unsafe, too big or not UTF-8.
        NotStreamableError: The file cannot be streamed (see the module's notes).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._file = open_regular(path, MAX_DECK_BYTES, what="deck file")
        except UnsafeFileError as error:
            raise DeckError([Problem(str(path), 1, 1, str(error))]) from None
        #: Size and modification time when opened, before anything was read.
        self.opened = os.fstat(self._file.fileno())
        #: SHA-256 of the bytes read so far (all of them after ``chunks()``).
        self.digest = hashlib.sha256()
        self._size = 0
        self._eof = False
        self._checker = Checker()
        try:
            self._read_head()
        except BaseException:
            self._file.close()
            raise

    def __enter__(self) -> DeckStream:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._file.close()

    def _read(self, size: int = 0) -> bytes:
        block = self._file.read(size or CHUNK_BYTES)
        if not block:
            self._eof = True
            return b""
        self._size += len(block)
        if self._size > MAX_DECK_BYTES:  # it grew while we read
            message = too_large("deck file", self._size, MAX_DECK_BYTES)
            raise DeckError([Problem(str(self.path), 1, 1, message)])
        self.digest.update(block)
        return block

    def _read_head(self) -> None:
        data = b""
        while (found := _CARDS_START.search(data)) is None:
            if self._eof or len(data) > _HEAD_BYTES:
                raise NotStreamableError
            data += self._read(FIRST_CHUNK_BYTES)
        if data.startswith((b"%", _BOM + b"%")):  # a directive: whole file
            raise NotStreamableError
        cut = found.start(1)
        head = self._decode(data[:cut], 1)
        top = _loads(head)
        if not (type(top) is dict and list(top)[-1:] == ["cards"]):
            raise NotStreamableError
        if top["cards"] is not None:
            raise NotStreamableError
        checker = self._checker
        deck, cards = check_head(
            checker, checker.mapping(top, (), TOP_KEYS, "file"), self.path
        )
        # None if the part before the cards has problems: see ``checked_deck``.
        self._deck = None if checker.problems else deck
        self._problems = self._place_head(head, checker.problems)
        checker.problems = []
        self._cards = cards
        self._cards_line = data[: found.start()].count(b"\n") + 1
        self._rest = data[cut:]
        self._line = data[:cut].count(b"\n") + 1
        self._separator = b"\n" + found.group(1) + b"- "

    def checked_deck(self) -> Deck:
        """The deck, with no cards yet (``chunks()`` gives them).

        Raises:
            DeckError: If the part before the cards has problems: those and
                every card's (all cards are read and checked, none given).
        """
        if self._deck is None:
            for _ in self.chunks():
                pass  # none: a problem stops the chunks, which raise it
            raise DeckError(self._problems)  # not reached: chunks() raised
        return self._deck

    def _place_head(self, head: str, located: list[Located]) -> list[Problem]:
        return self._yaml_place(head, located) if located else []

    def _yaml_place(self, text: str, located: list[Located]) -> list[Problem]:
        """``yaml_safe.place`` on a part of the file (lines counted within it)."""
        from studyapp.core.decks import yaml_safe  # PyYAML: only for problems

        try:
            return yaml_safe.place(self.path, text, located)
        except DeckError:  # PyYAML refuses what yaml-rs read: read it whole
            raise NotStreamableError from None

    def _decode(self, data: bytes, line: int) -> str:
        try:
            return data.decode("utf-8-sig" if line == 1 else "utf-8")
        except UnicodeDecodeError as error:
            line += data[: error.start].count(b"\n")
            message = "not UTF-8 text; save the file as UTF-8"
            raise DeckError([Problem(str(self.path), line, 1, message)]) from None

    def chunks(self) -> Generator[list[CardSpec], None, None]:
        """The deck's cards, a chunk at a time, each checked.

        After the first problem nothing more is yielded, but the rest is
        still read and checked, so that every problem is listed.

        Raises:
            DeckError: Every problem in the cards, or a read problem.
            NotStreamableError: A chunk cannot be parsed alone: read the file whole.
        """
        problems = self._problems
        cards, checker = self._cards, self._checker
        parsed = self._parsed()
        if self.opened.st_size >= THREAD_FROM_BYTES:
            parsed = _ahead(parsed)
        try:
            for line, text, values in parsed:
                limit = card_checks.MAX_DECK_CARDS
                if cards.count + len(values) > limit:  # stop reading
                    more = card_checks.too_many_cards(f"more than {limit:,}")
                    problems.append(Problem(str(self.path), self._cards_line, 1, more))
                    break
                first = cards.count
                specs = cards.check(values)
                if checker.problems:
                    problems += self._place(text, first, line, checker.problems)
                    checker.problems = []
                if not problems:
                    yield specs
        finally:
            parsed.close()
        if problems:
            problems.sort(key=lambda p: (p.line, p.column))
            raise DeckError(problems)

    def _parsed(self) -> Generator[tuple[int, str, list[Any]], None, None]:
        """Read, cut, decode and parse chunk after chunk: (line, text, cards)."""
        buffer, line = self._rest, self._line
        del self._rest
        size = FIRST_CHUNK_BYTES
        while buffer or not self._eof:
            while not self._eof and len(buffer) < size:
                buffer += self._read(size)
            # Cut before the last card that starts within ``size``, or
            # after the first card if that one is longer.
            cut = buffer.rfind(self._separator, 0, size) + 1
            cut = cut or buffer.find(self._separator) + 1
            if not cut and len(buffer) > MAX_CARD_BYTES:
                raise DeckError([Problem(str(self.path), line, 1, _TOO_LONG)])
            if self._eof and (not cut or len(buffer) <= size):
                cut = len(buffer)
            elif not cut:  # one card longer than all read so far
                buffer += self._read()
                continue
            chunk, buffer = buffer[:cut], buffer[cut:]
            text = self._decode(chunk, line)
            yield line, text, _parse_cards(text)
            line += chunk.count(b"\n")
            size = min(2 * size, CHUNK_BYTES)

    def _place(
        self, text: str, first: int, line: int, located: list[Located]
    ) -> list[Problem]:
        """Problems of the chunk ``text`` (its first card is number ``first``)."""
        local = [
            Located(("cards", int(at) - first, *rest), item.message, item.at_key)
            for item in located
            for _, at, *rest in [item.where]  # ("cards", index, ...)
        ]
        placed = self._yaml_place("cards:\n" + text, local)
        return [
            Problem(p.path, max(line, line + p.line - 2), p.column, p.message)
            for p in placed
        ]


def _ahead(
    items: Generator[tuple[int, str, list[Any]], None, None],
) -> Generator[tuple[int, str, list[Any]], None, None]:
    """``items``, made by a thread of their own a few ahead of the reader."""
    ready: queue.Queue[Any] = queue.Queue(maxsize=_AHEAD)
    stop = threading.Event()

    def work() -> None:
        try:
            for item in items:
                if not _put(ready, item, stop):
                    return
            _put(ready, None, stop)
        except BaseException as error:  # handed to the reading thread
            _put(ready, error, stop)

    worker = threading.Thread(target=work)
    worker.start()
    try:
        while (item := ready.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()
        items.close()


def _put(ready: queue.Queue[Any], item: Any, stop: threading.Event) -> bool:
    """Hand ``item`` over unless the reader stopped; whether it was."""
    while not stop.is_set():
        try:
            ready.put(item, timeout=0.05)
        except queue.Full:
            continue
        return True
    return False


def _loads(text: str) -> Any:
    if not yaml_fast.is_plain(text):
        raise NotStreamableError
    data = yaml_fast.loads(text)
    if data is None:
        raise NotStreamableError
    return data


def _parse_cards(text: str) -> list[Any]:
    data = _loads("cards:\n" + text)
    if not (type(data) is dict and list(data) == ["cards"]):
        raise NotStreamableError  # keys or documents after the list
    cards = data["cards"]
    if type(cards) is not list:
        raise NotStreamableError
    return cards
