"""Finding 1: settings from a text header, deck file or database cannot poison."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.hostile.sandbox import (
    assert_clear_refusal,
    assert_no_crash,
    fingerprint,
    run_cli,
)

BAD_SETTINGS = [
    {"learning_steps": "abc"},
    {"new_per_day": "x"},
    {"desired_retention": "high"},
    {"desired_retention": 7},
    {"relearning_steps": [1, -5]},
    {"maximum_interval": 1e308},
    {"reviews_per_day": -1},
    {"day_rollover_hour": 99},
    {"learning_steps": [[1]]},
    {"new_per_day": True},
    {"learning_steps": [float("nan")]},
]


def _text_file(folder: Path, settings: object) -> Path:
    own = {"id": "poison", "title": "Poison", "settings": settings}
    path = folder / "poison.txt"
    header = "#separator:tab\n#html:true\n#studyapp:" + json.dumps(own) + "\n"
    path.write_text(header + "front one\tback one\nfront two\tback two\n")
    return path


@pytest.mark.parametrize("settings", BAD_SETTINGS, ids=lambda s: json.dumps(s))
def test_text_header_settings_refused(
    settings: object, data_dir: Path, attack_dir: Path
) -> None:
    path = _text_file(attack_dir, settings)
    before = fingerprint(data_dir)
    run = run_cli(["import", str(path)], data_dir=data_dir, allowed=[attack_dir])
    assert_clear_refusal(run, f"{path}:3", "settings")
    assert fingerprint(data_dir) == before


@pytest.mark.parametrize("settings", BAD_SETTINGS[:4], ids=lambda s: json.dumps(s))
def test_deck_file_settings_refused(
    settings: object, data_dir: Path, attack_dir: Path
) -> None:
    deck = {
        "deck": {"id": "poison", "title": "Poison", "settings": settings},
        "cards": [{"id": "a", "front": "f", "back": "b"}],
    }
    path = attack_dir / "poison.yaml"
    path.write_text(json.dumps(deck))  # JSON is YAML
    before = fingerprint(data_dir)
    run = run_cli(["import", str(path)], data_dir=data_dir, allowed=[attack_dir])
    assert_clear_refusal(run, str(path), "settings")
    assert fingerprint(data_dir) == before


def _poison_database(data_dir: Path) -> None:
    conn = sqlite3.connect(data_dir / "studyapp.sqlite3")
    with conn:
        conn.execute(
            "INSERT OR REPLACE INTO settings (scope, key, value) VALUES "
            "('', 'learning_steps', '\"abc\"'), ('', 'new_per_day', 'not json')"
        )
        deck = conn.execute("SELECT id FROM decks LIMIT 1").fetchone()[0]
        conn.execute(
            "UPDATE decks SET settings = ? WHERE id = ?",
            (json.dumps({"desired_retention": "high", "new_per_day": 5}), deck),
        )
    conn.close()


def test_poisoned_database_still_reviews_and_check_repairs(data_dir: Path) -> None:
    _poison_database(data_dir)
    for command in (["due"], ["review", "--limit", "1"], ["stats"]):
        run = run_cli(command, data_dir=data_dir, stdin="\n3\nq\n")
        assert_no_crash(run)
        assert run.code == 0, run.err
    run = run_cli(["check", "--no-repair"], data_dir=data_dir)
    assert_no_crash(run)
    assert "settings" in run.out.lower(), run.out
    run = run_cli(["check"], data_dir=data_dir)
    assert_no_crash(run)
    conn = sqlite3.connect(data_dir / "studyapp.sqlite3")
    rows = conn.execute("SELECT key FROM settings").fetchall()
    decks = [json.loads(s) for (s,) in conn.execute("SELECT settings FROM decks")]
    conn.close()
    assert ("learning_steps",) not in rows
    assert ("new_per_day",) not in rows
    assert all("desired_retention" not in d for d in decks)
    assert any(d.get("new_per_day") == 5 for d in decks)  # the good value is kept
