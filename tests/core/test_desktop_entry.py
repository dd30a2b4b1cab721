import configparser
import shlex
from pathlib import Path

import pytest

from studyapp.core import desktop_entry
from studyapp.core.appfiles import bundled_dir

from ..conftest import ROOT

ICON = ROOT / "resources" / "icons" / "studyapp.svg"


def _entry(text: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return parser["Desktop Entry"]


def test_the_entry_has_the_keys_a_menu_needs() -> None:
    entry = _entry(desktop_entry.desktop_entry(["/opt/app/bin/studyapp"], "1.2.3"))
    assert entry["Type"] == "Application"
    assert entry["Name"] == "StudyApp"
    assert entry["Exec"] == "/opt/app/bin/studyapp"
    assert entry["Icon"] == "studyapp"
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    assert entry["X-StudyApp-Version"] == "1.2.3"


@pytest.mark.parametrize(
    ("argument", "exec_value"),
    [
        ("/home/me/bin/studyapp", "/home/me/bin/studyapp"),
        ("/home/my name/studyapp", '"/home/my name/studyapp"'),
        ("/opt/100%/studyapp", "/opt/100%%/studyapp"),
        ('/opt/a"b$c/studyapp', '"/opt/a\\\\"b\\\\$c/studyapp"'),
    ],
)
def test_exec_arguments_are_quoted_as_the_spec_says(
    argument: str, exec_value: str
) -> None:
    text = desktop_entry.desktop_entry([argument], "1")
    assert f"Exec={exec_value}\n" in text


def test_install_then_uninstall_leaves_nothing(tmp_path: Path) -> None:
    written = desktop_entry.install(tmp_path, ["/bin/true"], ICON, "1")
    assert written == [
        tmp_path / "icons/hicolor/scalable/apps/studyapp.svg",
        tmp_path / "applications/studyapp.desktop",
    ]
    assert written[0].read_bytes() == ICON.read_bytes()
    assert "Exec=/bin/true\n" in written[1].read_text()
    assert desktop_entry.uninstall(tmp_path) == [written[1], written[0]]
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
    assert desktop_entry.uninstall(tmp_path) == []


def test_a_quoted_exec_line_splits_back_into_the_command(tmp_path: Path) -> None:
    program = tmp_path / "my apps" / "studyapp"
    entry = _entry(desktop_entry.desktop_entry([str(program), "--data-dir", "x"], "1"))
    # The file's string escaping first (\\ -> \), then the Exec quoting.
    exec_line = entry["Exec"].replace("\\\\", "\\")
    assert shlex.split(exec_line) == [str(program), "--data-dir", "x"]


def test_a_checkout_uses_its_own_folders() -> None:
    # This test suite runs from a checkout (editable install): no package copy.
    assert bundled_dir("decks") == ROOT / "decks"
    assert bundled_dir("resources") == ROOT / "resources"
