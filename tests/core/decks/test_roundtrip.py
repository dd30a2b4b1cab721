import difflib
from pathlib import Path
from typing import Any

import pytest

from studyapp.core.decks.roundtrip import (
    DeckFileError,
    FileChangedError,
    add_card,
    card_ids,
    read_text,
    remove_card,
    update_card,
    update_deck,
    write_text,
)

ROOT = Path(__file__).resolve().parents[3]
# A copy of an older bundled findings deck: its layout (folded fronts, flow
# tags, comments) is what the write-back must keep; the bundled decks change.
FINDINGS = ROOT / "tests" / "data" / "roundtrip" / "findings.yaml"


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(
            before.splitlines(), after.splitlines(), lineterm="", n=0
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def _card_block(text: str, card_id: str) -> str:
    """The lines from a card's '- id:' line up to the next card's."""
    lines = text.splitlines(keepends=True)
    start = next(
        i
        for i, line in enumerate(lines)
        if line.split("#")[0].strip() == f"- id: {card_id}"
    )
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if lines[i].lstrip().startswith("- id:")
        ),
        len(lines),
    )
    return "".join(lines[start:end])


def test_an_edited_card_changes_only_its_own_lines() -> None:
    text = read_text(FINDINGS)
    ids = card_ids(text, "findings.yaml")
    edited = update_card(
        text,
        ids[1],
        {"front": "What did Aberg et al. find?", "tags": ["study", "fitness"]},
        "findings.yaml",
    )
    assert _changed_lines(text, edited) == [
        "-    front: >-",
        "-      What did Aberg et al. (2009, Proc. Natl Acad. Sci. USA; reference 18)",
        "-      find about cardiovascular fitness and cognition?",
        "+    front: What did Aberg et al. find?",
        "-    tags: [study, fitness, cognition]",
        "+    tags: [study, fitness]",
    ]
    # Every other card, every comment, the header: byte-identical.
    before_lines = text.splitlines(keepends=True)
    after_lines = edited.splitlines(keepends=True)
    assert before_lines[:44] == after_lines[:44]
    assert before_lines[-1500:] == after_lines[-1500:]
    for other in (ids[0], ids[2], ids[-1]):
        assert _card_block(edited, other) == _card_block(text, other)
    comments = [line for line in before_lines if line.lstrip().startswith("#")]
    assert comments == [line for line in after_lines if line.lstrip().startswith("#")]


def test_keys_keep_their_place_style_and_comments() -> None:
    text = (
        "deck: {id: d, title: T}\n"
        "cards:\n"
        "- id: a  # first\n"
        "  front: 'quoted: yes'\n"
        "  back: plain\n"
        "  tags: [x]\n"
        "# a comment between cards\n"
        "- id: b\n"
        "  front: z\n"
        "  back: w\n"
    )
    edited = update_card(text, "a", {"front": "new: text", "back": "other"}, "t")
    assert edited == text.replace("'quoted: yes'", "'new: text'").replace(
        "back: plain", "back: other"
    )
    removed_tags = update_card(text, "a", {"tags": None}, "t")
    assert "tags" not in _card_block(removed_tags, "a")
    added = update_card(text, "b", {"tags": ["t1", "t2"]}, "t")
    assert added.endswith("- id: b\n  front: z\n  back: w\n  tags: [t1, t2]\n")


def test_a_long_text_is_folded_and_multiline_is_literal() -> None:
    text = "deck: {id: d, title: T}\ncards:\n  - id: a\n    front: q\n    back: a\n"
    long = "word " * 30
    edited = update_card(text, "a", {"back": long.strip(), "front": "one\ntwo"}, "t")
    assert "    front: |-\n      one\n      two\n" in edited
    assert "    back: >-\n      word word" in edited
    assert read_back(edited)["cards"][0]["back"] == long.strip()


def read_back(text: str) -> dict[str, Any]:
    import yaml

    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def test_add_and_remove_cards() -> None:
    text = read_text(FINDINGS)
    added = add_card(
        text,
        {"id": "new-card", "front": "Q?", "back": "A", "tags": ["x"]},
        "findings.yaml",
    )
    assert added.startswith(text)
    assert added[len(text) :] == (
        "  - id: new-card\n    front: Q?\n    back: A\n    tags: [x]\n"
    )
    with pytest.raises(DeckFileError, match="exists"):
        add_card(added, {"id": "new-card", "front": "x", "back": "y"}, "f")
    assert remove_card(added, "new-card", "f") == text
    with pytest.raises(DeckFileError, match="no card with id 'nope'"):
        remove_card(text, "nope", "f")


def test_deck_title_changes_alone() -> None:
    text = read_text(FINDINGS)
    renamed = update_deck(text, {"title": "Findings"}, "f")
    assert _changed_lines(text, renamed) == [
        '-  title: "Muscle\u2013brain crosstalk: study findings"',
        '+  title: "Findings"',
    ]


def test_a_file_changed_on_disk_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    path.write_text("deck: {id: d, title: T}\ncards:\n- id: a\n", encoding="utf-8")
    opened = read_text(path)
    path.write_text(opened + "- id: b\n", encoding="utf-8")  # someone else
    with pytest.raises(FileChangedError) as error:
        write_text(path, opened.replace("a", "c"), expected=opened)
    assert "+- id: b" in error.value.diff
    assert read_text(path).endswith("- id: b\n")  # untouched


def test_not_a_deck_is_refused() -> None:
    with pytest.raises(DeckFileError, match="not valid YAML"):
        update_card("cards:\n- id: a\n  front: [\n", "a", {"back": "b"}, "broken.yaml")
    with pytest.raises(DeckFileError, match="expected a deck with a list of cards"):
        card_ids("just: text\n", "other.yaml")


def test_writing_keeps_the_files_mode(tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    path.write_text("cards:\n- id: a\n", encoding="utf-8")
    path.chmod(0o644)
    write_text(path, "cards:\n- id: b\n", expected="cards:\n- id: a\n")
    assert path.stat().st_mode & 0o777 == 0o644


def test_a_big_file_is_edited_by_its_card_alone() -> None:
    cards = "".join(
        f"  - id: c{i}\n    front: 'Q {i}'\n    back: A {i}\n" for i in range(20_000)
    )
    text = f"deck:\n  id: big\n  title: Big\ncards:\n{cards}"
    edited = update_card(text, "c12345", {"back": "Changed"}, "big.yaml")
    assert edited == text.replace("back: A 12345\n", "back: Changed\n")
    assert card_ids(edited, "big.yaml")[-1] == "c19999"


def test_cards_tied_by_anchors_are_edited_through_the_whole_file() -> None:
    text = (
        "cards:\n"
        "- id: a\n  front: q\n  back: x\n  study: &s {authors: A, year: 2001}\n"
        "- id: b\n  front: r\n  back: y\n  study: *s\n"
    )
    edited = update_card(text, "b", {"back": "z"}, "t")
    assert edited == text.replace("back: y", "back: z")
