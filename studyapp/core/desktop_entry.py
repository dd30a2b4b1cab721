"""The freedesktop menu entry and icon, written into the user's XDG data folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

#: File names of the entry and the icon; also the Wayland app id (gui/app.py).
APP_ID = "studyapp"
ICON_NAME = "studyapp.svg"
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def entry_path(data_home: Path) -> Path:
    """Where the menu entry goes: ``$XDG_DATA_HOME/applications/studyapp.desktop``."""
    return data_home / "applications" / f"{APP_ID}.desktop"


def icon_path(data_home: Path) -> Path:
    """Where the icon goes: the hicolor theme's scalable apps folder."""
    return data_home / "icons" / "hicolor" / "scalable" / "apps" / ICON_NAME


def desktop_entry(command: Sequence[str], version: str) -> str:
    """The text of the ``.desktop`` file that starts ``command``.

    Args:
        command: The program and its arguments, e.g. the absolute path of the
            installed ``studyapp`` script; quoted as the spec's Exec key asks.
        version: The app's version, recorded in a comment.
    """
    exec_line = " ".join(_quote_exec_argument(part) for part in command)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=StudyApp\n"
        "GenericName=Flashcards\n"
        "Comment=Study from source documents with spaced repetition\n"
        f"Exec={exec_line}\n"
        f"Icon={APP_ID}\n"
        "Terminal=false\n"
        "Categories=Education;Qt;\n"
        "Keywords=flashcards;quiz;spaced repetition;FSRS;study;\n"
        "StartupNotify=true\n"
        "StartupWMClass=StudyApp\n"
        f"X-StudyApp-Version={version}\n"
    )


def install(
    data_home: Path, command: Sequence[str], icon: Path, version: str
) -> list[Path]:
    """Write the menu entry and copy the icon; returns the files written.

    Installing again overwrites both, so it also repairs a moved install.
    """
    written = []
    for path, data in (
        (icon_path(data_home), icon.read_bytes()),
        (entry_path(data_home), desktop_entry(command, version).encode()),
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(data)
        temporary.replace(path)  # a menu never reads half a file
        written.append(path)
    return written


def uninstall(data_home: Path) -> list[Path]:
    """Remove the menu entry and the icon; returns the files that were there."""
    removed = []
    for path in (entry_path(data_home), icon_path(data_home)):
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed


def _quote_exec_argument(argument: str) -> str:
    # Desktop Entry spec, "The Exec key": an argument with a reserved character
    # is double-quoted with ", `, $ and \ escaped; "%" is doubled. Then the
    # string-value escaping doubles every backslash once more.
    argument = argument.replace("%", "%%")
    if any(char in _RESERVED for char in argument):
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
        argument = f'"{escaped}"'
    return argument.replace("\\", "\\\\")
