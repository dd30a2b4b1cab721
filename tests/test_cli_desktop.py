import configparser
import subprocess
from pathlib import Path

import pytest

from studyapp import __version__, cli


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def test_install_desktop_writes_an_entry_that_starts_this_install(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["install-desktop"]) == 0
    entry_file = data_home / "applications" / "studyapp.desktop"
    icon = data_home / "icons" / "hicolor" / "scalable" / "apps" / "studyapp.svg"
    assert f"wrote {entry_file}" in capsys.readouterr().out
    assert icon.read_text().lstrip().startswith("<svg")
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(entry_file)
    command = parser["Desktop Entry"]["Exec"].split()
    version = subprocess.run(
        [*command, "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == f"studyapp {__version__}"


def test_uninstall_desktop_removes_what_install_wrote(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["install-desktop"]) == 0
    assert cli.main(["uninstall-desktop"]) == 0
    out = capsys.readouterr().out
    assert "removed" in out
    assert not [p for p in data_home.rglob("*") if p.is_file()]
    assert cli.main(["uninstall-desktop"]) == 0
    assert "no menu entry was installed" in capsys.readouterr().out
