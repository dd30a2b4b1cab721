"""Source documents as the app shows them: reference-list entries."""

from __future__ import annotations

import re

_REFERENCES_HEADING = re.compile(r"^references\s*$", re.IGNORECASE | re.MULTILINE)


def reference_entry(text: str, number: int) -> tuple[int, int] | None:
    """Find entry ``number`` of a source's reference list.

    The entry is the line starting with ``"<number>. "`` after the
    "References" heading (or anywhere, when the text has no such heading).

    Args:
        text: The full plain text of the source.
        number: The reference number, as cited in the text.

    Returns:
        The (start, end) character offsets of the entry's line in ``text``,
        without its line break, or None when there is no such entry.
    """
    heading = _REFERENCES_HEADING.search(text)
    start_at = heading.end() if heading else 0
    entry = re.compile(rf"^{number}\.\s+\S.*$", re.MULTILINE)
    match = entry.search(text, start_at)
    if match is None:
        return None
    return match.start(), match.end()
