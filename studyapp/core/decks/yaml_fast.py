"""The fast way to parse a deck file: yaml-rs, a big card list in two halves.

yaml-rs (Rust) parses some 25 times faster than PyYAML's C loader, and it
lets go of the GIL while it parses, so the two halves of a big deck's card
list can be parsed at once on two cores (benchmarks: 1.0 s down to about 0.6 s
for 100,000 cards).

It ignores YAML tags instead of refusing them and words its errors less
precisely, so ``parse`` returns None for anything unusual and the caller
uses PyYAML's safe loader instead.
"""

from __future__ import annotations

import re
import threading
from typing import Any

try:  # optional: wheels exist for the common platforms
    import yaml_rs
except ImportError:  # pragma: no cover - depends on the platform's wheels
    yaml_rs = None  # type: ignore[assignment]

#: Below this many characters one thread parses the whole text (at 450 kB,
#: the two halves took 10 ms instead of 14).
SPLIT_FROM_CHARS = 1 << 16

# Where a YAML tag (!x, !!x) could start; such files take PyYAML's safe loader,
# which refuses unknown tags. A "!" inside text only costs that slower path.
_MAY_HAVE_TAG = re.compile(r"(?:^|[\s\[{,:?-])!")
# Where an anchor (&a) or alias (*a) could start: such files take the safe
# loader, which counts what aliases expand to before building any value
# (yaml-rs copies every alias: 200,000 aliases of a 100 kB text is 20 GB).
_MAY_HAVE_ALIAS = re.compile(r"(?:^|[\[{,]|[:?-][ \t])[ \t]*[&*]\S", re.MULTILINE)
# The "cards:" line, then blank and comment lines, then the first card: its
# indentation.
_CARDS_START = re.compile(
    r"cards:[ \t]*(?:#[^\n]*)?\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*( *)- "
)


def parse(text: str) -> Any | None:
    """The data of a deck file's text, or None to use the safe loader."""
    if not is_plain(text):
        return None
    halves = split_cards(text) if len(text) >= SPLIT_FROM_CHARS else None
    if halves is not None and (data := _parse_halves(*halves)) is not None:
        return data
    return loads(text)  # also when a cut went wrong: anchors, open quotes


def is_plain(text: str) -> bool:
    """Whether yaml-rs may parse ``text``: it has no YAML tags or aliases."""
    if yaml_rs is None or ("!" in text and _MAY_HAVE_TAG.search(text)):
        return False
    return not may_have_aliases(text)


def may_have_aliases(text: str) -> bool:
    """Whether ``text`` may use YAML anchors or aliases (then: the safe loader)."""
    return ("&" in text or "*" in text) and _MAY_HAVE_ALIAS.search(text) is not None


def split_cards(text: str) -> tuple[str, str] | None:
    """The text cut in two before a card near its middle, or None.

    The first part is the file up to that card; the second is ``cards:``
    and the rest of the list. In a card list indented like ``  - id: ...``,
    a line starting with the same indentation and "- " starts a new card:
    YAML allows no value to continue on a line indented so little. The one
    exception, an alias of an anchor on the other side, fails to parse.

    Whether the list really ends the file is left to ``_parse_halves``; a
    regular expression over a 45 MB text took longer than parsing half of it.
    """
    if text.startswith("%"):  # a directive applies to the whole file
        return None
    at = 0 if text.startswith("cards:") else text.find("\ncards:") + 1
    item = _CARDS_START.match(text, at)
    if item is None:
        return None
    cut = text.find("\n" + item.group(1) + "- ", max(len(text) // 2, item.end()))
    if cut < 0:
        return None
    return text[: cut + 1], "cards:\n" + text[cut + 1 :]


def _parse_halves(first: str, second: str) -> Any | None:
    tail: list[Any] = []
    worker = threading.Thread(target=lambda: tail.append(loads(second)))
    worker.start()
    try:
        head = loads(first)
    finally:
        worker.join()
    rest = tail[0] if tail else None
    # The cut was inside the card list only if "cards" is the last key before
    # it and the only key after it (yaml-rs keeps keys in the file's order).
    if not (
        isinstance(head, dict)
        and list(head)[-1:] == ["cards"]
        and isinstance(head["cards"], list)
        and isinstance(rest, dict)
        and list(rest) == ["cards"]
        and isinstance(rest["cards"], list)
    ):
        return None
    head["cards"].extend(rest["cards"])
    return head


def loads(text: str) -> Any | None:
    """The data of ``text`` as yaml-rs reads it, or None if it cannot."""
    try:
        return yaml_rs.loads(text, parse_datetime=False)
    except (yaml_rs.YAMLDecodeError, ValueError, RecursionError):
        return None
