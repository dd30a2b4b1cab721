"""Source documents and the passages cards quote from them."""

from __future__ import annotations

import re
from pathlib import Path


class QuoteIndex:
    """Answers "is this quote in the text?" fast, for many quotes.

    Quotes are matched with whitespace normalised, but most are copied as
    written and in reading order: each is first looked for as written, just
    after the previous one, and the text is normalised only when a quote is
    not found so (0.1 s for a 13 MB text; docs/benchmarks.md). There the search looks
    just after the previous match, then up the quote's rarest whole word in
    an index of word positions (built on first need), so a shuffled deck over
    a book-length text stays linear, not quadratic.
    """

    _WINDOW = 65_536

    def __init__(self, text: str) -> None:
        self.raw = text
        self.empty = not text or text.isspace()
        self._raw_cursor = 0
        self._text: str | None = None
        self._cursor = 0
        self._words: dict[str, list[int]] | None = None

    @property
    def text(self) -> str:
        """The text with each run of whitespace made one space."""
        if self._text is None:
            self._text = normalise(self.raw)
        return self._text

    def __contains__(self, quote: str) -> bool:
        # Found as written, it is found with whitespace normalised too.
        end = self._raw_cursor + self._WINDOW + len(quote)
        at = self.raw.find(quote, self._raw_cursor, end)
        if at >= 0 and quote and not quote.isspace():
            self._raw_cursor = at
            return True
        return self.find(quote) >= 0

    def find(self, quote: str) -> int:
        """Position of the whitespace-normalised quote in ``text``, or -1."""
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


_PACKAGE_ROOT = Path(__file__).resolve().parents[2]
#: The source texts shipped with the app (checkout, or installed wheel).
RESOURCE_ROOTS = (_PACKAGE_ROOT.parent / "resources", _PACKAGE_ROOT / "_data")


def find_text_file(relative: str, start: Path) -> Path | None:
    """Look for ``relative`` in ``start`` and then in each of its parents.

    Only a file that, with every symlink resolved, lies inside ``start``'s
    folder tree or in the bundled resources is returned: a deck cannot read
    ``/etc/passwd``, ``../../x`` or a symlink pointing out of its folder.
    An absolute path is held to the same rule.
    """
    candidate = Path(relative)
    if not relative or "\0" in relative:
        return None
    roots = [start.resolve(), *(r.resolve() for r in RESOURCE_ROOTS)]
    folders = [Path("/")] if candidate.is_absolute() else [start, *start.parents]
    for folder in folders:
        path = folder / candidate
        try:
            if not path.is_file():
                continue
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):  # a symlink loop, a name too long
            return None
        if any(real.is_relative_to(root) for root in roots):
            return real
        return None
    return None
