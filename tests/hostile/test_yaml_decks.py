"""Findings 3, 4, 15, 17: hostile YAML deck files end in time with a clear error."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.hostile import make_yaml
from tests.hostile.sandbox import (
    assert_clear_refusal,
    assert_no_crash,
    fingerprint,
    run_cli,
)


@pytest.mark.parametrize("used_as", ["kind", "type", "cards", "key"])
def test_alias_bombs_refused(used_as: str, data_dir: Path, attack_dir: Path) -> None:
    path = attack_dir / "bomb.yaml"
    path.write_text(make_yaml.billion_laughs(used_as=used_as))
    before = fingerprint(data_dir)
    for command in (["validate", str(path)], ["import", str(path)]):
        run = run_cli(command, data_dir=data_dir, allowed=[attack_dir], timeout=30)
        assert_clear_refusal(run, f"{path}:")
        assert len(run.err) < 3000
    assert fingerprint(data_dir) == before


@pytest.mark.slow
def test_many_aliases_of_a_big_text_refused(data_dir: Path, attack_dir: Path) -> None:
    path = attack_dir / "many.yaml"
    path.write_text(make_yaml.many_aliases_of_big_text())
    run = run_cli(["import", str(path)], data_dir=data_dir, allowed=[attack_dir])
    assert_clear_refusal(run, f"{path}:", "aliases")


@pytest.mark.parametrize("maker", ["recursive_alias", "complex_keys", "deeply_nested"])
def test_malformed_yaml_gives_clear_messages(
    maker: str, data_dir: Path, attack_dir: Path
) -> None:
    path = attack_dir / f"{maker}.yaml"
    path.write_text(getattr(make_yaml, maker)())
    before = fingerprint(data_dir)
    run = run_cli(["import", str(path)], data_dir=data_dir, allowed=[attack_dir])
    assert_clear_refusal(run, f"{path}:")
    assert fingerprint(data_dir) == before


def test_a_byte_order_mark_is_accepted(data_dir: Path, attack_dir: Path) -> None:
    path = attack_dir / "bom.yaml"
    path.write_bytes(make_yaml.with_bom())
    run = run_cli(["import", str(path)], data_dir=data_dir, allowed=[attack_dir])
    assert_no_crash(run)
    assert run.code == 0, run.err
    conn = sqlite3.connect(data_dir / "studyapp.sqlite3")
    assert conn.execute("SELECT title FROM decks WHERE id = 'bom-deck'").fetchone()
    conn.close()


SPECIALS = {"zero": "/dev/zero", "urandom": "/dev/urandom"}


@pytest.mark.parametrize("target", sorted(SPECIALS))
def test_device_symlinks_refused(target: str, data_dir: Path, attack_dir: Path) -> None:
    (attack_dir / "x.yaml").symlink_to(SPECIALS[target])
    before = fingerprint(data_dir)
    for command in (["import", str(attack_dir)], ["validate", SPECIALS[target]]):
        run = run_cli(
            command,
            data_dir=data_dir,
            allowed=[attack_dir, Path(SPECIALS[target])],
            timeout=30,
        )
        assert_clear_refusal(run, "not a regular file")
    assert fingerprint(data_dir) == before


def test_fifo_does_not_hang(data_dir: Path, attack_dir: Path) -> None:
    os.mkfifo(attack_dir / "x.yaml")
    os.mkfifo(attack_dir / "notes.txt")
    before = fingerprint(data_dir)
    for name in (str(attack_dir), str(attack_dir / "notes.txt")):
        run = run_cli(
            ["import", name], data_dir=data_dir, allowed=[attack_dir], timeout=30
        )
        assert_clear_refusal(run, "not a regular file")
    assert fingerprint(data_dir) == before


def test_links_to_nothing_or_a_device_are_each_named_once(
    data_dir: Path, attack_dir: Path
) -> None:
    (attack_dir / "gone.yaml").symlink_to(attack_dir / "nothing-here.yaml")
    (attack_dir / "zero.yaml").symlink_to("/dev/zero")
    before = fingerprint(data_dir)
    run = run_cli(
        ["import", str(attack_dir)],
        data_dir=data_dir,
        allowed=[attack_dir, Path("/dev/zero")],
        timeout=30,
    )
    assert_clear_refusal(run, "not a regular file")
    assert "gone.yaml:1:1: links to" in run.err
    assert "zero.yaml:1:1: links to /dev/zero" in run.err
    assert "2 problem(s)" in run.err
    assert fingerprint(data_dir) == before
