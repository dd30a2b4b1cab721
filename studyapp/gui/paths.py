"""Locates the app's files under resources/ (icons, stylesheets)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def resources_dir() -> Path:
    """The resources folder of a checkout, or the copy inside an installed wheel."""
    for candidate in (_PACKAGE_ROOT.parent / "resources", _PACKAGE_ROOT / "_data"):
        if candidate.is_dir():
            return candidate
    return _PACKAGE_ROOT.parent / "resources"


def icon_path(name: str) -> Path:
    """An icon file, e.g. ``icon_path("studyapp.svg")``."""
    return resources_dir() / "icons" / name


def style_path(name: str) -> Path:
    """A Qt stylesheet, e.g. ``style_path("app.qss")``."""
    return resources_dir() / "styles" / name
