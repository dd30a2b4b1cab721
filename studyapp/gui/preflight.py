"""Before Qt starts: can a window open? If not, say what to install, not abort.

Qt aborts (SIGABRT, core dump) when its platform plugin cannot load, e.g. on a
fresh Debian without libxcb-cursor0 or with no display at all. This module
finds those causes first, without importing Qt, and words one message with the
command that fixes it.
"""

from __future__ import annotations

import ctypes
import errno
import importlib.util
import os
import platform
import re
import socket
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

# Shared libraries Qt's platform plugins need from the system, with the
# package that provides each on Debian/Ubuntu, Fedora and Arch. The lists are
# the plugins' ELF dependencies (readelf -d) outside Qt and the C runtime.
_PACKAGES: dict[str, tuple[str, str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image"),
    "libxcb-render-util.so.0": (
        "libxcb-render-util0",
        "xcb-util-renderutil",
        "xcb-util-renderutil",
    ),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "xcb-util"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libx11"),
    "libX11.so.6": ("libx11-6", "libX11", "libx11"),
    "libxkbcommon-x11.so.0": (
        "libxkbcommon-x11-0",
        "libxkbcommon-x11",
        "libxkbcommon-x11",
    ),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon"),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libglvnd"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl", "libglvnd"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype", "freetype2"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2", "glib2"),
    "libwayland-client.so.0": ("libwayland-client0", "libwayland-client", "wayland"),
    "libwayland-cursor.so.0": ("libwayland-cursor0", "libwayland-cursor", "wayland"),
}
XCB_LIBRARIES = tuple(
    name for name in _PACKAGES if not name.startswith(("libwayland", "libEGL"))
)
WAYLAND_LIBRARIES = (
    "libwayland-client.so.0",
    "libwayland-cursor.so.0",
    "libxkbcommon.so.0",
    "libGL.so.1",
)
_INSTALLERS = {  # os-release ID or ID_LIKE -> (command, column in _PACKAGES)
    "debian": ("sudo apt install", 0),
    "ubuntu": ("sudo apt install", 0),
    "fedora": ("sudo dnf install", 1),
    "rhel": ("sudo dnf install", 1),
    "arch": ("sudo pacman -S", 2),
}
_NOT_FOUND = re.compile(r"(\S+\.so[.\d]*): cannot open shared object file")
_HEADLESS = (
    "Without a screen, study in the terminal with `studyapp review`; for a "
    "headless check (CI, tests) run `QT_QPA_PLATFORM=offscreen studyapp`."
)


def check(
    environ: Mapping[str, str] = os.environ, system: str = sys.platform
) -> str | None:
    """Why Qt could not open a window here, or None if nothing is known wrong.

    Args:
        environ: The environment Qt will read (QT_QPA_PLATFORM, DISPLAY,
            WAYLAND_DISPLAY, XDG_SESSION_TYPE).
        system: ``sys.platform``; only Linux is checked.

    Returns:
        One message naming the cause and the command that fixes it.
    """
    if not system.startswith("linux"):
        return None
    requested = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0]
    if requested and requested not in ("xcb", "wayland", "wayland-egl"):
        return None  # offscreen, minimal, vnc, eglfs...: no desktop needed
    if requested.startswith("wayland") or (
        not requested and environ.get("XDG_SESSION_TYPE") == "wayland"
    ):
        problem = _wayland_problem(environ)
        # Asked for by name, Wayland must work; by default Qt falls back to X11.
        if problem is None or requested:
            return problem
    return _xcb_problem(environ)


def explain_import_error(error: ImportError) -> str:
    """The message for a Qt import that failed on a missing system library."""
    found = _NOT_FOUND.search(str(error))
    if found is None:
        return f"StudyApp cannot load Qt: {error}"
    return missing_message("Qt", [found.group(1)])


def missing_libraries(names: Iterable[str]) -> list[str]:
    """The shared libraries among ``names`` the dynamic loader cannot load."""
    missing = []
    for name in names:
        try:
            ctypes.CDLL(name)
        except OSError:
            missing.append(name)
    return missing


