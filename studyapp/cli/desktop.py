"""`studyapp install-desktop|uninstall-desktop`: the app in the desktop's menu."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from studyapp import __version__
from studyapp.core import desktop_entry
from studyapp.core.appfiles import bundled_dir

if TYPE_CHECKING:
    from studyapp.cli.common import Subparsers


def add_commands(sub: Subparsers) -> None:
    """Register the install-desktop and uninstall-desktop subcommands."""
    install = sub.add_parser(
        "install-desktop",
        help="add StudyApp to the desktop's application menu (Linux)",
        description="Write a menu entry (studyapp.desktop) and the icon into "
        "your XDG data folder ($XDG_DATA_HOME, else ~/.local/share). The entry "
        "starts this installation of StudyApp; run it again after moving it.",
    )
    install.set_defaults(handler=cmd_install_desktop)
    uninstall = sub.add_parser(
        "uninstall-desktop",
        help="remove the menu entry and icon that install-desktop wrote",
        description="Remove the menu entry and icon that install-desktop wrote. "
        "Your collection is left alone.",
    )
    uninstall.set_defaults(handler=cmd_uninstall_desktop)


def cmd_install_desktop(args: argparse.Namespace) -> int:
    """Write the menu entry and icon; print where they went."""
    if not _is_xdg_desktop():
        return 1
    written = desktop_entry.install(
        _data_home(),
        launch_command(),
        bundled_dir("resources") / "icons" / desktop_entry.ICON_NAME,
        __version__,
    )
    for path in written:
        print(f"wrote {path}")
    print("StudyApp is in your application menu (log out and in if it does not show).")
    return 0


def cmd_uninstall_desktop(args: argparse.Namespace) -> int:
    """Remove the menu entry and icon; print what was removed."""
    if not _is_xdg_desktop():
        return 1
    removed = desktop_entry.uninstall(_data_home())
    for path in removed:
        print(f"removed {path}")
    if not removed:
        print("no menu entry was installed")
    return 0


def launch_command() -> list[str]:
    """How the menu starts this installation: its own `studyapp` script.

    The script sits next to the interpreter in the venv (pipx, uv tool, a
    checkout's .venv); an absolute path works even when that folder is not on
    the desktop session's PATH.
    """
    script = Path(sys.executable).parent / "studyapp"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "studyapp"]


def _data_home() -> Path:
    return platformdirs.user_data_path()  # $XDG_DATA_HOME or ~/.local/share


def _is_xdg_desktop() -> bool:
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return True
    print(
        "error: menu entries are for Linux (freedesktop) desktops. On macOS and "
        "Windows start StudyApp with the `studyapp` command.",
        file=sys.stderr,
    )
    return False
