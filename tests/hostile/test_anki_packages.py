"""Findings 2, 12, 15, 17: hostile Anki packages end in time with a clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hostile.make_anki import ENDLESS, MODEL_ID, Note, basic_notes, make_apkg
from tests.hostile.sandbox import (
    assert_clear_refusal,
    assert_no_crash,
    fingerprint,
    run_cli,
)

VIEWS = {
    "notes-endless-view": {"notes_view": ENDLESS},
    "col-endless-view": {
        "col_view": "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 "
        "FROM r) SELECT group_concat(n) AS models, '' AS decks FROM r"
    },
    "notes-view-ordered": {
        "notes_view": "SELECT * FROM (" + ENDLESS + ") ORDER BY flds DESC"
    },
    "trigger": {
        "notes": basic_notes(),
        "extra_sql": [
            "CREATE TRIGGER t AFTER INSERT ON cards BEGIN SELECT 1; END",
        ],
    },
    "cards-view": {
        "notes": basic_notes(),
        "extra_sql": [
            "ALTER TABLE cards RENAME TO cards_real",
            "CREATE VIEW cards AS SELECT * FROM cards_real",
        ],
    },
}


@pytest.mark.parametrize("shape", sorted(VIEWS))
def test_views_and_triggers_refused_in_time(
    shape: str, data_dir: Path, attack_dir: Path
) -> None:
    package = make_apkg(attack_dir / f"{shape}.apkg", **VIEWS[shape])  # type: ignore[arg-type]
    before = fingerprint(data_dir)
    run = run_cli(
        ["import", str(package)], data_dir=data_dir, allowed=[attack_dir], timeout=45
    )
    assert_clear_refusal(run, str(package), "export it again")
    assert fingerprint(data_dir) == before
    assert not list((data_dir / "tmp").iterdir())  # the scratch folder is clean


def test_scratch_left_by_a_killed_import_is_cleaned_at_start(data_dir: Path) -> None:
    left = data_dir / "tmp" / "studyapp-anki-killed"
    left.mkdir(parents=True)
    (left / "collection.db").write_bytes(b"x" * 1000)
    run = run_cli(["due"], data_dir=data_dir)
    assert_no_crash(run)
    assert not left.exists()


BAD_NOTES: dict[str, list[Note]] = {
    "null-guid": [(1, None, MODEL_ID, "", "a\x1fb")],
    "null-fields": [(1, "g1", MODEL_ID, "", None)],
    "blob-fields": [(1, "g1", MODEL_ID, "", b"\x00\xff\x1f")],
    "integer-tags": [(1, "g1", MODEL_ID, 12345, "a\x1fb")],
    "duplicate-guids": [
        (1, "same", MODEL_ID, "", "a\x1fb"),
        (2, "same", MODEL_ID, "", "c\x1fd"),
    ],
    "cloze-overflow": [
        (1, "g1", MODEL_ID + 1, "", "{{c100000000000000000000::x}}\x1f"),
    ],
    "huge-field": [(1, "g1", MODEL_ID, "", "x" * 300_000 + "\x1fb")],
}
CLOZE = {
    str(MODEL_ID + 1): {
        "id": MODEL_ID + 1,
        "name": "Cloze",
        "type": 1,
        "flds": [{"name": "Text", "ord": 0}, {"name": "Extra", "ord": 1}],
        "tmpls": [{"name": "Cloze", "ord": 0, "qfmt": "{{cloze:Text}}"}],
    }
}


@pytest.mark.parametrize("shape", sorted(BAD_NOTES))
def test_bad_note_rows_give_clear_messages(
    shape: str, data_dir: Path, attack_dir: Path
) -> None:
    models = {**json.loads(json.dumps(CLOZE)), **_basic()}
    package = make_apkg(
        attack_dir / f"{shape}.apkg", notes=BAD_NOTES[shape], models=models
    )
    before = fingerprint(data_dir)
    run = run_cli(["import", str(package)], data_dir=data_dir, allowed=[attack_dir])
    assert_no_crash(run)
    if run.code != 0:
        assert str(package) in run.err
        assert fingerprint(data_dir) == before
    else:  # only the repeated note was left out
        assert shape == "duplicate-guids"


def test_deeply_nested_models_json(data_dir: Path, attack_dir: Path) -> None:
    nested = "[" * 100_000 + "]" * 100_000
    package = make_apkg(
        attack_dir / "nested.apkg",
        notes=basic_notes(),
        decks_json=json.dumps({"1": {"id": 1, "name": "x"}}),
        models={"x": 1},
    )
    run = run_cli(["import", str(package)], data_dir=data_dir, allowed=[attack_dir])
    assert_clear_refusal(run, str(package))
    package = make_apkg(
        attack_dir / "nested2.apkg", notes=basic_notes(), decks_json=nested
    )
    run = run_cli(["import", str(package)], data_dir=data_dir, allowed=[attack_dir])
    assert_clear_refusal(run, str(package))


def _basic() -> dict[str, object]:
    from tests.hostile.make_anki import BASIC

    return dict(BASIC)
