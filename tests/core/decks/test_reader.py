import shutil
from pathlib import Path

import pytest

from studyapp.core.decks.reader import MAX_DECK_BYTES, load_deck, validate_paths
from studyapp.core.errors import DeckError
from studyapp.core.model import CardKind, CardType

from ...conftest import DATA, MINI_DECK, ROOT

BROKEN = DATA / "broken"


def _messages(name: str) -> list[str]:
    with pytest.raises(DeckError) as caught:
        load_deck(BROKEN / name)
    return [
        str(p).removeprefix(str(BROKEN / name) + ":") for p in caught.value.problems
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "duplicate-id.yaml",
            ["14:9: card 'myokines': duplicate id (first used by card 1 of this file)"],
        ),
        ("duplicate-key.yaml", ["8:5: duplicate key 'back'"]),
        (
            "missing-fields.yaml",
            [
                "10:5: card 'myokines': missing 'back'",
                "13:5: card 2: missing 'id'",
                "15:13: card 2 source: missing 'quote'",
            ],
        ),
        (
            "quote-not-found.yaml",
            [
                "16:14: card 'myokines': quote not found in source 'pedersen-2019'; "
                "copy it verbatim from resources/sources/pedersen-2019.txt"
            ],
        ),
        (
            "unknown-keys.yaml",
            [
                "2:3: deck: missing 'title'",
                "3:3: deck: unknown key 'titel' (did you mean 'title'?); "
                "allowed: id, title, kind, document, description, settings",
                "4:9: deck: 'glosary' is not one of key_point, glossary, mechanism, "
                "finding, basic",
                "9:5: card 'myokines': unknown key 'quote'; allowed: id, kind, type, "
                "front, back, cloze, tags, steps, study, source, lint",
            ],
        ),
        (
            "unknown-source.yaml",
            [
                "13:19: card 'myokines': unknown source 'pedersen-2018' "
                "(known: pedersen-2019)"
            ],
        ),
        (
            "wrong-types.yaml",
            [
                "11:12: card 'who-minutes': 'front' must be text, not a number; "
                "put it in quotes",
                "12:11: card 'who-minutes': 'back' must be text, not a list",
                "13:11: card 'who-minutes': 'tags' must be a list of texts, "
                "like [a, b]",
                "19:34: card 'moon': study needs a year like 2016",
                "19:53: card 'moon': reference must be a number like 61",
            ],
        ),
        (
            "yaml-syntax.yaml",
            [
                "7:11: YAML syntax error: while scanning a quoted scalar, "
                "found unexpected end of stream"
            ],
        ),
    ],
)
def test_broken_deck_reports_every_problem_with_position(
    name: str, expected: list[str]
) -> None:
    assert _messages(name) == expected


def test_python_tags_are_rejected_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "owned"
    deck = tmp_path / "evil.yaml"
    deck.write_text(
        "deck:\n  id: evil\n  title: !!python/object/apply:os.system "
        f'["touch {marker}"]\ncards: []\n'
    )
    with pytest.raises(DeckError) as caught:
        load_deck(deck)
    assert not marker.exists()
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (3, 10)
    assert "only plain YAML values are allowed" in problem.message


def test_mini_deck_loads_with_kinds_types_and_source_text() -> None:
    deck = load_deck(MINI_DECK)
    assert deck.id == "mini"
    assert [c.id for c in deck.cards] == ["myokines", "cathepsin-b", "il6-cloze"]
    assert [c.kind for c in deck.cards] == [
        CardKind.GLOSSARY,
        CardKind.KEY_POINT,
        CardKind.KEY_POINT,
    ]
    assert [c.type for c in deck.cards] == [
        CardType.BASIC,
        CardType.REVERSED,
        CardType.CLOZE,
    ]
    assert "Key points" in deck.sources[0].text


def test_quote_matches_across_line_breaks_and_spaces(tmp_path: Path) -> None:
    text = MINI_DECK.read_text().replace(
        "quote: Cytokines or peptides produced by skeletal muscle cells",
        'quote: "Cytokines  or\\n peptides produced by skeletal muscle cells"',
    )
    # Issue 20: a source text must be in the deck's folder tree.
    (tmp_path / "decks" / "resources" / "sources").mkdir(parents=True)
    shutil.copy(
        ROOT / "resources" / "sources" / "pedersen-2019.txt",
        tmp_path / "decks" / "resources" / "sources",
    )
    deck_file = tmp_path / "decks" / "mini.yaml"
    deck_file.write_text(text)
    assert load_deck(deck_file).cards[0].source is not None


def test_changed_punctuation_in_a_quote_is_not_forgiven(tmp_path: Path) -> None:
    deck_file = tmp_path / "mini.yaml"
    deck_file.write_text(
        MINI_DECK.read_text()
        .replace("text: resources", f"text: {ROOT}/resources")
        .replace("improvement in memory and adult", "improvement in memory, and adult")
    )
    with pytest.raises(DeckError) as caught:
        load_deck(deck_file)
    assert [p.message.split(";")[0] for p in caught.value.problems] == [
        "card 'cathepsin-b': quote not found in source 'pedersen-2019'"
    ]


def test_oversized_deck_is_refused_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(MAX_DECK_BYTES + 1)
    with pytest.raises(DeckError) as caught:
        load_deck(huge)
    assert "split it into smaller files" in str(caught.value)


def test_validate_paths_searches_folders_and_collects_all_files() -> None:
    problems = validate_paths([BROKEN])
    files = {Path(p.path).name for p in problems}
    assert files == {p.name for p in BROKEN.glob("*.yaml")}


def test_bundled_decks_validate_clean() -> None:
    assert validate_paths([ROOT / "decks"]) == []
