"""Source documents and the passages cards quote from them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class NormalisedText:
    """A text with whitespace runs collapsed, mapped back to the original.

    ``offsets[i]`` is the index in the original text of character ``i`` of
    ``text``, so a match in the normalised text can be highlighted in the
    original.
    """

    text: str
    offsets: tuple[int, ...]

    def find(self, quote: str) -> tuple[int, int] | None:
        """Find a quote; returns its (start, end) in the original text."""
        needle = normalise(quote)
        if not needle:
            return None
        start = self.text.find(needle)
        if start < 0:
            return None
        end = start + len(needle) - 1
        return self.offsets[start], self.offsets[end] + 1


class QuoteIndex:
    """Answers "is this quote in the text?" fast, for many quotes.

    Decks usually quote their source in reading order, so each search first
    looks just after the previous match. Otherwise it looks up the quote's
    rarest whole word in an index of word positions (built on first need),
    so a shuffled deck over a book-length text stays linear, not quadratic.
    """

    _WINDOW = 65_536

    def __init__(self, text: str) -> None:
        self.text = normalise(text)
        self._cursor = 0
        self._words: dict[str, list[int]] | None = None

    def __contains__(self, quote: str) -> bool:
        return self.find(quote) >= 0

    def find(self, quote: str) -> int:
        """Position of the whitespace-normalised quote in the text, or -1."""
        needle = normalise(quote)
        if not needle:
            return -1
        end = self._cursor + self._WINDOW + len(needle)
        at = self.text.find(needle, self._cursor, end)
        if at < 0:
            at = self._find_by_word(needle)
        if at >= 0:
            self._cursor = at
        return at

    def _find_by_word(self, needle: str) -> int:
        words = needle.split(" ")
        if len(words) < 3:  # no whole inner word to anchor on
            return self.text.find(needle)
        index = self._word_index()
        offset, best = 0, None
        position = len(words[0]) + 1
        for word in words[1:-1]:  # the first and last may be cut mid-word
            hits = index.get(word, [])
            if best is None or len(hits) < len(best):
                offset, best = position, hits
            position += len(word) + 1
        for hit in best or []:
            start = hit - offset
            if start >= 0 and self.text.startswith(needle, start):
                return start
        return -1

    def _word_index(self) -> dict[str, list[int]]:
        if self._words is None:
            self._words = {}
            position = 0
            for word in self.text.split(" "):
                self._words.setdefault(word, []).append(position)
                position += len(word) + 1
        return self._words


def normalise(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends."""
    return " ".join(text.split())


def normalise_with_offsets(text: str) -> NormalisedText:
    """Normalise ``text`` and keep where each kept character came from."""
    chars: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for index, char in enumerate(text):
        if char.isspace():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            offsets.append(index - 1)
            pending_space = False
        chars.append(char)
        offsets.append(index)
    return NormalisedText("".join(chars), tuple(offsets))


def find_text_file(relative: str, start: Path) -> Path | None:
    """Look for ``relative`` in ``start`` and then in each of its parents."""
    candidate = Path(relative)
    if candidate.is_absolute():
        return candidate if candidate.is_file() else None
    for folder in (start, *start.parents):
        path = folder / candidate
        if path.is_file():
            return path
    return None
