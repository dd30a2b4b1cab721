"""Findings 12, 15, 16: hostile text files: clear errors, only their own decks."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.hostile.make_anki import MODEL_ID, make_apkg
from tests.hostile.make_text import own_header, short_rows_csv, text_file
from tests.hostile.sandbox import (
    assert_clear_refusal,
    assert_no_crash,
    fingerprint,
    run_cli,
)

ROWS = ["front one\tback one", "front two\tback two"]


def _rows(data_dir: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(data_dir / "studyapp.sqlite3")
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize(
    "header",
    [
        "#notetype column:7",
        "#guid column:3",
        "#deck column:99",
        "#tags column:18446744073709551617",
        own_header({"id": "x", "settings": {"new_per_day": 5}, "extra": 1}),
        "#studyapp:" + "[" * 50_000 + "]" * 50_000,
        "#studyapp:" + '{"a":' * 50_000 + "1" + "}" * 50_000,
        own_header({"id": "../../Evil ID/<b>x</b>", "title": "Evil"}),
        own_header({"id": "ok", "sources": [{"id": "s", "title": "T", "text": "x"}]}),
        own_header({"id": "ok", "sources": [{"id": "../s", "title": "T"}]}),
        own_header({"id": "ok", "title": ["not", "text"]}),
    ],
    ids=lambda h: h[:40],
)
def test_bad_headers_give_clear_messages(
    header: str, data_dir: Path, attack_dir: Path
) -> None:
    path = text_file(attack_dir, "notes.txt", [header], ROWS)
    before = fingerprint(data_dir)
    run = run_cli(["import", str(path)], data_dir=data_dir, allowed=[attack_dir])
    assert_clear_refusal(run, str(path))
    assert fingerprint(data_dir) == before


def test_a_header_cannot_overwrite_a_bundled_source(
    data_dir: Path, attack_dir: Path
) -> None:
    (source_id, title) = _rows(data_dir, "SELECT id, title FROM sources LIMIT 1")[0]
    own = {
        "id": "hijack",
        "title": "Hijack",
        "sources": [{"id": source_id, "title": "Owned", "citation": "evil"}],
    }
    path = text_file(attack_dir, "notes.txt", [own_header(own)], ROWS)
    run = run_cli(["import", str(path)], data_dir=data_dir, allowed=[attack_dir])
    assert_no_crash(run)
    assert run.code == 0, run.err
    assert _rows(data_dir, "SELECT title FROM sources WHERE id = ?", source_id) == [
        (title,)
    ]


def test_a_header_cannot_take_over_another_deck(
    data_dir: Path, attack_dir: Path
) -> None:
    target = "pedersen-2019-glossary"
    notes = _rows(data_dir, "SELECT count(*) FROM notes WHERE deck_id = ?", target)
    own = {"id": target, "title": "Takeover"}
    path = text_file(attack_dir, "notes.txt", [own_header(own)], ROWS)
    run = run_cli(["import", str(path)], data_dir=data_dir, allowed=[attack_dir])
    assert_no_crash(run)
    assert run.code == 0, run.err
    assert f"{target}-2" in run.out
    assert _rows(data_dir, "SELECT title FROM decks WHERE id = ?", target) != [
        ("Takeover",)
    ]
    after = _rows(data_dir, "SELECT count(*) FROM notes WHERE deck_id = ?", target)
    retired = _rows(
        data_dir,
        "SELECT count(*) FROM cards WHERE deck_id = ? AND retired = 1",
        target,
    )
    assert after == notes
    assert retired == [(0,)]


def test_an_anki_deck_named_like_a_bundled_deck_gets_its_own_id(
    data_dir: Path, attack_dir: Path
) -> None:
    package = make_apkg(
        attack_dir / "glossary.apkg",
        notes=[(1, "g1", MODEL_ID, "", "a\x1fb")],
        deck_name="Pedersen 2019 glossary",
    )
    run = run_cli(["import", str(package)], data_dir=data_dir, allowed=[attack_dir])
    assert_no_crash(run)
    assert run.code == 0, run.err
    assert "pedersen-2019-glossary-2" in run.out
    retired = _rows(
        data_dir,
        "SELECT count(*) FROM cards WHERE deck_id = 'pedersen-2019-glossary' "
        "AND retired = 1",
    )
    assert retired == [(0,)]
    # Importing the same package again updates its own deck, not a third one.
    run = run_cli(["import", str(package)], data_dir=data_dir, allowed=[attack_dir])
    assert run.code == 0, run.err
    assert "glossary-3" not in run.out


def test_export_all_with_a_bad_stored_id_writes_safe_names(
    data_dir: Path, attack_dir: Path
) -> None:
    conn = sqlite3.connect(data_dir / "studyapp.sqlite3")
    with conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(
            "UPDATE decks SET id = '../../Evil ID/<b>x</b>' "
            "WHERE id = 'pedersen-2019-glossary'"
        )
        conn.execute(
            "UPDATE notes SET deck_id = '../../Evil ID/<b>x</b>' "
            "WHERE deck_id = 'pedersen-2019-glossary'"
        )
        conn.execute(
            "UPDATE cards SET deck_id = '../../Evil ID/<b>x</b>' "
            "WHERE deck_id = 'pedersen-2019-glossary'"
        )
    conn.close()
    out = attack_dir / "all.txt"
    run = run_cli(["export", "-o", str(out)], data_dir=data_dir, allowed=[attack_dir])
    assert_no_crash(run)
    written = sorted(p.name for p in attack_dir.iterdir())
    assert all(p.parent == attack_dir for p in attack_dir.rglob("*"))
    assert any("evil-id" in name for name in written), written


def test_entities_are_not_escaped_twice(data_dir: Path, attack_dir: Path) -> None:
    package = make_apkg(
        attack_dir / "entities.apkg",
        notes=[(1, "g1", MODEL_ID, "", "Tom &amp; Jerry\x1fAT&amp;T")],
        deck_name="Entities",
    )
    run = run_cli(["import", str(package)], data_dir=data_dir, allowed=[attack_dir])
    assert run.code == 0, run.err
    from studyapp.core.decks.richtext import sanitize

    assert sanitize("Tom &amp; Jerry") == "Tom &amp; Jerry"
    assert sanitize("Tom & Jerry") == "Tom &amp; Jerry"
    run = run_cli(["review", "--deck", "entities"], data_dir=data_dir, stdin="\nq\n")
    assert "Tom & Jerry" in run.out
    assert "&amp;" not in run.out


def test_apkg_export_is_sanitised(data_dir: Path, attack_dir: Path) -> None:
    deck = {
        "deck": {"id": "active", "title": "Active", "kind": "mechanism"},
        "cards": [
            {
                "id": "a",
                "front": "<script>alert(1)</script>Q <img src=x onerror=alert(2)>",
                "back": "<a href='javascript:x'>A</a>",
                "steps": ["<img src=y onerror=alert(3)>", "two"],
            }
        ],
    }
    path = attack_dir / "active.yaml"
    path.write_text(json.dumps(deck))
    run = run_cli(["import", str(path)], data_dir=data_dir, allowed=[attack_dir])
    assert run.code == 0, run.err
    out = attack_dir / "active.apkg"
    run = run_cli(
        ["export", "active", "-o", str(out)], data_dir=data_dir, allowed=[attack_dir]
    )
    assert run.code == 0, run.err
    import zipfile

    with zipfile.ZipFile(out) as archive:
        archive.extract("collection.anki2", attack_dir)
    conn = sqlite3.connect(attack_dir / "collection.anki2")
    fields = " ".join(f for (f,) in conn.execute("SELECT flds FROM notes"))
    conn.close()
    lowered = fields.lower()
    assert "<script" not in lowered
    assert "onerror" not in lowered or "&lt;img" in lowered
    assert "<img" not in lowered
    assert "javascript:" not in lowered


@pytest.mark.slow
def test_a_big_csv_of_short_rows_ends_in_bounded_memory(
    data_dir: Path, attack_dir: Path
) -> None:
    path = short_rows_csv(attack_dir / "big.csv", 40 * 1024**2)
    run = run_cli(
        ["import", str(path)],
        data_dir=data_dir,
        allowed=[attack_dir],
        memory=1536 * 1024**2,
        timeout=240,
    )
    assert_clear_refusal(run, f"{path}:200001", "more than 200,000 notes")
