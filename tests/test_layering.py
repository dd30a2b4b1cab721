import subprocess
import sys

from .conftest import ROOT


def test_core_and_cli_do_not_load_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, studyapp.core, studyapp.cli.run\n"
        "for m in pkgutil.iter_modules(studyapp.core.__path__):\n"
        "    importlib.import_module('studyapp.core.' + m.name)\n"
        "studyapp.cli.run.build_parser()\n"
        "assert 'PySide6' not in sys.modules, 'core or CLI imported Qt'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_core_never_imports_gui_or_cli() -> None:
    for path in (ROOT / "studyapp" / "core").glob("*.py"):
        text = path.read_text()
        assert "studyapp.gui" not in text, path
        assert "studyapp.cli" not in text, path
        assert "PySide6" not in text, path


def test_gui_uses_the_core_not_the_command_line() -> None:
    for path in (ROOT / "studyapp" / "gui").glob("*.py"):
        text = path.read_text()
        assert "studyapp.cli" not in text, path
        assert "studyapp.commands" not in text, path
