"""Generators of hostile YAML deck files."""

from __future__ import annotations


def billion_laughs(levels: int = 9, width: int = 10, used_as: str = "kind") -> str:
    """Nested aliases that expand to width**levels items, used as ``used_as``."""
    lines = ['a0: &a0 "lol"']
    for level in range(1, levels + 1):
        items = ", ".join(f"*a{level - 1}" for _ in range(width))
        lines.append(f"a{level}: &a{level} [{items}]")
    bomb = f"*a{levels}"
    anchors = "\n".join("  " + line for line in lines)
    deck = {
        "kind": f"deck:\n  id: bomb\n  title: Bomb\n  kind: {bomb}\n",
        "type": (
            "deck:\n  id: bomb\n  title: Bomb\n"
            f"cards:\n  - id: a\n    type: {bomb}\n    front: f\n    back: b\n"
        ),
        "cards": f"deck:\n  id: bomb\n  title: Bomb\ncards: {bomb}\n",
        "key": (
            "deck:\n  id: bomb\n  title: Bomb\n"
            f"cards:\n  - id: a\n    front: f\n    back: b\n    {bomb}: x\n"
        ),
    }[used_as]
    return f"anchors:\n{anchors}\n{deck}"


def many_aliases_of_big_text(count: int = 200_000, size: int = 100_000) -> str:
    """One big anchored text and ``count`` aliases of it (about 900 kB)."""
    head = (
        "deck:\n  id: many\n  title: Many\n"
        f'  description: &big "{"x" * size}"\n'
        "cards:\n  - id: a\n    front: f\n    back: b\n    tags: ["
    )
    return head + ", ".join("*big" for _ in range(count)) + "]\n"


def recursive_alias() -> str:
    return "deck: &d\n  id: rec\n  title: Rec\n  self: *d\ncards: &c [*c]\n"


def complex_keys() -> str:
    return (
        "deck:\n  id: ck\n  title: CK\ncards:\n  - id: a\n    front: f\n"
        "    back: b\n    ? [x, y]\n    : 1\n    ? [x, y]\n    : 2\n"
    )


def deeply_nested(depth: int = 100_000) -> str:
    return (
        "deck:\n  id: deep\n  title: Deep\ncards: " + "[" * depth + "]" * depth + "\n"
    )


def with_bom() -> bytes:
    text = "deck:\n  id: bom-deck\n  title: BOM\ncards:\n  - id: a\n    front: f\n"
    return b"\xef\xbb\xbf" + (text + "    back: b\n").encode()
