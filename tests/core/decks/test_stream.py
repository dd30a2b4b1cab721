"""A deck read a chunk at a time is the deck read whole: cards, problems, lines."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pytest

from studyapp.core.decks import reader, stream
from studyapp.core.decks.reader import load_deck, load_whole
from studyapp.core.decks.stream import DeckStream, NotStreamableError
from studyapp.core.errors import DeckError
from studyapp.core.library import Library

from .test_yaml_fast import TRAPS, card, deck_text

ROOT = Path(__file__).resolve().parents[3]
DECK_FILES = sorted(
    [
        *(ROOT / "decks").rglob("*.yaml"),
        *(ROOT / "tests/data/decks").rglob("*.yaml"),
        *(ROOT / "tests/data/broken").rglob("*.yaml"),
    ]
)


NO_SOURCES = "sources:\n  - id: s\n    title: S\n    text: s.txt\n"


@pytest.fixture(params=["parsed ahead by a thread", "parsed inline"])
def small_chunks(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A few cards a chunk, so that every deck here is read in many."""
    threaded = request.param == "parsed ahead by a thread"
    monkeypatch.setattr(stream, "THREAD_FROM_BYTES", 0 if threaded else 1 << 40)
    monkeypatch.setattr(stream, "CHUNK_BYTES", 300)
    monkeypatch.setattr(stream, "FIRST_CHUNK_BYTES", 200)


def _deck_dir(tmp_path: Path, text: str) -> Path:
    (tmp_path / "s.txt").write_text("the source text of the cut test")
    path = tmp_path / "cut-test.yaml"
    path.write_text(text)
    return path


def _outcome(load: object, path: Path) -> object:
    try:
        return load(path)  # type: ignore[operator]
    except DeckError as error:
        return [str(problem) for problem in error.problems]


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("path", DECK_FILES, ids=lambda p: p.name)
def test_every_deck_streams_to_what_a_whole_read_gives(path: Path) -> None:
    assert _outcome(load_deck, path) == _outcome(load_whole, path)


@pytest.mark.usefixtures("small_chunks")
def test_a_bundled_deck_is_read_in_many_chunks() -> None:
    path = ROOT / "decks" / "pedersen-2019" / "key-points.yaml"
    with DeckStream(path) as deck_stream:
        sizes = [len(chunk) for chunk in deck_stream.chunks()]
    assert len(sizes) > 3
    assert sum(sizes) == len(load_whole(path).cards)


@pytest.mark.usefixtures("small_chunks")
def test_stopping_early_ends_the_parsing_thread() -> None:
    path = ROOT / "decks" / "pedersen-2019" / "key-points.yaml"
    before = threading.active_count()
    with DeckStream(path) as deck_stream:
        chunks = deck_stream.chunks()
        assert next(chunks)
        chunks.close()
    assert threading.active_count() == before


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("trap", TRAPS, ids=str)
def test_a_cut_inside_a_value_reads_the_file_whole(trap: str, tmp_path: Path) -> None:
    path = _deck_dir(tmp_path, deck_text(middle=TRAPS[trap]))
    with pytest.raises(NotStreamableError), DeckStream(path) as deck_stream:
        list(deck_stream.chunks())
    assert _outcome(load_deck, path) == _outcome(load_whole, path)


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("top-level sequence", deck_text(indent="")),
        ("CRLF", deck_text().replace("\n", "\r\n")),
        ("comments", deck_text().replace("cards:\n", "cards:  # all\n\n# first\n")),
        ("byte-order mark", "\ufeff" + deck_text()),
        ("a key after the list", deck_text(indent="") + "extra: 1\n"),
        ("a second document", deck_text() + "---\ndeck: {}\n"),
        ("an alias", deck_text(middle=card(9999).replace('"Q', '&a "Q'))),
    ],
)
def test_unusual_files_read_as_a_whole_read_does(
    name: str, text: str, tmp_path: Path
) -> None:
    path = _deck_dir(tmp_path, text)
    assert _outcome(load_deck, path) == _outcome(load_whole, path), name


@pytest.mark.usefixtures("small_chunks")
def test_problems_in_late_chunks_are_at_their_lines(tmp_path: Path) -> None:
    text = deck_text(before=30, after=30).replace(NO_SOURCES, "")
    text = text.replace("  - id: c00025\n", "  - id: c00003\n")  # a duplicate
    text = text.replace("back: A50 is 50", "back: [A50]")  # not a text
    text = text.replace("c00057", "bad id!")
    path = _deck_dir(tmp_path, text)
    streamed = _outcome(load_deck, path)
    assert isinstance(streamed, list)
    assert len(streamed) == 3
    assert streamed == _outcome(load_whole, path)
    lines = text.splitlines()
    for problem in streamed:
        line = int(problem.removeprefix(f"{path}:").split(":")[0])
        assert any(word in lines[line - 1] for word in ("c00003", "[A50]", "bad id!"))


