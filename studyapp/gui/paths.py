"""Locates the app's files under resources/ (icons, stylesheets)."""

from __future__ import annotations

from pathlib import Path

from studyapp.core.appfiles import bundled_dir


def resources_dir() -> Path:
    """The resources folder inside an installed wheel, or of a checkout."""
    return bundled_dir("resources")


def icon_path(name: str) -> Path:
    """An icon file, e.g. ``icon_path("studyapp.svg")``."""
    return resources_dir() / "icons" / name


def style_path(name: str) -> Path:
    """A Qt stylesheet, e.g. ``style_path("app.qss")``."""
    return resources_dir() / "styles" / name
