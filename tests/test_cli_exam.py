import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from studyapp import cli
from studyapp.core.library import DB_NAME

EXAM = ["exam", "--questions", "6", "--seed", "3", "--types", "mc,tf,typed,match,order"]


def _questions(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    assert cli.main([*EXAM, "--json", *extra]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def _right_line(question: dict[str, Any]) -> str:
    letters = "ABCDEFGHIJ"
    kind, key = question["type"], question["key"]
    if kind in ("typed", "cloze"):
        return str(question["answer"]).lower()
    if kind == "tf":
        return "t" if key == [0] else "f"
    if kind == "order":
        return " ".join(str(i + 1) for i in key)
    return "".join(letters[i] for i in key)


def _table(data_dir: Path, name: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(data_dir / DB_NAME) as conn:
        return conn.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()


def test_json_prints_questions_with_answers_and_anchors(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _questions(capsys)
    assert data["seed"] == 3
    questions = data["questions"]
    assert len(questions) == 6
    assert {q["type"] for q in questions} == {"mc", "tf", "typed", "match", "order"}
    for q in questions:
        assert q["answer"]
        assert q["source"]["quote"]
        assert q["card_id"] in q["card_ids"]
    assert _questions(capsys) == data


def test_deck_kind_and_section_filters(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _questions(
        capsys, "--deck", "pedersen-2019-glossary", "--section", "Glossary"
    )
    assert {q["deck"] for q in data["questions"]} == {"pedersen-2019-glossary"}
    assert cli.main([*EXAM, "--json", "--types", "nope"]) == 1
    assert "nope" in capsys.readouterr().err
    assert cli.main([*EXAM, "--json", "--deck", "missing"]) == 1
    assert "missing" in capsys.readouterr().err


def test_taking_an_exam_scores_saves_and_leaves_the_schedule(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    questions = _questions(capsys)["questions"]
    states = _table(data_dir, "card_state")
    lines = [_right_line(q) for q in questions]
    lines[0] = ""  # skipped
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert cli.main(EXAM) == 0
    out = capsys.readouterr().out
    assert "Score: 5 / 6 (83%)" in out
    assert "By section:" in out
    assert "right answer: " + questions[0]["answer"] in out
    assert questions[0]["source"]["quote"][:40] in out
    assert _table(data_dir, "card_state") == states
    assert _table(data_dir, "reviews") == []
    assert cli.main(["exams"]) == 0
    assert "5/6 (83%)" in capsys.readouterr().out
    assert cli.main(["exams", "--csv", "1"]) == 0
    csv_text = capsys.readouterr().out
    assert csv_text.startswith("position,type,deck,kind,source,section,prompt")
    assert len(list(csv.reader(io.StringIO(csv_text)))) == 7


def test_feed_reviews_records_the_answers(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    command = ["exam", "--questions", "3", "--seed", "1", "--types", "mc"]
    assert cli.main([*command, "--json"]) == 0
    questions = json.loads(capsys.readouterr().out)["questions"]
    lines = "\n".join(_right_line(q) for q in questions) + "\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    assert cli.main([*command, "--feed-reviews"]) == 0
    assert "3 answers recorded as reviews" in capsys.readouterr().out
    ratings = {row[3] for row in _table(data_dir, "reviews")}
    assert ratings == {3}


def test_plan_prints_recall_per_section(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["plan", "--date", "2030-01-15", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["recall"] == 0
    assert "pedersen-2019: Glossary" in {s["section"] for s in data["sections"]}
    assert cli.main(["plan", "--date", "2030-01-15", "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert "Predicted recall on 2030-01-15: 0%" in out
    assert "Weakest on the exam day:" in out
    assert cli.main(["plan", "--date", "15/01/2030"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_plan_study_reviews_the_weakest_cards(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n3\n\n4\n"))
    args = ["plan", "--deck", "pedersen-2019-glossary", "--date", "2030-01-15"]
    assert cli.main([*args, "--study", "2"]) == 0
    assert "every answer is saved" in capsys.readouterr().out
    assert [row[3] for row in _table(data_dir, "reviews")] == [3, 4]
    assert cli.main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["recall"] > 0
