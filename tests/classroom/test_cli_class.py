"""The `studyapp class` commands end to end, as an instructor and a student."""

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from studyapp import cli
from studyapp.core.library import Library

from ..conftest import ROOT
from .conftest import PASSWORD, ClassDb
from .helpers import answer, deck_copy


def test_instructor_and_student_commands(
    class_db: ClassDb,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("STUDYAPP_INSTRUCTOR_PASSWORD", PASSWORD)
    assert cli.main(["class", "init", "--db", class_db.admin]) == 0
    assert capsys.readouterr().out == "schema is up to date\n"  # the fixture ran it
    owner = ["class", "create", "--db", class_db.admin, "--class", "bio"]
    assert cli.main([*owner, "--title", "Biology", "--instructor", "carol"]) == 0
    alice = ["--db", class_db.login("carol"), "--class", "bio"]
    deck = deck_copy(tmp_path / "carol")
    assert cli.main(["class", "publish", str(deck), *alice]) == 0
    assert "mini: published version 1 (5 cards)" in capsys.readouterr().out
    assert cli.main(["class", "invite", *alice, "--uses", "1"]) == 0
    link = capsys.readouterr().out.strip()
    assert link.startswith("postgresql://studyapp_join:")
    assert "token=" in link

    ann = ["--data-dir", str(tmp_path / "ann"), "class"]
    assert cli.main([*ann, "join", link]) == 0
    out = capsys.readouterr().out
    assert "joined class bio" in out
    assert "Sharing with class bio is on" in out
    # The invitation admitted one student: a second join is refused clearly.
    ben = ["--data-dir", str(tmp_path / "ben"), "class"]
    assert cli.main([*ben, "join", link]) == 1
    assert "unknown, used up or expired" in capsys.readouterr().err

    library = Library.open(tmp_path / "ann")
    assert answer(library, 3, datetime.now(UTC) - timedelta(hours=1)) == 3
    library.close()
    assert cli.main([*ann, "sharing", "off"]) == 0
    assert "nothing is sent" in capsys.readouterr().out
    assert cli.main([*ann, "push"]) == 0
    assert "sharing is off" in capsys.readouterr().out
    assert cli.main([*ann, "sharing", "on"]) == 0
    assert cli.main([*ann, "push"]) == 0
    assert "sent 3 answers (3 new)" in capsys.readouterr().out.splitlines()[-1]

    assert cli.main(["class", "report", *alice, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["students"] == 1
    assert {s["section"] for s in report["sections"]} == {"Glossary", "Key points"}
    assert len(report["weakest"]) == 3  # the cards Ann studied
    with psycopg.connect(class_db.admin) as conn:
        assert conn.execute("SELECT count(*) FROM studyapp.enrolments").fetchone() == (
            1,
        )


def test_the_app_without_a_class_never_loads_psycopg(tmp_path: Path) -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        "import studyapp.core, studyapp.core.classroom as c, studyapp.cli.run\n"
        "for m in pkgutil.iter_modules(c.__path__):\n"
        "    importlib.import_module('studyapp.core.classroom.' + m.name)\n"
        "from studyapp.gui import main_window, class_view\n"
        "studyapp.cli.run.build_parser()\n"
        "from studyapp.core.library import Library\n"
        f"lib = Library.open(__import__('pathlib').Path({str(tmp_path)!r}))\n"
        "lib.import_bundled_if_empty(); lib.close()\n"
        "assert 'psycopg' not in sys.modules, 'psycopg was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
