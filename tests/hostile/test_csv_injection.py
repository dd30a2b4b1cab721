"""Finding 7: formulas in card text never reach a CSV cell unneutralised."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.hostile.sandbox import assert_no_crash, run_cli

FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "'=quoted"]


def _deck(folder: Path) -> Path:
    lines = ["deck:", "  id: formulas", "  title: Formulas", "cards:"]
    for n, formula in enumerate(FORMULAS):
        quoted = formula.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
        lines += [f"  - id: c{n}", f'    front: "{quoted}"', f'    back: "{quoted}"']
    path = folder / "formulas.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _cells(text: str, delimiter: str = ",") -> list[str]:
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [cell for row in rows if row and not row[0].startswith("#") for cell in row]


def _dangerous(cells: list[str]) -> list[str]:
    return [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


@pytest.mark.parametrize("suffix", [".csv", ".txt"])
def test_export_neutralises_formulas_and_reads_back(
    suffix: str, data_dir: Path, attack_dir: Path
) -> None:
    run = run_cli(
        ["import", str(_deck(attack_dir))], data_dir=data_dir, allowed=[attack_dir]
    )
    assert run.code == 0, run.err
    out = attack_dir / f"out{suffix}"
    run = run_cli(
        ["export", "formulas", "-o", str(out)], data_dir=data_dir, allowed=[attack_dir]
    )
    assert_no_crash(run)
    assert run.code == 0, run.err
    text = out.read_text(encoding="utf-8-sig")
    cells = _cells(text, "," if suffix == ".csv" else "\t")
    assert not _dangerous(cells), _dangerous(cells)
    assert "'=cmd|' /C calc'!A0" in cells
    if suffix == ".txt":  # our own text format gives the values back exactly
        from studyapp.core.interop.textfile import read_text_notes

        fronts = sorted(card.front for card in read_text_notes(out).cards)
        assert fronts == sorted(FORMULAS)


def test_history_and_exam_csv_neutralise(data_dir: Path, attack_dir: Path) -> None:
    run = run_cli(
        ["import", str(_deck(attack_dir))], data_dir=data_dir, allowed=[attack_dir]
    )
    assert run.code == 0, run.err
    answers = "\n3\n" * len(FORMULAS)
    run = run_cli(
        ["review", "--deck", "formulas"], data_dir=data_dir, stdin=answers + "q\n"
    )
    assert run.code == 0, run.err
    out = attack_dir / "history.csv"
    run = run_cli(
        ["export-history", "--out", str(out)], data_dir=data_dir, allowed=[attack_dir]
    )
    assert run.code == 0, run.err
    cells = _cells(out.read_text(encoding="utf-8-sig"))
    assert "'=cmd|' /C calc'!A0" in cells
    assert not _dangerous(cells)
    run = run_cli(
        [
            "exam",
            "--deck",
            "formulas",
            "--questions",
            "3",
            "--types",
            "typed",
            "--seed",
            "1",
        ],
        data_dir=data_dir,
        stdin="=1+1\n" * 3,
    )
    assert run.code == 0, run.err
    run = run_cli(["exams", "--csv", "1"], data_dir=data_dir)
    assert run.code == 0, run.err
    cells = _cells(run.out)
    assert not _dangerous(cells), _dangerous(cells)
    assert "'=1+1" in cells
