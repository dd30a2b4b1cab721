"""The command line with a package made by Anki's library: states, history, media."""

import csv
import json
from pathlib import Path

import pytest

from studyapp import cli
from tests.anki_maker import make_package

pytest.importorskip("anki.collection")


def test_import_stats_history_and_media_from_the_command_line(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = make_package(tmp_path)
    assert cli.main(["import", "--json", str(made.path)]) == 0
    (summary,) = json.loads(capsys.readouterr().out)
    answers = summary["history"]["reviews_added"]
    assert answers == len(made.revlog) - 2  # less the Forget and set-due-date rows
    assert cli.main(["stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["suspended"] == made.suspended
    assert stats["buried"] == made.buried
    assert stats["flagged"] == made.flagged
    assert stats["total_reviews"] == answers
    out = tmp_path / "history.csv"
    assert cli.main(["export-history", "--out", str(out)]) == 0
    capsys.readouterr()
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == answers
    assert cli.main(["media", "--json"]) == 0
    media = json.loads(capsys.readouterr().out)
    assert sorted((m["kind"], m["size"]) for m in media) == [
        ("audio", len(made.sound)),
        ("image", len(made.image)),
    ]
    assert cli.main(["due", "--json"]) == 0
    titles = {row["title"] for row in json.loads(capsys.readouterr().out)}
    assert "Lang::Verbs::Irregular" in titles
    assert cli.main(["import", str(made.path)]) == 0  # again: nothing twice
    assert "0 reviews added" in capsys.readouterr().out
