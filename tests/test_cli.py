import argparse
import io
import json
from pathlib import Path

import pytest

from studyapp import cli
from studyapp.cli import run as cli_run

from .conftest import DATA, MINI_DECK, ROOT


def _subcommands() -> list[str]:
    parser = cli_run.build_parser()
    action = next(
        a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    )
    return sorted(action.choices)


@pytest.mark.parametrize("name", _subcommands())
def test_every_subcommand_has_help(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main([name, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: studyapp {name}")
    parser = cli_run.build_parser()
    action = next(
        a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    )
    assert action.choices[name].description


def test_validate_exit_codes_and_messages(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", str(MINI_DECK)]) == 0
    assert "all decks are valid" in capsys.readouterr().out
    broken = DATA / "broken" / "duplicate-id.yaml"
    assert cli.main(["validate", str(broken)]) == 1
    assert capsys.readouterr().out == (
        f"{broken}:14:9: card 'myokines': duplicate id (first used by card 1 of this "
        "file)\n"
    )
    assert cli.main(["validate", "--json", str(broken)]) == 1
    (problem,) = json.loads(capsys.readouterr().out)
    assert (problem["line"], problem["column"]) == (14, 9)


def test_import_prints_summary_then_skips(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["import", str(MINI_DECK)]) == 0
    assert (
        capsys.readouterr().out == "mini: 3 added, 0 updated, 0 unchanged, 0 retired\n"
    )
    assert cli.main(["import", str(MINI_DECK)]) == 0
    assert capsys.readouterr().out == "mini: unchanged (skipped)\n"
    assert (data_dir / "studyapp.sqlite3").is_file()


def test_import_of_a_broken_deck_fails_and_says_nothing_was_imported(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["import", str(DATA / "broken" / "unknown-source.yaml")])
    assert code == 1
    err = capsys.readouterr().err
    assert "13:19: card 'myokines': unknown source 'pedersen-2018'" in err
    assert err.endswith("1 problem(s); nothing was imported.\n")


def test_due_imports_bundled_decks_on_first_start(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["due", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    bundled = {p.stem for p in (ROOT / "decks").rglob("*.yaml")}
    assert len(rows) == len(bundled)
    # New cards offered today are capped by the daily limit (20 by default).
    assert all(row["new"] == min(row["total"], 20) > 0 for row in rows)


def test_terminal_review_answers_undoes_and_saves(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.main(["import", str(MINI_DECK)])
    # reveal, Good; reveal, Again; undo; reveal, Easy; quit
    monkeypatch.setattr("sys.stdin", io.StringIO("\n3\n\n1\nu\n\n4\nq\n"))
    assert cli.main(["--data-dir", str(data_dir), "review", "--deck", "mini"]) == 0
    out = capsys.readouterr().out
    assert "What are myokines?" in out
    assert "Undone: the last answer was taken back." in out
    assert "Stopped: 2 answered; every answer is saved." in out
    assert cli.main(["stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["total_reviews"] == 2
    assert stats["by_state"]["learning"] == 1  # Good on a new card: next step
    assert stats["by_state"]["review"] == 1  # Easy graduates at once


def test_draft_writes_a_deck_that_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "draft.yaml"
    source = ROOT / "resources" / "sources" / "pedersen-2019.txt"
    assert cli.main(["draft", str(source), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "6 key_point, 8 glossary" in err
    # issue 14: only references whose titles state a result become findings
    assert "56 finding" in err
    assert "149 references read" in err
    # The linter's warnings come with every draft (issue 16).
    assert f"lint: {out}:" in err
    assert "card 'key-point-2': overloaded-answer" in err
    assert cli.main(["validate", str(out)]) == 0


def test_import_takes_anki_packages_and_export_writes_them(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = DATA / "interop" / "anki-legacy-1.apkg"
    assert cli.main(["import", str(MINI_DECK), str(package)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "mini: 3 added, 0 updated, 0 unchanged, 0 retired"
    assert out[1].startswith(
        f"{package}: 200 notes and 280 cards added, 50 reviews added (0 already there)"
    )
    target = tmp_path / "out.apkg"
    assert cli.main(["export", "mini", "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"{target}\n"
    assert cli.main(["export", "nope", "-o", str(target)]) == 1
    assert "no deck nope" in capsys.readouterr().err


def test_stats_sections_and_days_as_json(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three key points, each revealed and rated Easy, then quit.
    monkeypatch.setattr("sys.stdin", io.StringIO("\n4\n\n4\n\n4\nq\n"))
    assert cli.main(["review", "--deck", "pedersen-2019-key-points"]) == 0
    capsys.readouterr()
    assert cli.main(["stats", "--sections", "--days", "7", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["total_reviews"] == 3
    sections = {s["label"]: s for s in result["sections"]}
    key_points = sections["pedersen-2019: Key points"]
    assert (key_points["cards"], key_points["studied"]) == (27, 3)
    assert 0 < key_points["recall"] <= 3 / 27
    assert result["sections"][-1]["label"] == "pedersen-2019: Key points"
    assert all(s["recall"] == 0 for s in result["sections"][:-1])
    assert sum(s["cards"] for s in result["sections"]) == 250
    assert len(result["days"]) == 7
    assert result["days"][-1]["easy"] == result["days"][-1]["total"] == 3
    assert sum(day["total"] for day in result["days"]) == 3

    assert cli.main(["stats", "--sections"]) == 0
    out = capsys.readouterr().out
    assert "mastery per source section (weakest first)" in out
    assert out.rstrip().endswith("3/27    pedersen-2019: Key points")
