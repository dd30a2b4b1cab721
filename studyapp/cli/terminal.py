"""Everything the command line prints is stripped of control characters.

Card text, deck names and file contents reach the terminal; an escape
sequence in them could clear the screen, retitle the window or write the
clipboard (OSC 52). ``CleanStream`` wraps stdout and stderr and drops C0
controls (except newline and tab), DEL and the C1 range, so ESC, CSI and OSC
sequences can never start. JSON output is unaffected: json.dumps escapes
control characters itself.
"""

from __future__ import annotations

from typing import Any, TextIO

_DROP = {
    code: None
    for code in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))
    if code not in (0x09, 0x0A)
}


def clean(text: str) -> str:
    """``text`` without terminal control characters (newline and tab kept)."""
    return text.translate(_DROP)


class CleanStream:
    """A text stream that writes ``clean(text)`` to the stream it wraps."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write the cleaned text; returns the length of the text given."""
        self._stream.write(clean(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
