import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studyapp import cli
from studyapp.core.library import Library
from studyapp.core.safety.backup import list_backups

from .conftest import MINI_DECK


@pytest.mark.parametrize(("minutes", "expect_study_backup"), [(31, True), (10, False)])
def test_terminal_review_backs_up_at_most_every_30_minutes(
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    minutes: int,
    expect_study_backup: bool,
) -> None:
    last = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    library = Library.open(data_dir)
    try:
        library.import_paths([MINI_DECK], now=last)
        assert library.backups is not None
        library.backups.create(last, "manual")
    finally:
        library.close()
    answered_at = last + timedelta(minutes=minutes)
    monkeypatch.setattr("studyapp.cli.run.utc_now", lambda: answered_at)
    monkeypatch.setattr("sys.stdin", io.StringIO("\n3\nq\n"))  # reveal, Good, quit

    assert cli.main(["--data-dir", str(data_dir), "review", "--deck", "mini"]) == 0

    study = [b for b in list_backups(data_dir / "backups") if b.reason == "study"]
    if expect_study_backup:
        assert [(b.taken_at, b.reviews) for b in study] == [(answered_at, 1)]
    else:
        assert study == []