@pytest.mark.usefixtures("small_chunks")
def test_too_many_cards_stop_the_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        sys.modules["studyapp.core.decks.card_checks"], "MAX_DECK_CARDS", 20
    )
    path = _deck_dir(tmp_path, deck_text(before=200, after=200))
    read: list[int] = []
    with DeckStream(path) as deck_stream:
        with pytest.raises(DeckError, match="more than 20 cards") as caught:
            read.extend(len(chunk) for chunk in deck_stream.chunks())
        assert deck_stream._size < path.stat().st_size  # not read to the end
    assert caught.value.problems[0].line == deck_text().splitlines().index("cards:") + 1


@pytest.mark.usefixtures("small_chunks")
def test_a_problem_in_the_last_chunk_leaves_the_collection_and_backups_as_they_were(
    tmp_path: Path, now: datetime
) -> None:
    library = Library.open(tmp_path / "data")
    try:
        first = tmp_path / "first"
        first.mkdir()
        deck = _deck_dir(first, deck_text().replace(NO_SOURCES, ""))
        library.import_paths([deck], now=now)
        before = list(library.store.conn.iterdump())
        backups = sorted((tmp_path / "data").rglob("*before-import*"))
        second = tmp_path / "second"
        second.mkdir()
        text = deck_text(before=60, after=60).replace(NO_SOURCES, "")
        text = text.replace("c00110", "c00002")
        with pytest.raises(DeckError, match="duplicate id"):
            library.import_paths([_deck_dir(second, text)], now=now)
        assert list(library.store.conn.iterdump()) == before
        assert sorted((tmp_path / "data").rglob("*before-import*")) == backups
        shutil.rmtree(second)
    finally:
        library.close()


def test_a_big_file_that_cannot_be_read_in_chunks_is_refused_unread(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tagged.yaml"
    with path.open("w") as out:
        out.write("%YAML 1.1\n---\ndeck: {id: big, title: Big}\ncards:\n")
        while out.tell() <= reader.MAX_WHOLE_BYTES:
            out.write("  - {id: c, front: " + "f" * 4000 + ", back: b}\n")
    with pytest.raises(DeckError) as refused:
        load_deck(path)
    (problem,) = refused.value.problems
    assert (problem.line, problem.column) == (1, 1)
    assert "read a chunk of cards at a time" in problem.message
    assert "no YAML tags (!), anchors (&) or aliases (*)" in problem.message


@pytest.mark.usefixtures("small_chunks")
def test_problems_before_the_cards_are_listed_with_the_cards_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read in chunks, never whole: even a file too big to read whole gets
    # its own problems, not a message about reading it whole.
    monkeypatch.setattr(reader, "MAX_WHOLE_BYTES", 100)
    text = deck_text(before=20, after=20).replace(NO_SOURCES, "")
    text = text.replace("id: cut-test", "id: Cut Test!").replace("c00031", "bad id!")
    path = _deck_dir(tmp_path, text)
    with pytest.raises(DeckError) as refused:
        load_deck(path)
    lines = text.splitlines()
    found = [(p.line, p.message.split(":")[0]) for p in refused.value.problems]
    assert [line for line, _ in found] == [
        lines.index("  id: Cut Test!") + 1,
        lines.index("  - id: bad id!") + 1,
    ]


def test_a_valid_deck_is_imported_without_pyyaml(tmp_path: Path) -> None:
    # PyYAML (30 ms to load) is only for files yaml-rs leaves and for
    # placing problems; loading it anyway made a small import 1.4x Anki's.
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from studyapp.core.library import Library\n"
        f"library = Library.open(Path({str(tmp_path / 'data')!r}))\n"
        f"library.import_paths([Path({str(ROOT / 'tests/data/decks/mini.yaml')!r})])\n"
        "library.close()\n"
        "assert 'yaml' not in sys.modules, 'PyYAML loaded for a valid deck'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


@pytest.mark.usefixtures("small_chunks")
def test_a_card_too_long_to_be_valid_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream, "MAX_CARD_BYTES", 2000)
    huge = '  - id: huge\n    front: "' + "x" * 5000 + '"\n    back: b\n'
    text = deck_text(before=10, after=10, middle=huge).replace(NO_SOURCES, "")
    path = _deck_dir(tmp_path, text)
    with DeckStream(path) as deck_stream, pytest.raises(DeckError) as refused:
        list(deck_stream.chunks())
    (problem,) = refused.value.problems
    assert problem.line == text.splitlines().index("  - id: huge") + 1
    assert "this card is over" in problem.message
