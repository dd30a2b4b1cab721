"""Source documents and the passages cards quote from them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_SPACE = re.compile(r"\s+")


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


def normalise(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends."""
    return _SPACE.sub(" ", text).strip()


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