def _xcb_problem(environ: Mapping[str, str]) -> str | None:
    display = environ.get("DISPLAY", "")
    if not display:
        return (
            "StudyApp cannot open a window: no display was found (DISPLAY and "
            "WAYLAND_DISPLAY are not set). Start it from a desktop session.\n"
            + _HEADLESS
        )
    if not _is_display_running(display):
        return (
            f"StudyApp cannot open a window: no X server answers on display "
            f"{display} (DISPLAY). Start it from a desktop session, or start "
            "the X server first.\n" + _HEADLESS
        )
    missing = missing_libraries(XCB_LIBRARIES) or _plugin_missing("libqxcb.so")
    if missing:
        return missing_message("Qt's X11 (xcb) platform plugin", missing)
    return None


def _wayland_problem(environ: Mapping[str, str]) -> str | None:
    if not environ.get("WAYLAND_DISPLAY"):
        return (
            "StudyApp cannot open a window: QT_QPA_PLATFORM asks for Wayland "
            "but WAYLAND_DISPLAY is not set.\n" + _HEADLESS
        )
    missing = missing_libraries(WAYLAND_LIBRARIES) or _plugin_missing("libqwayland.so")
    if missing:
        return missing_message("Qt's Wayland platform plugin", missing)
    return None


def _plugin_missing(plugin: str) -> list[str]:
    """Load the plugin itself: the loader names any library the lists missed."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return []
    path = Path(spec.submodule_search_locations[0], "Qt", "plugins", "platforms")
    if not (path / plugin).is_file():
        return []
    try:
        ctypes.CDLL(str(path / plugin))
    except OSError as error:
        found = _NOT_FOUND.search(str(error))
        return [found.group(1) if found else str(error)]
    return []


def _is_display_running(display: str) -> bool:
    """Whether a local X server listens on ``display`` (":0", ":99.0").

    Remote displays (ssh -X's "localhost:10.0") are not checked.
    """
    local = re.fullmatch(r"(?:unix)?:(\d+)(?:\.\d+)?", display)
    if local is None:
        return True
    path = f"/tmp/.X11-unix/X{local.group(1)}"
    for address in (path, "\0" + path):  # the socket file, the abstract socket
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(address)
            except OSError as error:
                if error.errno in (errno.ENOENT, errno.ECONNREFUSED):
                    continue
                return True  # e.g. permission denied: something is there
            return True
    return False


def missing_message(
    what: str, missing: list[str], release: Mapping[str, str] | None = None
) -> str:
    """The message naming missing libraries and the command that installs them.

    Args:
        what: What needs them, e.g. "Qt's X11 (xcb) platform plugin".
        missing: Library file names (sonames) the loader could not find.
        release: The os-release fields (ID, ID_LIKE) choosing the package
            manager; this machine's /etc/os-release when None.
    """
    lines = [
        f"StudyApp cannot open a window: {what} needs system libraries that "
        "are not installed:",
        *(f"  {name}" for name in missing),
    ]
    installer = _installer(_os_release() if release is None else release)
    packages = (
        sorted({_PACKAGES[name][installer[1]] for name in missing if name in _PACKAGES})
        if installer
        else []
    )
    if installer and packages:
        lines += ["Install them with:", f"  {installer[0]} {' '.join(packages)}"]
    else:
        lines.append("Install the packages of your distribution that provide them.")
    lines.append("The README lists the packages for each distribution.")
    return "\n".join(lines)


def _os_release() -> Mapping[str, str]:
    try:
        return platform.freedesktop_os_release()
    except OSError:
        return {}


def _installer(release: Mapping[str, str]) -> tuple[str, int] | None:
    for name in [release.get("ID", ""), *release.get("ID_LIKE", "").split()]:
        if name in _INSTALLERS:
            return _INSTALLERS[name]
    return None
