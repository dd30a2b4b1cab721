import json
from pathlib import Path

import pytest

from studyapp import cli

from .conftest import MINI_DECK


@pytest.fixture
def mini(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert cli.main(["import", str(MINI_DECK)]) == 0
    capsys.readouterr()
    return data_dir


def _cards(capsys: pytest.CaptureFixture[str], *query: str) -> list[dict[str, object]]:
    assert cli.main(["cards", *query, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert isinstance(result, list)
    return result


def test_cards_lists_one_object_per_review_card(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = _cards(capsys, "deck:mini", "kind:key_point", "-type:cloze")
    assert [(c["deck"], c["card"], c["ord"]) for c in found] == [
        ("mini", "cathepsin-b", 0),
        ("mini", "cathepsin-b", 1),
    ]
    assert set(found[0]) >= {"deck", "card", "ord", "kind", "state", "due", "tags"}
    assert found[0]["state"] == "new"
    assert cli.main(["cards", "myokines"]) == 0
    out = capsys.readouterr().out
    assert "mini  myokines#0  glossary  new" in out
    assert out.rstrip().endswith("\n1 card(s)")


def test_suspend_unsuspend_and_flag_by_query(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["suspend", "cathepsin"]) == 0
    assert capsys.readouterr().out == "2 card(s) suspended\n"
    assert [c["card"] for c in _cards(capsys, "is:suspended")] == ["cathepsin-b"] * 2
    assert cli.main(["flag", "3", "tag:glossary"]) == 0
    assert capsys.readouterr().out == "1 card(s) flagged 3\n"
    assert [c["flag"] for c in _cards(capsys, "flag:3")] == [3]
    assert cli.main(["unsuspend", "is:suspended"]) == 0
    assert capsys.readouterr().out == "2 card(s) unsuspended\n"
    assert _cards(capsys, "is:suspended") == []


def test_a_bad_query_says_where(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["cards", "(deck:mini"]) == 1
    assert "column 1: '(' is not closed" in capsys.readouterr().err
