"""The built wheel, installed outside the checkout, is a working app."""

import json
import os
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from studyapp import __version__

from .conftest import ROOT

pytestmark = pytest.mark.slow

GUI_CHECK = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings, QTimer
from studyapp.gui import app
from studyapp.gui.main_window import MainWindow

qapp = app.create_application([])
seen = {}

def look_and_quit():
    for window in qapp.topLevelWidgets():
        if isinstance(window, MainWindow) and window.isVisible():
            seen["title"] = window.windowTitle()
            seen["documents"] = window.home.decks.topLevelItemCount()
            window.close()

QTimer.singleShot(0, look_and_quit)
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
code = app.run(Path(sys.argv[1]), settings=settings)
seen["code"] = code
seen["icon"] = not qapp.windowIcon().isNull()
seen["styled"] = "QTextBrowser#cardText" in qapp.styleSheet()
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sdist and wheel from `python -m build`, without network (no isolation)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv outside the checkout with only the wheel installed.

    Its dependencies come from this test run's environment through a .pth
    line (site-packages as a plain path: the editable install's own .pth file
    there is not processed, so the checkout stays out of sys.path).
    """
    root = tmp_path_factory.mktemp("venv")
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(root)], check=True
    )
    python = root / "bin" / "python"
    target = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    deps = [sysconfig.get_path("purelib"), *site.getsitepackages()]
    Path(target, "studyapp-test-deps.pth").write_text(
        "\n".join(dict.fromkeys(deps)) + "\n"
    )
    (wheel,) = dist.glob("*.whl")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return root


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env |= {
        "STUDYAPP_DATA_DIR": str(tmp_path / "data"),
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "home" / "share"),
        "XDG_CONFIG_HOME": str(tmp_path / "home" / "config"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return env


def _run(venv: Path, tmp_path: Path, *args: str) -> str:
    result = subprocess.run(
        args if args[0].startswith("/") else [str(venv / "bin" / args[0]), *args[1:]],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_sdist_and_wheel_pass_twine_check(dist: Path) -> None:
    files = sorted(dist.iterdir())
    assert sorted(f.suffix for f in files) == [".gz", ".whl"]
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


def test_the_wheel_carries_every_deck_source_text_style_and_icon(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = [
        *(ROOT / "decks").rglob("*.yaml"),
        *(p for p in (ROOT / "resources").rglob("*") if p.is_file()),
    ]
    assert len(shipped) >= 9
    for path in shipped:
        assert "studyapp/_data/" + path.relative_to(ROOT).as_posix() in names


def test_the_installed_app_imports_the_bundled_decks(
    venv: Path, tmp_path: Path
) -> None:
    where = _run(
        venv,
        tmp_path,
        "python",
        "-c",
        "import studyapp; from studyapp.core.appfiles import bundled_decks_dir; "
        "print(studyapp.__file__); print(bundled_decks_dir())",
    ).split()
    assert all(Path(p).is_relative_to(venv) for p in where)
    assert _run(venv, tmp_path, "studyapp", "--version").strip() == (
        f"studyapp {__version__}"
    )
    decks = json.loads(_run(venv, tmp_path, "studyapp", "due", "--json"))
    expected = len(list((ROOT / "decks").rglob("*.yaml")))
    assert len(decks) == expected
    assert {d["document"] for d in decks} == {"pedersen-2019", "correia-2021"}
    assert all(d["total"] > 0 for d in decks)
    # The source texts came along: cards show their passage from them.
    text = _run(
        venv,
        tmp_path,
        "python",
        "-c",
        "import sys; from pathlib import Path; "
        "from studyapp.core.library import Library; "
        "lib = Library.open(Path(sys.argv[1])); "
        "print(len(lib.store.source('pedersen-2019').text)); lib.close()",
        str(tmp_path / "data"),
    )
    assert int(text) > 20_000


def test_the_installed_gui_starts_offscreen(venv: Path, tmp_path: Path) -> None:
    out = _run(
        venv,
        tmp_path,
        "python",
        "-c",
        GUI_CHECK,
        str(tmp_path / "data"),
        str(tmp_path / "window.ini"),
    )
    seen = json.loads(out.strip().splitlines()[-1])
    assert seen == {
        "title": f"StudyApp {__version__}",
        "documents": 2,
        "code": 0,
        "icon": True,
        "styled": True,
    }


def test_the_installed_desktop_entry_starts_the_installed_app(
    venv: Path, tmp_path: Path
) -> None:
    _run(venv, tmp_path, "studyapp", "install-desktop")
    share = tmp_path / "home" / "share"
    entry = (share / "applications" / "studyapp.desktop").read_text()
    assert f"Exec={venv / 'bin' / 'studyapp'}\n" in entry
    icon = share / "icons" / "hicolor" / "scalable" / "apps" / "studyapp.svg"
    assert icon.read_bytes() == (ROOT / "resources/icons/studyapp.svg").read_bytes()
    _run(venv, tmp_path, "studyapp", "uninstall-desktop")
    assert not [p for p in share.rglob("*") if p.is_file()]
