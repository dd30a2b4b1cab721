"""The fast parser gives exactly what one whole parse gives, cut or not."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from studyapp.core.decks import yaml_fast

ROOT = Path(__file__).resolve().parents[3]
DECK_FILES = sorted(
    [*(ROOT / "decks").rglob("*.yaml"), *(ROOT / "tests/data/decks").rglob("*.yaml")]
)

HEAD = """deck:
  id: cut-test
  title: Cut test
sources:
  - id: s
    title: S
    text: s.txt
cards:
"""


def card(n: int, indent: str = "  ") -> str:
    inner = indent + "  "
    return (
        f'{indent}- id: c{n:05d}\n{inner}front: "Q{n}: what is {n}?"\n'
        f"{inner}back: A{n} is {n}\n{inner}tags: [t{n % 7}, bench]\n"
    )


def deck_text(
    before: int = 40, after: int = 40, middle: str = "", indent: str = "  "
) -> str:
    cards = [card(n, indent) for n in range(before)]
    cards += [middle] + [card(n, indent) for n in range(before, before + after)]
    return HEAD + "".join(cards)


@pytest.fixture
def always_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_fast, "SPLIT_FROM_CHARS", 0)


@pytest.mark.usefixtures("always_cut")
@pytest.mark.parametrize("path", DECK_FILES, ids=lambda p: p.name)
def test_real_decks_parse_the_same_cut_in_two(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    data = yaml_fast.parse(text)
    if yaml_fast.may_have_aliases(text):  # issue 20: the safe loader counts them
        assert data is None
    else:
        assert data == yaml.safe_load(text)


def test_cut_is_before_a_card_near_the_middle() -> None:
    text = deck_text()
    halves = yaml_fast.split_cards(text)
    assert halves is not None
    first, second = halves
    assert first + second.removeprefix("cards:\n") == text
    assert second.startswith("cards:\n  - id: c")
    assert abs(len(first) - len(text) / 2) < len(card(0)) + 1


@pytest.mark.usefixtures("always_cut")
@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("top-level sequence", deck_text(indent="")),
        ("CRLF", deck_text().replace("\n", "\r\n")),
        ("comments", deck_text().replace("cards:\n", "cards:  # all\n\n# first\n")),
    ],
)
def test_cut_texts_parse_as_a_whole(name: str, text: str) -> None:
    assert yaml_fast.split_cards(text) is not None, name
    assert yaml_fast.parse(text) == yaml.safe_load(text)


# Each trap puts a line that looks like a new card just after the middle, so
# the cut falls there, inside a value. YAML does not let a value continue on a
# line indented like that, so a half fails and the whole text decides (here
# yaml-rs refuses it too, and load_deck goes on to the safe loader).
TRAPS = {
    "double-quoted value over lines": (
        '  - id: trap\n    front: "' + "x " * 400 + '\n  - not a card"\n    back: b\n'
    ),
    "single-quoted value over lines": (
        "  - id: trap\n    front: '" + "x " * 400 + "\n  - not a card'\n    back: b\n"
    ),
    "flow list over lines": (
        "  - id: trap\n    tags: [" + "x, " * 400 + "\n  - not_a_card]\n    back: b\n"
    ),
}


@pytest.mark.usefixtures("always_cut")
@pytest.mark.parametrize("trap", TRAPS, ids=str)
def test_a_cut_inside_a_value_falls_back_to_the_whole_text(trap: str) -> None:
    text = deck_text(middle=TRAPS[trap])
    halves = yaml_fast.split_cards(text)
    assert halves is not None
    assert halves[1].splitlines()[1].startswith("  - not")
    assert yaml_fast.parse(text) == yaml_fast.loads(text)


@pytest.mark.usefixtures("always_cut")
def test_an_anchor_used_across_the_cut_falls_back() -> None:
    text = deck_text(before=2, after=60).replace(
        "tags: [t0, bench]", "tags: &shared [t0, bench]", 1
    )
    text = text[: len(text) - 30] + text[len(text) - 30 :].replace(
        "tags: [", "tags: *shared\n    more: [", 1
    )
    # Issue 20: files with anchors take the safe loader, which budgets aliases.
    assert yaml_fast.parse(text) is None
    data = yaml.safe_load(text)
    assert data["cards"][-1]["tags"] == ["t0", "bench"]


LONG_SOURCES = "sources:\n" + "".join(
    f"  - id: s{n}\n    title: Source {n}\n" for n in range(400)
)


@pytest.mark.usefixtures("always_cut")
@pytest.mark.parametrize(
    "text",
    [
        deck_text() + "extra: key after the cards\n",
        deck_text(before=3, after=3).replace("sources:", "old:") + LONG_SOURCES,
        deck_text() + "---\ndeck: {id: second}\n",
    ],
    ids=["key after cards", "long list after cards", "second document"],
)
def test_a_card_list_that_does_not_end_the_file_is_parsed_whole(text: str) -> None:
    assert yaml_fast.split_cards(text) is not None
    assert yaml_fast.parse(text) == yaml_fast.loads(text)


@pytest.mark.parametrize(
    "text",
    ["%YAML 1.2\n---\n" + deck_text(), HEAD.replace("cards:\n", "cards: []\n")],
    ids=["directive", "flow list"],
)
def test_texts_that_are_not_cut(text: str) -> None:
    assert yaml_fast.split_cards(text) is None


@pytest.mark.usefixtures("always_cut")
def test_tags_are_left_to_the_safe_loader() -> None:
    text = deck_text().replace("back: A3 is 3", "back: !!python/object:os.system x")
    assert yaml_fast.parse(text) is None


@pytest.mark.usefixtures("always_cut")
def test_randomly_damaged_decks_parse_as_one_parse_does() -> None:
    """Cut or not, the result is always the whole text's (None when it fails)."""
    rng = random.Random(20261123)
    texts = [p.read_text(encoding="utf-8") for p in DECK_FILES]
    pieces = ["\n", "\n  - ", "\n- ", '"', "'", "[", "]", "{", "&a ", "*a", ": ", "#"]
    agreed_cut = 0
    for _ in range(400):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text))
            text = text[:at] + rng.choice(pieces) + text[at:]
        whole = yaml_fast.loads(text)
        halves = yaml_fast.split_cards(text)
        if yaml_fast.may_have_aliases(text):
            assert yaml_fast.parse(text) is None
            continue
        assert yaml_fast.parse(text) == whole
        if halves is not None and yaml_fast._parse_halves(*halves) is not None:
            agreed_cut += 1
    assert agreed_cut > 30  # the two-half path was taken, not only the fallback
