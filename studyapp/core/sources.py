"""Source documents and the passages cards quote from them."""

from __future__ import annotations

import re
from pathlib import Path


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
        # The usual quote is already normal: the text holds no whitespace but
        # single spaces, so a verbatim hit within the window is the answer.
        window_end = self._cursor + self._WINDOW + len(quote)
        at = self.text.find(quote, self._cursor, window_end)
        if at >= 0 and quote and quote[0] != " " and quote[-1] != " ":
            self._cursor = at
            return at
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


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` is in ``text``, whitespace runs matching any whitespace.

    Returns:
        The (start, end) of the first match in the original text, or None.
    """
    words = quote.split()
    if not words:
        return None
    # A regex over the original text, instead of normalising it with a
    # Python loop per character (seconds for a book-length source).
    found = re.search(r"\s+".join(map(re.escape, words)), text)
    return found.span() if found else None


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
