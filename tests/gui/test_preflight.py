import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from studyapp.gui import preflight

from ..conftest import ROOT

NO_DISPLAY = "no display was found"


@pytest.fixture
def listening_display() -> Iterator[str]:
    """A display number with something listening on its abstract X socket."""
    for number in range(4100, 4200):
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            server.bind(f"\0/tmp/.X11-unix/X{number}")
        except OSError:
            server.close()
            continue
        server.listen(1)
        yield f":{number}"
        server.close()
        return
    pytest.fail("no free abstract X socket name")


@pytest.mark.parametrize(
    "environ",
    [
        {"QT_QPA_PLATFORM": "offscreen"},
        {"QT_QPA_PLATFORM": "minimal"},
        {"QT_QPA_PLATFORM": "vnc:size=800x600"},
    ],
)
def test_platforms_without_a_desktop_need_nothing(environ: dict[str, str]) -> None:
    assert preflight.check(environ, "linux") is None


def test_other_systems_are_not_checked() -> None:
    assert preflight.check({}, "darwin") is None
    assert preflight.check({}, "win32") is None


def test_no_display_is_reported_with_the_headless_alternatives() -> None:
    message = preflight.check({}, "linux")
    assert message is not None
    assert NO_DISPLAY in message
    assert "QT_QPA_PLATFORM=offscreen" in message
    assert "studyapp review" in message
    assert preflight.check({"QT_QPA_PLATFORM": "xcb"}, "linux") == message


def test_a_display_nobody_listens_on_is_reported(listening_display: str) -> None:
    number = int(listening_display[1:]) + 500  # not bound by the fixture
    message = preflight.check({"DISPLAY": f":{number}.0"}, "linux")
    assert message is not None
    assert f"no X server answers on display :{number}.0" in message


def test_a_running_display_goes_on_to_the_libraries(listening_display: str) -> None:
    message = preflight.check({"DISPLAY": listening_display}, "linux")
    missing = preflight.missing_libraries(preflight.XCB_LIBRARIES)
    if missing:
        assert message is not None
        assert all(name in message for name in missing)
    else:  # every library there: only the plugin itself may still fail to load
        assert message is None or "platform plugin needs" in message


def test_wayland_asked_for_without_a_compositor_is_reported() -> None:
    message = preflight.check({"QT_QPA_PLATFORM": "wayland"}, "linux")
    assert message is not None
    assert "WAYLAND_DISPLAY is not set" in message


def test_a_wayland_session_without_wayland_falls_back_to_x11() -> None:
    message = preflight.check({"XDG_SESSION_TYPE": "wayland"}, "linux")
    assert message is not None
    assert NO_DISPLAY in message


def test_the_loader_tells_present_from_missing_libraries() -> None:
    absent = "libstudyapp-absent.so.7"
    assert preflight.missing_libraries(["libc.so.6", absent]) == [absent]


@pytest.mark.parametrize(
    ("release", "command"),
    [
        ({"ID": "debian"}, "sudo apt install libxcb-cursor0 libxcb-icccm4"),
        ({"ID": "linuxmint", "ID_LIKE": "ubuntu debian"}, "sudo apt install"),
        ({"ID": "fedora"}, "sudo dnf install xcb-util-cursor xcb-util-wm"),
        ({"ID": "arch"}, "sudo pacman -S xcb-util-cursor xcb-util-wm"),
    ],
)
def test_the_fix_is_the_distributions_install_command(
    release: dict[str, str], command: str
) -> None:
    missing = ["libxcb-cursor.so.0", "libxcb-icccm.so.4"]
    message = preflight.missing_message(
        "Qt's X11 (xcb) platform plugin", missing, release
    )
    assert "  libxcb-cursor.so.0\n  libxcb-icccm.so.4\n" in message
    assert f"Install them with:\n  {command}" in message


def test_an_unknown_distribution_gets_the_library_names() -> None:
    message = preflight.missing_message("Qt", ["libEGL.so.1"], {"ID": "gentoo"})
    assert "  libEGL.so.1\n" in message
    assert "Install the packages of your distribution" in message


def test_a_failed_qt_import_names_the_missing_library() -> None:
    error = ImportError(
        "libEGL.so.1: cannot open shared object file: No such file or directory"
    )
    message = preflight.explain_import_error(error)
    assert "  libEGL.so.1\n" in message
    assert "Qt needs system libraries" in message


def test_the_app_without_a_display_says_so_and_exits_1(
    tmp_path: Path,
) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE")
    }
    env["STUDYAPP_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "studyapp"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert NO_DISPLAY in result.stderr
    assert "Traceback" not in result.stderr
    assert "Aborted" not in result.stderr
    assert "qt.qpa" not in result.stderr  # Qt never got to try
    assert not list(tmp_path.iterdir())  # nothing opened, nothing written
