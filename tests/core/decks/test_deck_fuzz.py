"""Bad input: mutated and generated decks, hostile card text, oversized files.

Example counts (1,600 decks and 300 texts) keep this file under a minute.
"""

import tracemalloc
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.core.decks.card_checks import CARD_KEYS
from studyapp.core.decks.problems import MAX_FIELD_CHARS
from studyapp.core.decks.reader import MAX_DECK_BYTES, load_deck
from studyapp.core.decks.richtext import sanitize
from studyapp.core.decks.schema import DECK_KEYS, SOURCE_KEYS
from studyapp.core.errors import DeckError
from studyapp.core.library import Library
from studyapp.core.model import Deck, Rating

from ...conftest import MINI_DECK, ROOT

SEEDS = {
    path.name: path.read_bytes()
    for path in (
        MINI_DECK,
        ROOT / "decks" / "correia-2021" / "neurturin.yaml",
        ROOT / "decks" / "pedersen-2019" / "glossary.yaml",
        ROOT / "decks" / "pedersen-2019" / "key-points.yaml",
        ROOT / "decks" / "pedersen-2019" / "mechanisms.yaml",
    )
}
KEYS = sorted({*DECK_KEYS, *SOURCE_KEYS, *CARD_KEYS, "deck", "cards", "sources"})
KEYS += ["ref", "section", "quote", "steps", "study", "year", "authors", "cloze"]
SCALARS = [
    "~",
    "null",
    "true",
    "0",
    "-1",
    "1e309",
    "99999999999999999999999",
    "2019-01-01",
    "[]",
    "{}",
    "[a, [b, {c: d}]]",
    '"{{c1::x}}"',
    "!!python/object:os.system x",
    "!!binary aGVsbG8=",
    "&a [1, 2]",
    "*a",
    "*undefined",
    "'unterminated",
    "|\n  block",
    '"\\ud800"',
    "\t",
    "<script>alert(1)</script>",
]
_FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the fuzzed files, with the source texts the decks quote."""
    base = tmp_path_factory.mktemp("fuzz")
    (base / "resources").symlink_to(ROOT / "resources")
    return base


def _mutate(data: st.DataObject, text: bytes) -> bytes:
    """Apply one random byte, line, key or value mutation."""
    kind = data.draw(st.sampled_from(["byte", "line", "key", "value", "cut"]))
    if kind == "byte":
        at = data.draw(st.integers(0, max(len(text) - 1, 0)))
        new = data.draw(st.binary(min_size=0, max_size=4))
        drop = data.draw(st.integers(0, 3))
        return text[:at] + new + text[at + drop :]
    if kind == "cut":
        return text[: data.draw(st.integers(0, len(text)))]
    lines = text.split(b"\n")
    at = data.draw(st.integers(0, len(lines) - 1))
    if kind == "line":
        action = data.draw(st.sampled_from(["drop", "dup", "swap", "indent", "dedent"]))
        other = data.draw(st.integers(0, len(lines) - 1))
        if action == "drop":
            del lines[at]
        elif action == "dup":
            lines.insert(other, lines[at])
        elif action == "swap":
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "indent":
            lines[at] = b"  " + lines[at]
        else:
            lines[at] = lines[at].lstrip()
        return b"\n".join(lines)
    line = lines[at].decode("utf-8", "replace")
    head, colon, tail = line.partition(":")
    if not colon:
        return text
    if kind == "key":
        key = data.draw(st.sampled_from([*KEYS, "", "x y", "id\u00e9", "- id"]))
        indent = head[: len(head) - len(head.lstrip(" -"))]
        lines[at] = f"{indent}{key}:{tail}".encode()
    else:
        value = data.draw(
            st.sampled_from(SCALARS) | st.text(max_size=20).map(lambda s: repr(s))
        )
        lines[at] = f"{head}: {value}".encode()
    return b"\n".join(lines)


def _check_outcome(path: Path) -> Deck | None:
    """Load; the only acceptable failure is a DeckError with positions."""
    try:
        return load_deck(path)
    except DeckError as error:
        problems = error.problems
    assert problems, "a DeckError without problems"
    for problem in problems:
        assert problem.path == str(path)
        assert problem.line >= 1
        assert problem.column >= 1
        assert problem.message.strip()
    return None


@settings(_FUZZ, max_examples=800)
@given(data=st.data(), seed=st.sampled_from(sorted(SEEDS)))
def test_mutated_decks_load_or_fail_with_positioned_problems(
    folder: Path, data: st.DataObject, seed: str
) -> None:
    text = SEEDS[seed]
    for _ in range(data.draw(st.integers(1, 4))):
        text = _mutate(data, text)
    path = folder / "mutated.yaml"
    path.write_bytes(text)
    _check_outcome(path)


_leaf = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True)
    | st.text(max_size=30)
    | st.dates()
)
_keys = st.sampled_from([*KEYS, "", "x y", "\u00e9"])
_values = st.recursive(
    _leaf,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=5)
    ),
    max_leaves=6,
)
_card = st.fixed_dictionaries(
    {"id": st.sampled_from(["a", "b-1", "c.2", "-x", "A B"]) | _leaf},
    optional={
        key: _values if key in ("tags", "steps", "study", "source") else _leaf
        for key in CARD_KEYS
        if key != "id"
    },
)
_deck = st.fixed_dictionaries(
    {
        "deck": st.fixed_dictionaries(
            {"id": st.just("gen") | _leaf, "title": st.just("Generated") | _leaf},
            optional={"kind": st.sampled_from(["glossary", "key_point", "x"]) | _leaf},
        ),
        "cards": st.lists(_card, max_size=6) | _values,
    },
    optional={"sources": _values, "extra": _values},
)


@settings(_FUZZ, max_examples=400)
@given(deck=_deck)
def test_generated_decks_load_or_fail_with_positioned_problems(
    folder: Path, deck: dict[str, object]
) -> None:
    path = folder / "generated.yaml"
    path.write_text(yaml.safe_dump(deck, allow_unicode=True), encoding="utf-8")
    _check_outcome(path)


@pytest.fixture(scope="module")
def studied(now_module: datetime) -> Iterator[Library]:
    """An in-memory collection with the mini deck and a few answers."""
    library = Library.in_memory()
    library.import_paths([MINI_DECK], now=now_module)
    queue = library.review_queue(now=now_module)
    for rating in (Rating.GOOD, Rating.AGAIN):
        assert queue.next_card(now_module) is not None
        queue.answer(rating, now=now_module)
    yield library
    library.close()


@pytest.fixture(scope="module")
def now_module() -> datetime:
    return datetime.fromisoformat("2026-03-02T10:00:00+00:00")


@settings(_FUZZ, max_examples=400)
@given(data=st.data(), seed=st.sampled_from(sorted(SEEDS)))
def test_a_failed_import_leaves_the_database_unchanged(
    folder: Path, studied: Library, now_module: datetime, data: st.DataObject, seed: str
) -> None:
    text = SEEDS[seed].replace(b"id: mini", b"id: mini-fuzz")
    for _ in range(data.draw(st.integers(1, 3))):
        text = _mutate(data, text)
    path = folder / "import.yaml"
    path.write_bytes(text)
    good = ROOT / "decks" / "correia-2021" / "neurturin.yaml"
    deck = _check_outcome(path)
    if deck is not None:
        # A deck the loader accepts must import cleanly too (into a copy).
        scratch = Library.in_memory()
        try:
            scratch.import_paths([path], now=now_module, force=True)
        finally:
            scratch.close()
        return
    before = list(studied.store.conn.iterdump())
    with pytest.raises(DeckError):
        studied.import_paths([good, path], now=now_module, force=True)
    assert list(studied.store.conn.iterdump()) == before


HOSTILE = [
    "<script>alert(1)</script>Hi",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="https://evil.example/track.png">',
    "<img src=x onerror=alert(1)>",
    '<b onclick="alert(1)">bold</b>',
    '<span class="x" onmouseover="steal()">hover</span>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    "<svg><script>alert(1)</script></svg>",
    '<div style="background:url(https://evil.example/x)">x</div>',
    "<style>@import 'https://evil.example/x.css';</style>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    '<object data="https://evil.example/x.swf"></object>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<form action="https://evil.example"><input name=x></form>',
    "<!--<script>alert(1)</script>-->",
    '<video><source onerror="alert(1)"></video>',
    '<base href="https://evil.example/">',
]
_FORBIDDEN = (
    "<script",
    "<img",
    "<iframe",
    "<svg",
    "<style",
    "<object",
    "<link",
    "<form",
    "<input",
    "<video",
    "<base",
    "<a ",
    "javascript:",
    "onerror",
    "onclick",
    "onmouseover",
    "src=",
    "href=",
    "style=",
    "evil.example",
)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_card_text_is_neutralised(text: str) -> None:
    cleaned = sanitize(text).lower()
    for bad in _FORBIDDEN:
        assert bad not in cleaned, f"{bad!r} survived in {cleaned!r}"


def test_harmless_formatting_and_plain_text_survive() -> None:
    assert sanitize("<b>IL-6</b> and <i>BDNF</i>") == "<b>IL-6</b> and <i>BDNF</i>"
    assert sanitize("a < b\nc") == "a &lt; b<br>c"


@settings(_FUZZ, max_examples=300)
@given(
    parts=st.lists(
        st.sampled_from([*HOSTILE, "<b>", "</b>", "text", "<", ">", '"', "'", "="])
        | st.text(max_size=10),
        max_size=8,
    )
)
def test_any_mix_of_hostile_fragments_is_neutralised(parts: list[str]) -> None:
    cleaned = sanitize("".join(parts)).lower()
    for bad in ("<script", "<img", "<iframe", "javascript:", " onerror=", " src="):
        assert bad not in cleaned


def test_a_500_mib_deck_file_is_refused_without_reading_it(
    folder: Path, studied: Library, now_module: datetime
) -> None:
    huge = folder / "huge.yaml"
    with huge.open("wb") as file:
        file.truncate(500 * 2**20)  # sparse: no disk or memory used
    tracemalloc.start()
    try:
        with pytest.raises(DeckError) as refused:
            load_deck(huge)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    (problem,) = refused.value.problems
    limit = MAX_DECK_BYTES // 2**20
    assert problem.message == (
        f"the deck file is 500 MiB; deck files are limited to {limit} MiB: "
        "split it into smaller files"
    )
    assert (problem.line, problem.column) == (1, 1)
    assert peak < 2**20
    before = list(studied.store.conn.iterdump())
    with pytest.raises(DeckError, match="limited to"):
        studied.import_paths([huge], now=now_module)
    assert list(studied.store.conn.iterdump()) == before
    huge.unlink()


def test_a_10_mb_card_is_refused_with_its_position(folder: Path) -> None:
    path = folder / "big-card.yaml"
    front = "x" * (10 * 10**6)
    path.write_text(
        "deck: {id: big, title: Big, kind: glossary}\n"
        "cards:\n"
        "  - id: small\n"
        "    front: fine\n"
        "    back: fine\n"
        "  - id: huge\n"
        f"    front: {front}\n"
        "    back: fine\n",
        encoding="utf-8",
    )
    with pytest.raises(DeckError) as refused:
        load_deck(path)
    (problem,) = refused.value.problems
    assert problem.message == (
        f"card 'huge': 'front' is {len(front)} characters; "
        f"the limit is {MAX_FIELD_CHARS}"
    )
    assert (problem.line, problem.column) == (7, 12)


def test_an_alias_bomb_is_cheap(folder: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    bomb = "\n".join(lines) + "\ndeck: {id: bomb, title: *a8, kind: glossary}\n"
    path = folder / "bomb.yaml"
    path.write_text(bomb, encoding="utf-8")
    with pytest.raises(DeckError):
        load_deck(path)
